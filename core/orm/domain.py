"""Domains: the one filter language, parsed, validated and compiled to SQLAlchemy.

A domain is a list in prefix notation: terms ``(path, operator, value)`` joined by
``"&"``, ``"|"`` and ``"!"`` (consecutive terms are AND-ed). Paths follow many2one,
one2many and many2many fields with dots. Nothing is ever turned into SQL text.
"""
import sqlalchemy as sa

from ..exceptions import DomainError, LimitError
from ..i18n.translate import _

OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike", "not like",
             "not ilike", "=like", "=ilike", "child_of", "parent_of")
NEGATIVE = ("!=", "not in", "not like", "not ilike")
TRUE = sa.true()
FALSE = sa.false()


def parse(domain, max_depth=32):
    """The domain as a tree of ``("&"|"|", a, b)``, ``("!", a)`` and ``("leaf", term)``."""
    if domain is None:
        return None
    if not isinstance(domain, (list, tuple)):
        raise DomainError(_("A domain must be a list, got %(type)s") % {"type": type(domain).__name__})
    stack = []
    for item in reversed(domain):
        if item in ("&", "|"):
            if len(stack) < 2:
                raise DomainError(_("Malformed domain: %(operator)r needs two terms after it") % {"operator": item})
            first, second = stack.pop(), stack.pop()
            stack.append((item, first, second))
        elif item == "!":
            if not stack:
                raise DomainError(_("Malformed domain: '!' needs a term after it"))
            stack.append(("!", stack.pop()))
        elif isinstance(item, (list, tuple)) and len(item) == 3 and isinstance(item[0], str):
            stack.append(("leaf", tuple(item)))
        else:
            raise DomainError(_("Malformed domain term %(term)r: expected (field, operator, value), '&', '|' or '!'")
                              % {"term": item})
    if not stack:
        return None
    tree = stack.pop()
    while stack:
        tree = ("&", tree, stack.pop())
    if _depth(tree) > max_depth:
        raise LimitError(_("The domain is nested deeper than the limit of %(limit)s") % {"limit": max_depth})
    return tree


def _depth(tree):
    if tree[0] == "leaf":
        return tree[1][0].count(".") + 1
    return 1 + max(_depth(child) for child in tree[1:])


class DomainCompiler:
    """Compiles domains of one registry, with its limits, to SQLAlchemy expressions."""

    def __init__(self, registry, env=None):
        self.registry = registry
        self.env = env
        limits = registry.config.section("limits") if registry.config else {}
        # the 'in' list limit guards users' requests; the superuser (the ORM's own work, such
        # as finding the orders to recompute after writing 50,000 lines) is not limited
        self.max_in = limits.get("in_list", 10000) if env is not None else None
        self.max_depth = limits.get("domain_depth", 32)

    def compile(self, model, domain):
        tree = parse(domain, self.max_depth)
        return TRUE if tree is None else self._node(model, tree)

    def _node(self, model, tree):
        kind = tree[0]
        if kind == "&":
            return sa.and_(self._node(model, tree[1]), self._node(model, tree[2]))
        if kind == "|":
            return sa.or_(self._node(model, tree[1]), self._node(model, tree[2]))
        if kind == "!":  # the complement: rows where the term is unknown (NULL) count as not matching
            return sa.not_(sa.func.coalesce(self._node(model, tree[1]), FALSE, type_=sa.Boolean))
        path, operator, value = tree[1]
        if operator not in OPERATORS:
            raise DomainError(_("Unknown operator %(operator)r in domain term %(term)r")
                              % {"operator": operator, "term": tree[1]})
        return self.leaf(model, path.split("."), operator, value)

    def field_of(self, model, name):
        field = model._fields.get(name)
        if field is None:
            raise DomainError(_("Unknown field %(field)r on model %(model)r in domain")
                              % {"field": name, "model": model._name})
        if self.env is not None:
            model._check_field_access(self.env, field)
        return field

    def leaf(self, model, path, operator, value):
        field = self.field_of(model, path[0])
        entity = model._entity
        if field.related and not field.store:
            return self.leaf(model, list(field.related) + path[1:], operator, value)
        if not field.store:
            raise DomainError(_("Field %(model)s.%(field)s is computed and not stored: it cannot be searched")
                              % {"model": model._name, "field": field.name})
        if len(path) > 1 or (field.type in ("one2many", "many2many")):
            return self._relational(model, field, path, operator, value)
        column = getattr(entity, field.name)
        if operator in ("child_of", "parent_of"):
            return self._hierarchy(model, column, field, operator, value)
        if field.type == "many2one" and _is_text(value, operator):
            comodel = self.registry.models[field.comodel]
            names = self.leaf(comodel, [comodel._rec_name], _text_operator(operator), value)
            rules = self._rules(comodel)
            sub = sa.select(comodel._entity.id).where(names if rules is None else sa.and_(names, rules))
            expr = column.in_(sub)
            return sa.or_(sa.not_(expr), column.is_(None)) if operator in NEGATIVE else expr
        return self._compare(model, column, field, operator, value)

    def _relational(self, model, field, path, operator, value):
        if field.type not in ("many2one", "one2many", "many2many"):
            raise DomainError(_("Field %(model)s.%(field)s is not relational: cannot follow %(path)r")
                              % {"model": model._name, "field": field.name, "path": ".".join(path[1:])})
        comodel = self.registry.models[field.comodel]
        entity = model._entity
        if len(path) > 1:
            inner = self.leaf(comodel, path[1:], operator, value)
        elif value is False or value is None or value == []:
            inner = None
        elif isinstance(value, str) or (isinstance(value, (list, tuple)) and value and isinstance(value[0], str)):
            inner = self.leaf(comodel, [comodel._rec_name], _text_operator(operator), value)
        else:
            ids = self._ids(value, field)
            inner = comodel._entity.id.in_(ids)
        rules = self._rules(comodel)
        if rules is not None:
            inner = rules if inner is None else sa.and_(inner, rules)
        if field.type == "many2one":
            return getattr(entity, field.name).in_(sa.select(comodel._entity.id).where(inner))
        if field.type == "one2many":
            link = getattr(comodel._entity, field.inverse_name)
            sub = sa.select(link).where(link.is_not(None))
        else:
            rel = field.relation_table(self.registry)
            sub = sa.select(rel.c[field.column1])
            if inner is not None:
                sub = sub.where(rel.c[field.column2].in_(sa.select(comodel._entity.id).where(inner)))
                inner = None
        if inner is not None:
            sub = sub.where(inner)
        exists = entity.id.in_(sub)
        empty_test = value is False or value is None or value == []
        if len(path) == 1 and (operator in NEGATIVE) != empty_test:
            return sa.not_(exists)
        return exists

    def _rules(self, comodel):
        """The record rules of ``comodel`` for the user, so a path cannot see past them."""
        if self.env is None:
            return None
        return self.env[comodel._name]._rule_clause("read")

    def _ids(self, value, field):
        if hasattr(value, "_ids"):
            value = list(value._ids)
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        if self.max_in is not None and len(values) > self.max_in:
            raise LimitError(_("An 'in' list on %(field)r holds %(count)s values; the limit is %(limit)s")
                             % {"field": field.name, "count": len(values), "limit": self.max_in})
        return values

    def _hierarchy(self, model, column, field, operator, value):
        if field.type == "many2one":  # records pointing into the tree of the target model
            model = self.registry.models[field.comodel]
        parent_name = model._parent_name
        if parent_name not in model._fields:
            raise DomainError(_("Model %(model)r has no parent field: %(operator)r cannot be used")
                              % {"model": model._name, "operator": operator})
        ids = self._ids(value, field) if field.type in ("many2one", "integer") else []
        table = model._table
        parent = table.c[parent_name]
        if operator == "child_of":
            base = sa.select(table.c.id).where(table.c.id.in_(ids)).cte("tree", recursive=True)
            step = sa.select(table.c.id).where(parent == base.c.id)
        else:
            base = sa.select(table.c.id, parent.label("up")).where(table.c.id.in_(ids)).cte("tree", recursive=True)
            step = sa.select(table.c.id, parent.label("up")).where(table.c.id == base.c.up)
        tree = base.union(step)
        return column.in_(sa.select(tree.c.id))

    def _compare(self, model, column, field, operator, value):
        if operator in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
            if not isinstance(value, str):
                raise DomainError(_("Operator %(operator)r on %(field)r needs a text value, got %(value)r")
                                  % {"operator": operator, "field": field.name, "value": value})
            expr = self._like(column, operator, value)
            return sa.or_(sa.not_(expr), column.is_(None)) if operator in NEGATIVE else expr
        if operator in ("in", "not in"):
            values = [self._value(model, field, v) for v in self._ids(value, field)]
            present = [v for v in values if v is not None]
            expr = column.in_(present)
            if None in values or (field.type == "boolean" and False in values):
                expr = sa.or_(expr, column.is_(None))
            if operator == "in":
                return expr
            return sa.not_(expr) if None in values else sa.or_(sa.not_(expr), column.is_(None))
        if value is False or value is None:
            if operator not in ("=", "!="):
                raise DomainError(_("Operator %(operator)r on %(field)r cannot compare with an empty value")
                                  % {"operator": operator, "field": field.name})
            if field.type == "boolean":
                empty = sa.or_(column.is_(None), column.is_(False))
                return empty if operator == "=" else column.is_(True)
            return column.is_(None) if operator == "=" else column.is_not(None)
        value = self._value(model, field, value)
        if operator == "=":
            return column == value
        if operator == "!=":
            return sa.or_(column != value, column.is_(None))
        return {"<": column < value, "<=": column <= value, ">": column > value, ">=": column >= value}[operator]

    def _like(self, column, operator, value):
        """``like`` is case-sensitive and ``ilike`` is not, on every database.

        SQLite's LIKE ignores case, so there the case-sensitive operators use GLOB and the
        insensitive ones a plain LIKE (its ``lower()`` folds exactly the letters LIKE does,
        so wrapping both sides in it would only cost an index-less scan of every row).
        """
        raw, insensitive = operator.startswith("="), "ilike" in operator
        sqlite = self.registry.engine.dialect.name == "sqlite"
        if not insensitive and sqlite:
            return column.op("GLOB", is_comparison=True)(_like_to_glob(value) if raw else "*" + _glob_escape(value) + "*")
        method = column.ilike if insensitive and not sqlite else column.like
        return method(value) if raw else method("%" + _escape(value) + "%", escape="\\")

    def _value(self, model, field, value):
        if field.type in ("many2one", "integer") and hasattr(value, "_ids"):
            return value.id
        try:
            return field.convert(value, model)
        except Exception as exc:
            raise DomainError(_("Bad value in domain for %(model)s.%(field)s: %(error)s")
                              % {"model": model._name, "field": field.name, "error": exc}) from None


def _is_text(value, operator):
    if operator in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
        return True
    return isinstance(value, str) or (isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], str))


def _text_operator(operator):
    return {"=": "=", "!=": "=", "in": "in", "not in": "in", "like": "ilike", "ilike": "ilike",
            "not like": "ilike", "not ilike": "ilike", "=like": "=like", "=ilike": "=ilike"}.get(operator, operator)


def _escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _glob_escape(text):
    return "".join(f"[{char}]" if char in "*?[" else char for char in text)


def _like_to_glob(pattern):
    """A LIKE pattern (``%``, ``_``, backslash escapes) as the equivalent GLOB pattern."""
    result, chars = [], iter(pattern)
    for char in chars:
        if char == "\\":
            result.append(_glob_escape(next(chars, "\\")))
        else:
            result.append({"%": "*", "_": "?"}.get(char) or _glob_escape(char))
    return "".join(result)


def AND(*domains):
    """Join domains with AND, dropping empty ones."""
    parts = [list(d) for d in domains if d]
    if not parts:
        return []
    result = []
    result.extend("&" * (len(parts) - 1))
    for part in parts:
        result.extend(_wrap(part))
    return result


def OR(*domains):
    """Join domains with OR; an empty domain matches everything, so it wins."""
    if any(not d for d in domains):
        return []
    parts = [list(d) for d in domains]
    return ["|"] * (len(parts) - 1) + [item for part in parts for item in _wrap(part)]


def _wrap(domain):
    """Make a multi-term domain one prefix expression (implicit ANDs made explicit)."""
    terms = _count_expressions(domain)
    return ["&"] * (terms - 1) + list(domain)


def _count_expressions(domain):
    count, needed = 0, 0
    for item in domain:
        if needed == 0:
            count += 1
            needed = 1
        if item in ("&", "|"):
            needed += 1
        elif item != "!":
            needed -= 1
    return count

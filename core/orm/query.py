"""Reading: search, read, name_search and the batch loading behind field access."""
import json
import sqlite3

import sqlalchemy as sa

from ..exceptions import DomainError
from ..i18n.translate import _
from .domain import DomainCompiler

CHUNK = 5000
ID_ARRAY = sa.ARRAY(sa.Integer)
SQLITE_JSON = sqlite3.sqlite_version_info >= (3, 38)  # json_each() is built in


def id_in(column, ids, dialect):
    """``column IN ids`` with the ids as one parameter, not one placeholder per id.

    Expanded, 5,000 ids are 5,000 placeholders that SQLAlchemy renders and psycopg
    parses again on every execution (most of the time of fetching 5,000 names).
    PostgreSQL takes them as one array parameter, SQLite as one JSON list. (Not an array
    cast from text on PostgreSQL: a cast is evaluated again for every row of a scan.)
    """
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(ids), type_=ID_ARRAY))
    if dialect == "sqlite" and SQLITE_JSON:
        values = sa.func.json_each(sa.bindparam(None, json.dumps(list(map(int, ids))), type_=sa.String))
        return column.in_(sa.select(sa.column("value", sa.Integer)).select_from(values).scalar_subquery())
    return column.in_(list(ids))


class QueryMixin:
    """Search and read; every path goes through ``_where`` so record rules apply to all."""

    # -- building blocks ------------------------------------------------------
    def _compiler(self):
        return DomainCompiler(self.env.registry, None if self.env.su else self.env)

    def _where(self, domain, operation="read"):
        """The WHERE clause for ``domain`` plus active filter and the user's record rules."""
        model = type(self)
        domain = list(domain or [])
        if "active" in model._fields and self.env.context.get("active_test", True):
            if not any(isinstance(t, (list, tuple)) and t[0] == "active" for t in domain):
                domain = ["&", ("active", "=", True)] + (_one(domain) if domain else [("id", "!=", 0)])
        clause = self._compiler().compile(model, domain)
        rules = self._rule_clause(operation)
        return clause if rules is None else sa.and_(clause, rules)

    def _rule_clause(self, operation):
        """Record-rule restriction for the current user (none in superuser mode)."""
        return None

    def _order_by(self, order):
        model = type(self)
        order = order or model._order
        clauses = []
        for part in order.split(","):
            words = part.split()
            if not words:
                continue
            name, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
            if direction not in ("asc", "desc") or len(words) > 2:
                raise DomainError(_("Bad order %(order)r: use 'field' or 'field desc'") % {"order": part.strip()})
            field = model._fields.get(name)
            if field is None or not field.store or field.type in ("one2many", "many2many"):
                raise DomainError(_("Cannot order %(model)s by %(field)r: no such stored field")
                                  % {"model": model._name, "field": name})
            self._check_field_access(self.env, field)  # an order reveals the values of the field
            column = getattr(model._entity, name)
            if field.type == "many2one":
                comodel = self.env.registry.models[field.comodel]
                alias = comodel._table.alias()
                clauses.append(("join", alias, column, alias.c[comodel._rec_name], direction))
            else:
                clauses.append(("col", None, None, column, direction))
        clauses.append(("col", None, None, model._entity.id, "asc"))
        return clauses

    def _select_ids(self, domain, order=None, limit=None, offset=None, columns=None):
        model = type(self)
        entity = model._entity
        statement = sa.select(*(columns or [entity.id])).select_from(entity).where(self._where(domain))
        for kind, alias, column, target, direction in self._order_by(order):
            if kind == "join":
                statement = statement.outerjoin(alias, column == alias.c.id)
            statement = statement.order_by(target.desc() if direction == "desc" else target.asc())
        if limit is not None:
            statement = statement.limit(limit)
        if offset:
            statement = statement.offset(offset)
        return statement

    # -- public API -----------------------------------------------------------
    def search(self, domain=None, order=None, limit=None, offset=None):
        self._check_access("read")
        ids = self.env.execute(self._select_ids(domain, order, limit, offset)).scalars().all()
        return self.browse(tuple(ids))

    def search_count(self, domain=None, limit=None):
        """How many records match; with ``limit``, counting stops there (a list pager shows
        "1–80 of 800+" without scanning every row a text search matches)."""
        self._check_access("read")
        entity = type(self)._entity
        if limit is None:
            statement = sa.select(sa.func.count(entity.id)).where(self._where(domain))
        else:
            matching = sa.select(entity.id).where(self._where(domain)).limit(limit).subquery()
            statement = sa.select(sa.func.count()).select_from(matching)
        return self.env.execute(statement).scalar_one()

    def exists(self):
        """The subset of these records that still exist (and that the user may see)."""
        if not self._ids:
            return self
        entity = type(self)._entity
        found = set()
        for start in range(0, len(self._ids), CHUNK):
            chunk = self._ids[start:start + CHUNK]
            found.update(self.env.execute(sa.select(entity.id).where(self._id_in(entity.id, chunk))).scalars())
        return self.browse(tuple(i for i in self._ids if i in found))

    def read(self, fields=None, many2one_ids=False):
        """Values of ``fields`` as dicts in the order of ``self``; many2one as ``{"id", "name"}``
        (as the id alone with ``many2one_ids``, for batch code that needs no names)."""
        self._check_access("read")
        model = type(self)
        names = list(fields) if fields else [n for n, f in model._fields.items()
                                             if f.type != "binary" and self._field_readable(f)]
        for name in names:
            if name not in model._fields:
                raise DomainError(_("Unknown field %(field)r on model %(model)r")
                                  % {"field": name, "model": model._name})
            self._check_field_access(self.env, model._fields[name])
        cache = self.env.cache
        # the stored columns asked for, in one query: not every column of the model (a list
        # of 1,000 records showing 4 fields does not convert 1,000 x 30 values it never shows)
        columns = [model._fields[n] for n in names if model._fields[n].has_column
                   and model._fields[n].type not in ("binary", "one2many", "many2many")]
        absent = set()
        for store in [cache.store(f) for f in columns]:
            absent.update([rid for rid in self._ids if rid not in store])
        if not (columns and len(absent) == len(set(self._ids))):
            self._check_rules("read")  # else the fetch below applies the rules and refuses
        if absent:
            missing = [rid for rid in self._ids if rid in absent]
            for start in range(0, len(missing), CHUNK):
                self._fetch_stored(columns[0], missing[start:start + CHUNK], columns=columns)
        for name in names:
            field = model._fields[name]
            store = cache.store(field)
            missing = [rid for rid in self._ids if rid not in store]
            if missing:
                self.browse(tuple(missing))._fetch_batch(field)
        plan = []  # (name, cache store, 1 many2one / 2 x2many / 0 other, display names)
        for name in names:
            field = model._fields[name]
            store = cache.store(field)
            if field.type == "many2one" and many2one_ids:
                plan.append((name, store, 0, None))
            elif field.type == "many2one":
                targets = {store[rid] for rid in self._ids if store.get(rid) is not None}
                plan.append((name, store, 1, self.env[field.comodel].browse(tuple(targets))._display_names()))
            else:
                plan.append((name, store, 2 if field.type in ("one2many", "many2many") else 0, None))
        result = []
        for rid in self._ids:
            row = {"id": rid}
            for name, store, kind, display in plan:
                value = store.get(rid)
                if kind == 1:
                    value = None if value is None else {"id": value, "name": display.get(value, "")}
                elif kind == 2:
                    value = list(value or ())
                row[name] = value
            result.append(row)
        return result

    def _fetch_batch(self, field):
        """Load ``field`` for all of ``self`` (and only of ``self``)."""
        first = self[:1]
        return first.with_env(self.env)._fetch_field_for(field, self._ids)

    def _fetch_field_for(self, field, ids):
        records = type(self)(self.env, tuple(ids))
        if field.compute and not field.store:
            records._compute_into_cache(field, records)
        elif field.related and not field.store:
            records._related_into_cache(field, records)
        else:
            for start in range(0, len(ids), CHUNK):
                records._fetch_stored(field, list(ids[start:start + CHUNK]))

    def _id_in(self, column, ids):
        return id_in(column, ids, self.env.registry.dialect)

    def _fetch_stored(self, field, ids, columns=None):
        """One query for ``field`` of ``ids``: all simple columns for a column field (or ``columns``)."""
        model = type(self)
        env = self.env
        entity = model._entity
        if field.type in ("one2many", "many2many"):
            ids = self._readable_ids(ids)
        if field.type == "one2many":
            comodel = env.registry.models[field.comodel]
            inverse = getattr(comodel._entity, field.inverse_name)
            co = env[field.comodel]
            statement = co._select_ids([], columns=[comodel._entity.id, inverse]).where(self._id_in(inverse, ids))
            values = {rid: [] for rid in ids}
            for line_id, parent_id in env.execute(statement):
                values[parent_id].append(line_id)
            env.cache.set_many(field, {rid: tuple(v) for rid, v in values.items()})
            return
        if field.type == "many2many":
            rel = field.relation_table(env.registry)
            comodel = env.registry.models[field.comodel]
            co = env[field.comodel]
            own, other = rel.c[field.column1], rel.c[field.column2]
            statement = co._select_ids([], columns=[own, other]).join(rel, other == comodel._entity.id)
            statement = statement.where(self._id_in(own, ids))
            values = {rid: [] for rid in ids}
            for parent_id, target in env.execute(statement):
                values[parent_id].append(target)
            env.cache.set_many(field, {rid: tuple(v) for rid, v in values.items()})
            return
        if columns is None:
            columns = [field] if field.type == "binary" else [f for f in model._column_fields if f.type != "binary"]
        statement = sa.select(entity.id, *(getattr(entity, f.name) for f in columns)).where(self._id_in(entity.id, ids))
        rules = None if env.su else self._rule_clause("read")
        if rules is not None:
            statement = statement.where(rules)
        rows = env.execute(statement).all()
        if rules is not None and len(rows) < len(ids):
            self._refuse_hidden(ids, {row[0] for row in rows})
        for index, column_field in enumerate(columns, start=1):
            store = env.cache.store(column_field)
            for row in rows:
                store.setdefault(row[0], row[index])

    def _readable_ids(self, ids):
        """Those of ``ids`` inside the user's rules (refused when one of ``self`` is not)."""
        rules = None if self.env.su else self._rule_clause("read")
        if rules is None:
            return ids
        entity = type(self)._entity
        found = set(self.env.execute(sa.select(entity.id).where(self._id_in(entity.id, ids), rules)).scalars())
        if len(found) < len(ids):
            self._refuse_hidden(ids, found)
        return [rid for rid in ids if rid in found]

    def _field_readable(self, field):
        checker = self.env.registry.access_checker
        return not field.groups or checker is None or checker.field_allowed(self.env, field)

    def _refuse_hidden(self, ids, found):
        """Reading a record outside the user's rules is refused (what was asked is named)."""
        wanted = [rid for rid in self._ids if rid in set(ids) and rid not in found]
        if wanted and self.browse(tuple(wanted)).sudo().exists():
            from ..exceptions import AccessError
            raise AccessError(_("You are not allowed to read this %(description)s record (model %(model)s): it is "
                                "outside your access rules.") % {"description": _(self._description) or self._name,
                                                                 "model": self._name})

    # -- names ----------------------------------------------------------------
    def _display_names(self):
        """``{id: display name}`` for these records, in one query."""
        if not self._ids:
            return {}
        rec_name = type(self)._rec_name
        field = self._fields.get(rec_name)
        if field is None or not field.store:
            return {rec.id: rec.display_name for rec in self}
        entity = type(self)._entity
        result = {}
        for start in range(0, len(self._ids), CHUNK):
            chunk = self._ids[start:start + CHUNK]
            result.update(self.env.execute(sa.select(entity.id, getattr(entity, rec_name))
                                           .where(self._id_in(entity.id, chunk))).all())
        return {rid: (name or "") for rid, name in result.items()}

    @property
    def display_name(self):
        rec_name = type(self)._rec_name
        value = self[rec_name] if rec_name in self._fields else None
        return str(value) if value not in (None, False) else f"{self._name},{self.id}"

    def name_get(self):
        """``[(id, display name)]`` of these records, which the user must be allowed to read."""
        self._check_access("read")
        self._check_rules("read")
        return list(self._display_names().items())

    def name_search(self, name="", domain=None, operator="ilike", limit=8):
        """``[(id, display name)]`` for autocomplete on the model's name (and search names)."""
        domain = list(domain or [])
        if name:
            terms = [(field, operator, name) for field in type(self)._rec_names_search]
            name_domain = ["|"] * (len(terms) - 1) + terms
            domain = ["&"] + _one(name_domain) + _one(domain) if domain else name_domain
        records = self.search(domain, limit=limit)
        names = records._display_names()
        return [(rid, names.get(rid, "")) for rid in records._ids]


def _one(domain):
    """A domain as one prefix expression (implicit ANDs made explicit)."""
    from .domain import _wrap
    return _wrap(list(domain))

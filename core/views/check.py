"""What the schema cannot see: a view arch checked against the models of the registry.

Every ``field`` must exist on the view's model (or, inside an x2many sub-view, on the
comodel); ``object`` buttons name public methods; domains, contexts and options are JSON
naming known fields; ``groups`` name existing groups. Errors name the place (a file and
line, or a view) and the field.
"""
import json

from ..addons.xmlids import resolve_xmlid
from ..exceptions import DomainError
from ..orm.domain import OPERATORS, parse
from . import ViewError

NUMERIC = ("integer", "float", "decimal", "monetary")
DATES = ("date", "datetime")
INTERVALS = ("day", "week", "month", "quarter", "year")
BOOL_TOKENS = ("0", "1", "true", "false")
NOT_GROUPABLE = ("one2many", "many2many", "binary", "json")


def check_arch(env, model_name, root, where):
    """Check ``root`` (a form, list, ... element) of a view of ``model_name``.

    ``where(node)`` gives the place named in errors: ``"file.xml: line 12"`` while loading,
    a view label when checking a combined arch.
    """
    ArchChecker(env, where).check(model_name, root)


def check_domain(registry, model, domain, what="domain"):
    """Refuse a domain that is malformed or names unknown fields or operators (values unchecked)."""
    if not isinstance(domain, list):
        raise ViewError(f"{what} must be a JSON list, got {json.dumps(domain)}")
    try:
        parse(domain)
    except DomainError as exc:
        raise ViewError(f"{what}: {exc}") from None
    for term in domain:
        if isinstance(term, (list, tuple)):
            path, operator, _value = term
            if operator not in OPERATORS:
                raise ViewError(f"{what}: unknown operator {operator!r} (known: {', '.join(OPERATORS)})")
            field_path(registry, model, path, what)


def field_path(registry, model, path, what="domain"):
    """The last field of a dotted path such as ``partner_id.city``; ViewError when unknown."""
    field = None
    for position, name in enumerate(path.split(".")):
        if field is not None:
            if getattr(field, "comodel", None):
                model = registry.models[field.comodel]
            else:
                raise ViewError(f"{what}: {field.model_name}.{field.name} is not relational, "
                                f"cannot follow {path!r}")
        field = model._fields.get(name)
        if field is None:
            raise ViewError(f"{what}: field {name!r} does not exist on model {model._name!r}"
                            + (f" (in {path!r})" if position else ""))
    return field


class ArchChecker:
    """Walks one arch; ``kind`` is the view type whose rules apply (a sub-view changes it)."""

    def __init__(self, env, where):
        self.env = env
        self.registry = env.registry
        self.where = where
        self.groups_seen = {}

    def fail(self, node, message):
        raise ViewError(f"{self.where(node)}: {message}")

    def check(self, model_name, root):
        model = self.registry.models.get(model_name)
        if model is None:
            self.fail(root, f"unknown model {model_name!r} (is the addon that declares it installed?)")
        self.check_view(model, root)

    def check_view(self, model, root):
        self.check_root(model, root)
        self.walk(model, root, root.tag)

    def field(self, model, node, name=None, what="field"):
        name = name or node.get("name")
        field = model._fields.get(name)
        if field is None:
            self.fail(node, f"{what} {name!r} does not exist on model {model._name!r}")
        return field

    def json(self, node, attribute, expected):
        text = node.get(attribute)
        try:
            value = json.loads(text)
        except ValueError as exc:
            self.fail(node, f"attribute {attribute}={text!r} is not valid JSON: {exc}")
        if not isinstance(value, expected):
            self.fail(node, f"attribute {attribute} must be a JSON {'list' if expected is list else 'object'}")
        return value

    def domain(self, model, node, attribute):
        value = self.json(node, attribute, list)
        try:
            check_domain(self.registry, model, value, f"attribute {attribute}")
        except ViewError as exc:
            self.fail(node, str(exc))

    # -- roots ----------------------------------------------------------------------
    def check_root(self, model, root):
        if root.get("default_order"):
            self.order(model, root, root.get("default_order"))
        if root.tag == "kanban" and root.get("group_by"):
            self.groupable(model, root, root.get("group_by"))
        if root.tag == "calendar":
            for attribute in ("date_start", "date_stop"):
                if root.get(attribute) and self.field(model, root, root.get(attribute), attribute).type not in DATES:
                    self.fail(root, f"{attribute} {root.get(attribute)!r} is not a date or datetime field")
            for attribute in ("color", "all_day"):
                if root.get(attribute):
                    self.field(model, root, root.get(attribute), attribute)

    def order(self, model, node, order):
        for part in order.split(","):
            words = part.split()
            if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
                self.fail(node, f"bad default_order {order!r}: use 'field' or 'field desc', comma-separated")
            field = self.field(model, node, words[0], "default_order field")
            if not field.store or field.type in ("one2many", "many2many"):
                self.fail(node, f"default_order: {model._name}.{field.name} is not stored, "
                                "records cannot be sorted by it")

    def groupable(self, model, node, spec):
        name, _sep, interval = spec.partition(":")
        field = self.field(model, node, name, "group-by field")
        if not field.store or field.type in NOT_GROUPABLE:
            self.fail(node, f"cannot group by {model._name}.{name}: it is not stored in a column")
        if interval and (field.type not in DATES or interval not in INTERVALS):
            self.fail(node, f"group by {spec!r}: an interval ({', '.join(INTERVALS)}) needs a date field")

    # -- the tree -------------------------------------------------------------------------
    def walk(self, model, parent, kind):
        for node in parent.iterchildren("*"):
            if node.get("groups"):
                self.groups(node)
            self.modifiers(model, node)
            handler = getattr(self, f"node_{node.tag}", None)
            if handler is not None:
                handler(model, node, kind)
            else:
                self.walk(model, node, kind)

    def modifiers(self, model, node):
        for attribute in ("readonly", "required", "invisible"):
            value = node.get(attribute)
            if value is not None and value.strip().lower() not in BOOL_TOKENS:
                if not value.lstrip().startswith("["):
                    self.fail(node, f"{attribute}={value!r}: use 0, 1, true, false or a JSON domain")
                self.domain(model, node, attribute)

    def node_field(self, model, node, kind):
        field = self.field(model, node)
        if node.get("options"):
            self.json(node, "options", dict)
        if node.get("context"):
            self.json(node, "context", dict)
        if node.get("domain"):
            if field.type not in ("many2one", "one2many", "many2many"):
                self.fail(node, f"a domain is only for relational fields, not {model._name}.{field.name}")
            self.domain(self.registry.models[field.comodel], node, "domain")
        if kind == "search":
            self.search_field(model, node)
        if kind == "list" and (node.get("sum") or node.get("avg")) and field.type not in NUMERIC:
            self.fail(node, f"sum/avg need a number field, {model._name}.{field.name} is a {field.type}")
        if kind in ("pivot", "graph"):
            self.report_field(model, node, field)
        for sub in node.iterchildren("*"):
            if field.type not in ("one2many", "many2many"):
                self.fail(sub, f"a <{sub.tag}> sub-view is only for one2many and many2many fields, "
                               f"not {model._name}.{field.name}")
            self.check_view(self.registry.models[field.comodel], sub)

    def search_field(self, model, node):
        if node.get("operator") and node.get("operator") not in OPERATORS:
            self.fail(node, f"unknown operator {node.get('operator')!r} (known: {', '.join(OPERATORS)})")
        if node.get("filter_domain"):
            self.domain(model, node, "filter_domain")

    def report_field(self, model, node, field):
        if node.get("type") == "measure":
            if field.type not in NUMERIC:
                self.fail(node, f"measure {model._name}.{field.name} is not a number field")
        else:
            self.groupable(model, node, field.name + (f":{node.get('interval')}" if node.get("interval") else ""))

    def node_filter(self, model, node, kind):
        if node.get("domain"):
            self.domain(model, node, "domain")
        if node.get("context"):
            context = self.json(node, "context", dict)
            if context.get("group_by"):
                self.groupable(model, node, context["group_by"])
        if node.get("groupby"):
            self.groupable(model, node, node.get("groupby"))

    def node_button(self, model, node, kind):
        name = node.get("name")
        if node.get("type", "object") == "object":
            if name.startswith("_") or not callable(getattr(model, name, None)):
                self.fail(node, f"button {name!r}: model {model._name!r} has no public method {name!r}")
        else:
            found = resolve_xmlid(self.env, name)
            if found is None or found[0] != "ir.actions.window":
                self.fail(node, f"button {name!r}: no window action has this external id")
        if node.get("states"):
            state = model._fields.get("state")
            if state is None:
                self.fail(node, f"button {name!r} has states= but model {model._name!r} has no state field")
            options = state.selection if isinstance(getattr(state, "selection", None), (list, tuple)) else None
            unknown = [s.strip() for s in node.get("states").split(",") if options and s.strip() not in dict(options)]
            if unknown:
                self.fail(node, f"button {name!r}: unknown state(s) {', '.join(unknown)}")
        if node.get("context"):
            self.json(node, "context", dict)

    def node_label(self, model, node, kind):
        if node.get("for"):
            self.field(model, node, node.get("for"), "label for")

    def groups(self, node):
        for xml_id in (g.strip() for g in node.get("groups").split(",")):
            if xml_id not in self.groups_seen:
                found = resolve_xmlid(self.env, xml_id) if "." in xml_id else None
                self.groups_seen[xml_id] = found is not None and found[0] == "res.groups"
            if not self.groups_seen[xml_id]:
                self.fail(node, f"groups: {xml_id!r} is not the external id (addon.name) of a group")

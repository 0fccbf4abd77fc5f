"""The state of a list screen in its URL: text search, filters, group-by, order, page.

Everything is read from the model's search view: a filter is chosen by its name, never
sent as a domain by the browser, so a URL cannot widen what the ORM already restricts.
"""
import json
from urllib.parse import urlencode

from werkzeug.exceptions import BadRequest

from ..i18n.translate import _

PAGE_SIZE = 80


class SearchState:
    def __init__(self, env, model, args, search_arch, default_limit=PAGE_SIZE):
        self.model = model
        self.text = (args.get("q") or "").strip()
        self.filters = [f for f in args.getlist("f") if f]
        self.groupby = [g for g in args.getlist("g") if g]
        self.order = args.get("o") or None
        self.fixed = [g for g in args.getlist("gf") if "=" in g]
        self.action = _action(env, model, args.get("action"))
        self.view = args.get("view") if args.get("view") in ("kanban", "calendar", "pivot", "graph") else None
        self.search_arch = search_arch
        self.limit = default_limit
        try:
            self.page = max(1, int(args.get("p", 1)))
        except ValueError:
            raise BadRequest(_("The page must be a whole number")) from None
        self.available_filters = _filters(search_arch)
        self.available_groupbys = _groupbys(search_arch)
        self.search_fields = [(node.get("name"), node.get("filter_domain"))
                              for node in search_arch.iter("field")] if search_arch is not None else []
        if not self.search_fields:
            self.search_fields = [(model._rec_name, None)]
        for name in self.filters:
            if name not in self.available_filters:
                raise BadRequest(_("Unknown filter %(filter)r") % {"filter": name})
        for spec in self.groupby:
            if spec.split(":")[0] not in model._fields:
                raise BadRequest(_("Cannot group by %(spec)r") % {"spec": spec})
        if self.order:
            name = self.order.split()[0]
            field = model._fields.get(name)
            if field is None or not field.store or field.type in ("one2many", "many2many", "binary"):
                raise BadRequest(_("Cannot sort by %(field)r") % {"field": name})

    def domain(self):
        from ..orm.domain import AND, OR
        domain = []
        if self.text:
            domain = OR(*[_text_domain(name, filter_domain, self.text) for name, filter_domain in self.search_fields])
        chosen = [self.available_filters[name]["domain"] for name in self.filters]
        fixed = [_group_domain(self.model, item) for item in self.fixed]
        action_domain = self.action.domain or [] if self.action else []
        return AND(action_domain, domain, OR(*chosen) if chosen else [], *fixed)

    @property
    def offset(self):
        return (self.page - 1) * self.limit

    def url(self, base, **changes):
        params = {"action": self.action.id if self.action else None, "view": self.view, "q": self.text, "f": self.filters, "g": self.groupby, "gf": self.fixed, "o": self.order,
                  "p": self.page}
        params.update(changes)
        pairs = []
        for key, value in params.items():
            for item in (value if isinstance(value, list) else [value]):
                if item not in (None, "", 1) or (key != "p" and item not in (None, "")):
                    pairs.append((key, item))
        return base + ("?" + urlencode(pairs) if pairs else "")


def _text_domain(name, filter_domain, text):
    """The domain of a search field for ``text``: its ``filter_domain`` with ``"$self"``
    standing for the text, else the field containing it."""
    if not filter_domain:
        return [(name, "ilike", text)]
    return [[item[0], item[1], text if item[2] == "$self" else item[2]] if isinstance(item, list) else item
            for item in json.loads(filter_domain)]


def _filters(arch):
    result = {}
    if arch is None:
        return result
    for node in arch.iter("filter"):
        if node.get("domain") and node.get("name"):
            try:
                domain = json.loads(node.get("domain"))
            except ValueError:
                continue
            result[node.get("name")] = {"label": node.get("string") or node.get("name"), "domain": domain}
    return result


def _groupbys(arch):
    if arch is None:
        return []
    return [{"label": node.get("string") or node.get("groupby"), "spec": node.get("groupby")}
            for node in arch.iter("filter") if node.get("groupby")]


def _group_domain(model, item):
    """``"partner_id=7"``, ``"state="`` or ``"date:month=2025-03"`` as a domain."""
    import datetime as dt
    spec, _sep, value = item.partition("=")
    name, _sep, part = spec.partition(":")
    field = model._fields.get(name)
    if field is None or not field.store:
        raise BadRequest(_("Cannot filter on group %(spec)r") % {"spec": spec})
    if value == "":
        return [(name, "=", False)]
    if not part:
        return [(name, "=", int(value) if field.type in ("many2one", "integer") and value.isdigit() else value)]
    try:
        if part == "year":
            start, end = dt.date(int(value), 1, 1), dt.date(int(value) + 1, 1, 1)
        elif part == "quarter":
            year, quarter = value.split("-Q")
            start = dt.date(int(year), 3 * int(quarter) - 2, 1)
            end = dt.date(int(year) + (quarter == "4"), 1 if quarter == "4" else 3 * int(quarter) + 1, 1)
        elif part == "month":
            year, month = (int(v) for v in value.split("-"))
            start, end = dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1)
        elif part == "day":
            start = dt.date.fromisoformat(value)
            end = start + dt.timedelta(days=1)
        else:
            raise ValueError(part)
    except ValueError:
        raise BadRequest(_("Bad group value %(value)r") % {"value": item}) from None
    return ["&", (name, ">=", start), (name, "<", end)]


def _action(env, model, value):
    """The window action the list was opened from: its domain narrows the list."""
    if not value:
        return None
    if not value.isdigit():
        raise BadRequest(_("Bad action"))
    action = env["ir.actions.window"].sudo().browse(int(value)).exists()
    if not action or action.model != model._name:
        raise BadRequest(_("This action does not belong to this list"))
    return action

"""List, kanban and grouped screens of any model, from its list/kanban/search views."""
from werkzeug.exceptions import BadRequest, NotFound

from ..addons.shared_cache import shared
from ..i18n.translate import _
from .search_state import SearchState
from .values import display, group_label


COUNT_PAGES = 10  # a list counts its records up to this many pages ahead ("1–80 of 800+")


def model_of(ctx, model_name):
    env = ctx.require_user()
    if model_name not in env.registry.models or env.registry.models[model_name]._abstract:
        raise NotFound(_("There is no model %(model)r") % {"model": model_name})
    return env[model_name]


def available_views(env, model_name):
    """The view types declared for a model (a list is always there)."""
    cache = shared(env, "views")
    key = ("view types", model_name)
    if key not in cache:
        views = env["ir.ui.view"].sudo().search([("model", "=", model_name), ("inherit_id", "=", False)])
        declared = {view.type for view in views}
        cache[key] = ["list"] + [kind for kind in ("kanban", "calendar", "pivot", "graph") if kind in declared]
    return cache[key]


def get_arch(env, model_name, view_type):
    """The view as the request's user may see it (read as the system, cut for him)."""
    return env["ir.ui.view"].sudo().get_view(model_name, view_type, for_user=None if env.su else env.uid)


def columns_of(model, arch):
    """``[(field, node)]`` of the fields a list or kanban view shows (the user may read)."""
    checker = model.env.registry.access_checker
    result = []
    card = arch.find("card") if arch.tag == "kanban" else None
    for node in (card if card is not None else arch).iter("field"):
        if node.getparent() is not None and node.getparent().tag not in ("list", "kanban", "card", "templates"):
            continue
        field = model._fields.get(node.get("name"))
        if field is None or node.get("invisible") in ("1", "true") or node.get("optional") == "hide":
            continue
        if field.groups and checker is not None and not checker.field_allowed(model.env, field):
            continue
        result.append((field, node))
    return result


def list_view(ctx, model_name):
    model = model_of(ctx, model_name)
    view_type = ctx.request.args.get("view", "list")
    if view_type not in ("list", "kanban", "calendar", "pivot", "graph"):
        raise BadRequest(_("Unknown view type %(type)r") % {"type": view_type})
    if view_type in ("calendar", "pivot", "graph"):
        from .reports import report_view
        return report_view(ctx, model, view_type)
    arch = get_arch(model.env, model_name, view_type)
    search = SearchState(model.env, type(model), ctx.request.args, get_arch(model.env, model_name, "search"))
    if search.action and search.action.limit:
        search.limit = search.action.limit  # the action's "records per page"
    if search.order is None and arch.get("default_order"):
        search.order = arch.get("default_order")
    columns = columns_of(model, arch)
    domain = search.domain()
    base_url = f"/web/m/{model_name}"
    title = search.action.name if search.action else (model._description or model_name)
    values = dict(model=model, model_name=model_name, columns=columns, search=search, base_url=base_url,
                  available_views=available_views(model.env, model_name),
                  title=title, display=display, view_type=view_type,
                  breadcrumbs=[{"label": title, "url": base_url + (f"?action={search.action.id}" if search.action else "")}])
    if view_type == "kanban":
        return _kanban(ctx, model, arch, search, domain, values)
    sums = [f.name for f, node in columns if node.get("sum") and f.type in ("integer", "float", "decimal", "monetary")]
    if search.groupby:
        groups = model.read_group(domain, [search.groupby[0]], ["__count"] + [f"{n}:sum" for n in sums],
                                  order=search.groupby[0] if ":" in search.groupby[0] else None)
        for group in groups:
            group["url"] = _group_url(search, base_url, group[search.groupby[0]])
            group["label"] = group_label(model, search.groupby[0], group[search.groupby[0]], ctx.lang)
        return ctx.render("list.html", groups=groups, sums=sums, records=None, total=sum(g["__count"] for g in groups),
                          **values)
    records = model.search(domain, order=search.order, limit=search.limit, offset=search.offset)
    total, more = _count(ctx, model, domain, search, len(records))
    totals = {}
    if sums and total:
        row = model.read_group(domain, [], [f"{n}:sum" for n in sums])
        totals = {n: row[0][f"{n}:sum"] for n in sums} if row else {}
    pages = max(1, -(-total // search.limit))
    return ctx.render("list.html", records=records, total=total, more=more, pages=pages, totals=totals,
                      groups=None, sums=sums, **values)


def _count(ctx, model, domain, search, shown):
    """``(total, more)``: the number of matching records, counted up to ``COUNT_PAGES`` pages
    ahead unless the user asked for the exact figure (``count=all``): counting every row a
    text search matches scans the whole table, on every page. ``more``: there are more
    than ``total``."""
    if shown < search.limit and (shown or not search.offset):
        return search.offset + shown, False  # the last page: no count at all
    if ctx.request.args.get("count") == "all":
        return model.search_count(domain), False
    cap = search.offset + COUNT_PAGES * search.limit
    total = model.search_count(domain, limit=cap + 1)
    return min(total, cap), total > cap


def _group_url(search, base_url, value):
    """The list of one group: the same search, one level of grouping less, the group fixed."""
    spec = search.groupby[0]
    if isinstance(value, dict):
        value = value["id"]
    fixed = search.fixed + [f"{spec}={'' if value is None else value}"]
    return search.url(base_url, g=search.groupby[1:], gf=fixed, p=1)


def _kanban(ctx, model, arch, search, domain, values):
    """Cards in columns: the options of a selection, or the records of a many2one's model —
    those a model's ``_group_expand_<field>()`` names (e.g. the statuses of its flow), else
    the first 50."""
    group_field = (search.groupby[0] if search.groupby else None) or arch.get("group_by")
    records = model.search(domain, order=search.order, limit=500)
    if not group_field:
        column = {"key": "", "label": values["title"], "records": list(records)}
        return ctx.render("kanban.html", kanban_columns=[column], group_field="", **values)
    field = model._fields.get(group_field)
    if field is None:
        raise BadRequest(_("Cannot group cards by %(field)r") % {"field": group_field})
    columns = []
    if field.type == "selection":
        keys = [(key, label) for key, label in field.options(model)]
    elif field.type == "many2one":
        expand = getattr(model, f"_group_expand_{group_field}", None)
        targets = expand() if expand else model.env[field.comodel].search([], limit=50)
        keys = [(t.id, t.display_name) for t in targets]
    else:
        raise BadRequest(_("Kanban columns need a selection or many2one field"))
    by_key = {key: [] for key, _label in keys}
    by_key.setdefault(None, [])
    for record in records:
        value = record[group_field]
        key = value.id if field.type == "many2one" else value
        by_key.setdefault(key, []).append(record)
    for key, label in keys + ([(None, "")] if by_key[None] else []):
        columns.append({"key": "" if key is None else key, "label": label, "records": by_key.get(key, [])})
    return ctx.render("kanban.html", kanban_columns=columns, group_field=group_field, **values)


def kanban_move(ctx, model_name):
    """Drag and drop: write the group-by field of one card (an ordinary ORM write)."""
    ctx.check_csrf()
    model = model_of(ctx, model_name)
    form = ctx.request.form
    try:
        record = model.browse(int(form.get("id", ""))).exists()
    except ValueError:
        raise BadRequest(_("Bad record id")) from None
    if not record:
        raise NotFound(_("The record no longer exists"))
    record._check_access("write")
    record._check_rules("write")  # a card of a record the user may not change: 403, whatever the field
    field_name = form.get("field", "")
    field = model._fields.get(field_name)
    if field is None or field.type not in ("selection", "many2one") or field.readonly \
            or field_name not in _kanban_columns(model):
        raise BadRequest(_("Cards cannot be moved along %(field)r") % {"field": field_name})
    value = form.get("value") or None
    if value is not None and field.type == "many2one":
        value = int(value)
    record.write({field_name: value})
    return ctx.json({"ok": True})


def _kanban_columns(model):
    """The fields the kanban board can show as columns: its ``group_by`` and the group-by
    options of the search view. Only those can be written by dragging a card."""
    names = {get_arch(model.env, model._name, "kanban").get("group_by")}
    search = get_arch(model.env, model._name, "search")
    names.update(node.get("groupby").split(":")[0] for node in search.iter("filter") if node.get("groupby"))
    return names - {None}


def bulk(ctx, model_name):
    """Actions on the selected rows of a list: delete or export."""
    ctx.check_csrf()
    model = model_of(ctx, model_name)
    try:
        ids = [int(i) for i in ctx.request.form.getlist("ids")]
    except ValueError:
        raise BadRequest(_("Bad record ids")) from None
    records = model.browse(tuple(ids)).exists()
    action = ctx.request.form.get("action")
    if action == "delete":
        records.unlink()
        return ctx.redirect(f"/web/m/{model_name}")
    if action in ("csv", "xlsx"):
        from .data_io import export_records
        return export_records(ctx, model, records, action)
    raise BadRequest(_("Unknown bulk action %(action)r") % {"action": action})

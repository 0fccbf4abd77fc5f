"""Calendar, pivot and graph screens; graphs are SVG drawn on the server (no CDN, no build)."""
import calendar as calendar_module
import datetime as dt
import math

from werkzeug.exceptions import BadRequest

from ..i18n.translate import _

from .listview import available_views, get_arch
from .search_state import SearchState
from .values import display, group_label

COLORS = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#c53030", "#2c7a7b", "#4a5568"]


def report_view(ctx, model, view_type):
    arch = get_arch(model.env, model._name, view_type)
    search = SearchState(model.env, type(model), ctx.request.args, get_arch(model.env, model._name, "search"))
    title = model._description or model._name
    base_url = f"/web/m/{model._name}"
    values = dict(model=model, model_name=model._name, search=search, base_url=base_url, title=title,
                  available_views=available_views(model.env, model._name),
                  view_type=view_type, display=display, breadcrumbs=[{"label": title, "url": base_url}])
    if view_type == "calendar":
        return ctx.render("calendar.html", **values, **_calendar(ctx, model, arch, search))
    rows, cols, measures = _dimensions(model, arch, ctx.request.args)
    if view_type == "pivot":
        return ctx.render("pivot.html", **values, **_pivot(model, search, rows, cols, measures, ctx.lang))
    return ctx.render("graph.html", **values, svg=_graph(model, search, arch, rows, measures, ctx.lang))


def _dimensions(model, arch, args):
    rows = args.getlist("row") or [n.get("name") + (":" + n.get("interval") if n.get("interval") else "")
                                   for n in arch.iter("field") if n.get("type") == "row"]
    cols = args.getlist("col") or [n.get("name") + (":" + n.get("interval") if n.get("interval") else "")
                                   for n in arch.iter("field") if n.get("type") == "col"]
    measures = [n.get("name") for n in arch.iter("field") if n.get("type") == "measure"]
    for spec in rows + cols + measures:
        if spec.split(":")[0] not in model._fields:
            raise BadRequest(_("Unknown field %(field)r") % {"field": spec})
    return rows[:1], cols[:1], measures


def _pivot(model, search, rows, cols, measures, lang):
    aggregates = ["__count"] + [f"{m}:sum" for m in measures]
    groups = model.read_group(search.domain(), rows + cols, aggregates) if rows or cols else \
        model.read_group(search.domain(), [], aggregates)
    row_keys = sorted({group_label(model, rows[0], g[rows[0]], lang) for g in groups}) if rows else ["Total"]
    col_keys = sorted({group_label(model, cols[0], g[cols[0]], lang) for g in groups}) if cols else ["Total"]
    measure = f"{measures[0]}:sum" if measures else "__count"
    cells = {}
    for group in groups:
        key = (group_label(model, rows[0], group[rows[0]], lang) if rows else "Total",
               group_label(model, cols[0], group[cols[0]], lang) if cols else "Total")
        cells[key] = group[measure]
    row_totals = {r: sum((cells.get((r, c)) or 0) for c in col_keys) for r in row_keys}
    col_totals = {c: sum((cells.get((r, c)) or 0) for r in row_keys) for c in col_keys}
    return dict(row_keys=row_keys, col_keys=col_keys, cells=cells, row_totals=row_totals, col_totals=col_totals,
                grand_total=sum(row_totals.values()), measure_field=model._fields.get(measures[0]) if measures else None)


def _graph(model, search, arch, rows, measures, lang):
    """An SVG bar, line or pie chart of one measure by one dimension."""
    kind = arch.get("type", "bar")
    measure = f"{measures[0]}:sum" if measures else "__count"
    groups = model.read_group(search.domain(), rows, ["__count"] + [f"{m}:sum" for m in measures]) if rows else []
    points = [(group_label(model, rows[0], g[rows[0]], lang), float(g[measure] or 0)) for g in groups][:24]
    if not points:
        return ""
    width, height, pad = 640, 320, 40
    top = max(v for _k, v in points) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart">']
    if kind == "pie":
        total = sum(v for _k, v in points) or 1
        angle, cx, cy, radius = -math.pi / 2, width / 2, height / 2, height / 2 - 10
        for index, (label, value) in enumerate(points):
            sweep = 2 * math.pi * value / total
            x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x2, y2 = cx + radius * math.cos(angle + sweep), cy + radius * math.sin(angle + sweep)
            large = 1 if sweep > math.pi else 0
            parts.append(f'<path d="M{cx},{cy} L{x1:.1f},{y1:.1f} A{radius},{radius} 0 {large} 1 {x2:.1f},{y2:.1f} Z" '
                         f'fill="{COLORS[index % len(COLORS)]}"><title>{_esc(label)}: {value:g}</title></path>')
            angle += sweep
    else:
        step = (width - 2 * pad) / len(points)
        coords = []
        for index, (label, value) in enumerate(points):
            x = pad + index * step
            bar = (height - 2 * pad) * value / top
            coords.append((x + step / 2, height - pad - bar))
            if kind == "bar":
                parts.append(f'<rect x="{x + 4:.1f}" y="{height - pad - bar:.1f}" width="{step - 8:.1f}" height="{bar:.1f}" '
                             f'fill="{COLORS[0]}"><title>{_esc(label)}: {value:g}</title></rect>')
            parts.append(f'<text x="{x + step / 2:.1f}" y="{height - pad + 16}" text-anchor="middle" '
                         f'font-size="11">{_esc(label[:14])}</text>')
        if kind == "line":
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{COLORS[0]}" stroke-width="2"/>')
        parts.append(f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#888"/>')
    parts.append("</svg>")
    return "".join(parts)


def _esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _calendar(ctx, model, arch, search):
    """A month (or week, or day) of records placed on their date field."""
    date_field = arch.get("date_start")
    if date_field not in model._fields:
        raise BadRequest(_("This calendar view has no date_start field"))
    mode = ctx.request.args.get("mode") or arch.get("mode", "month")
    if mode not in ("month", "week", "day"):
        raise BadRequest(_("The calendar mode is month, week or day"))
    try:
        anchor = dt.date.fromisoformat(ctx.request.args.get("date") or dt.date.today().isoformat())
    except ValueError:
        raise BadRequest(_("Bad date")) from None
    first_weekday = 6 if ctx.lang == "he" else 0  # Sunday in Israel
    if mode == "month":
        weeks = calendar_module.Calendar(first_weekday).monthdatescalendar(anchor.year, anchor.month)
        start, end = weeks[0][0], weeks[-1][-1]
    elif mode == "week":
        offset = (anchor.weekday() - first_weekday) % 7
        start = anchor - dt.timedelta(days=offset)
        end = start + dt.timedelta(days=6)
        weeks = [[start + dt.timedelta(days=i) for i in range(7)]]
    else:
        start = end = anchor
        weeks = [[anchor]]
    field = model._fields[date_field]
    upper = end + dt.timedelta(days=1)
    domain = ["&", (date_field, ">=", start), (date_field, "<", upper)]
    from ..orm.domain import AND
    records = model.search(AND(search.domain(), domain), limit=1000)
    by_day = {}
    for record in records:
        value = record[date_field]
        day = value.date() if isinstance(value, dt.datetime) else value
        by_day.setdefault(day, []).append(record)
    if mode == "month":  # the first days of the months before and after (31 days may skip February)
        before = (anchor.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        after = (anchor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    else:
        step = dt.timedelta(days=7 if mode == "week" else 1)
        before, after = anchor - step, anchor + step
    return dict(weeks=weeks, by_day=by_day, mode=mode, anchor=anchor, date_field=field,
                prev_date=before.isoformat(), next_date=after.isoformat())

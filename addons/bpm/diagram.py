"""The flow drawn on the server as SVG: statuses as boxes, transitions as labelled arrows.

Statuses are laid out in columns by their distance from the initial status (reading
direction: left to right, right to left in Hebrew); the current status is filled. No
script, no external resource: it is safe inline in a page and under the site's CSP.
"""
from markupsafe import Markup, escape

from core.i18n.translate import gettext
from core.web.i18n_web import direction

NODE_H, GAP_X, GAP_Y, MARGIN = 44, 110, 36, 24
CHAR_W = 7.5


def layers(spec):
    """``[[StatusSpec, ...], ...]``: columns of statuses by distance from the initial one."""
    depth = {}
    start = spec.initial
    todo = [start.id] if start else []
    if start:
        depth[start.id] = 0
    while todo:
        current = todo.pop(0)
        for transition in spec.outgoing.get(current, ()):
            if transition.to_id not in depth:
                depth[transition.to_id] = depth[current] + 1
                todo.append(transition.to_id)
    last = max(depth.values(), default=-1) + 1
    columns = {}
    for status in sorted(spec.statuses.values(), key=lambda s: (s.sequence, s.id)):
        columns.setdefault(depth.get(status.id, last), []).append(status)
    return [columns[key] for key in sorted(columns)]


def flow_svg(spec, lang="en", current_id=None, uid="bpm"):
    """The SVG (Markup) of ``spec``, labels in ``lang``, ``current_id`` highlighted."""
    rtl = direction(lang) == "rtl"
    label = {s.id: gettext(lang, s.name) for s in spec.statuses.values()}
    columns = layers(spec)
    width_of = max([120] + [int(len(text) * CHAR_W) + 28 for text in label.values()])
    tallest = max((len(column) for column in columns), default=1)
    total_w = MARGIN * 2 + len(columns) * width_of + max(len(columns) - 1, 0) * GAP_X
    total_h = MARGIN * 2 + tallest * NODE_H + (tallest - 1) * GAP_Y + 30
    boxes = {}
    for index, column in enumerate(columns):
        x = MARGIN + index * (width_of + GAP_X)
        if rtl:
            x = total_w - x - width_of
        top = MARGIN + 15 + (tallest - len(column)) * (NODE_H + GAP_Y) / 2
        for row, status in enumerate(column):
            boxes[status.id] = (x, top + row * (NODE_H + GAP_Y), width_of, NODE_H)
    parts = [_head(uid, total_w, total_h, lang, rtl)]
    pairs = {(t.from_id, t.to_id) for items in spec.outgoing.values() for t in items}
    for items in spec.outgoing.values():
        for transition in items:
            if transition.from_id in boxes and transition.to_id in boxes:
                bend = (transition.to_id, transition.from_id) in pairs or _same_column(boxes, transition)
                parts.append(_arrow(uid, boxes[transition.from_id], boxes[transition.to_id],
                                    gettext(lang, transition.name), bend, transition.id))
    for status in spec.statuses.values():
        parts.append(_node(status, boxes[status.id], label[status.id], status.id == current_id))
    parts.append("</svg>")
    return Markup("".join(str(part) for part in parts))


def _head(uid, width, height, lang, rtl):
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bpm-diagram" role="img" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" lang="{escape(lang)}" '
        f'direction="{"rtl" if rtl else "ltr"}" font-family="sans-serif" font-size="12">'
        f'<defs><marker id="{escape(uid)}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#546e7a"/></marker></defs>')


def _same_column(boxes, transition):
    return boxes[transition.from_id][0] == boxes[transition.to_id][0]


def _node(status, box, text, current):
    x, y, w, h = box
    stroke = status.color or "#546e7a"
    fill = stroke if current else "#ffffff"
    ink = "#ffffff" if current else "#263238"
    dash = ' stroke-dasharray="4 3"' if status.is_closed and not current else ""
    marker = ' aria-current="step"' if current else ""
    weight = ' font-weight="bold"' if current else ""
    return Markup(
        f'<g class="bpm-node{" current" if current else ""}" data-code="{escape(status.code)}"{marker}>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" rx="8" fill="{escape(fill)}" '
        f'stroke="{escape(stroke)}" stroke-width="{3 if current else 1.5}"{dash}/>'
        f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" fill="{ink}"'
        f'{weight}>{escape(text)}</text></g>')


def _arrow(uid, source, target, text, bend, tid):
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    start = (sx + sw / 2, sy + sh / 2)
    end = (tx + tw / 2, ty + th / 2)
    start, end = _edge_point(source, end), _edge_point(target, start)
    mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = max((dx * dx + dy * dy) ** 0.5, 1)
    offset = 34 if bend else 0
    cx, cy = mx - dy / length * offset, my + dx / length * offset
    lx, ly = (start[0] + 2 * cx + end[0]) / 4, (start[1] + 2 * cy + end[1]) / 4
    return Markup(
        f'<g class="bpm-edge" data-transition="{tid}">'
        f'<path d="M{start[0]:.1f},{start[1]:.1f} Q{cx:.1f},{cy:.1f} {end[0]:.1f},{end[1]:.1f}" fill="none" '
        f'stroke="#546e7a" stroke-width="1.4" marker-end="url(#{escape(uid)}-arrow)"/>'
        f'<text x="{lx:.1f}" y="{ly - 5:.1f}" text-anchor="middle" fill="#37474f" font-size="11" '
        f'paint-order="stroke" stroke="#ffffff" stroke-width="4">{escape(text)}</text></g>')


def _edge_point(box, toward):
    """Where the line from the centre of ``box`` to ``toward`` leaves the box."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(w / 2 / abs(dx) if dx else float("inf"), h / 2 / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale

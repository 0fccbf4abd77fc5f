"""Form screens of any model: view, create, edit, delete, duplicate, buttons, onchange."""
import json

from werkzeug.exceptions import BadRequest, NotFound

from ..exceptions import UserError, ValidationError
from ..i18n.translate import _
from .attrs import flag
from .formdata import FormParser, editable_fields, line_fields, posted_lines
from .listview import get_arch, model_of
from .values import display


def _record(model, rid):
    record = model.browse(rid).exists()
    if not record:
        raise NotFound(_("%(model)s %(id)s does not exist (or was deleted)")
                       % {"model": _(model._description) or model._name, "id": rid})
    return record


def form(ctx, model_name, rid):
    model = model_of(ctx, model_name)
    record = _record(model, rid)
    if ctx.request.method == "POST":
        return _save(ctx, model, record)
    return _render(ctx, model, record)


def new(ctx, model_name):
    model = model_of(ctx, model_name)
    if ctx.request.method == "POST":
        return _save(ctx, model, None)
    values = model.default_get()
    action = ctx.request.args.get("action")
    if action and action.isdigit():
        record = model.env["ir.actions.window"].sudo().browse(int(action)).exists()
        context = record.context if record and record.model == model_name and isinstance(record.context, dict) else {}
        values.update({key[8:]: value for key, value in context.items()
                       if key.startswith("default_") and key[8:] in model._fields})
    return _render(ctx, model, None, values=values)


def _render(ctx, model, record, values=None, errors=None, status=200):
    arch = get_arch(model.env, model._name, "form")
    title = model._description or model._name
    base_url = f"/web/m/{model._name}"
    crumbs = [{"label": title, "url": base_url},
              {"label": record.display_name if record else ctx_tr(ctx, "New"), "url": ""}]
    messages = record.message_ids() if record and hasattr(record, "message_ids") and \
        "mail.message" in model.env.registry.models else []
    sections = [html for html in model.env.hooks.kesher_web_form_sections(env=model.env, ctx=ctx, model=model,
                                                                           record=record or model.browse())
                if html]
    return ctx.render("form.html", status=status, model=model, record=record, arch=arch, values=values or {},
                      sections=sections,
                      errors=errors or {}, title=title, base_url=base_url, breadcrumbs=crumbs, display=display,
                      editable=editable_fields(model, arch, record), messages=messages, json=json, flag=flag,
                      lines_of=lambda node: _line_columns(model, node), field_visible=model._field_readable,
                      onchange_fields={n for m in type(model)._onchange_methods.values() for n in m._onchange})


def ctx_tr(ctx, text):
    from ..i18n.translate import gettext
    return gettext(ctx.lang, text)


def _line_columns(model, node):
    """Columns of the inline list of a one2many field node, and the names of those a user
    may edit in it (not readonly in the model nor in the view: the others are shown)."""
    field = model._fields[node.get("name")]
    comodel = model.env[field.comodel]
    inner = node.find("list")
    names = [n.get("name") for n in inner.iter("field")] if inner is not None else \
        [n for n in (comodel._rec_name,) if n in comodel._fields]
    columns = [(comodel._fields[n], n) for n in names if n in comodel._fields and n != field.inverse_name]
    return comodel, columns, line_fields(comodel, field, node)


def _save(ctx, model, record):
    ctx.check_csrf()
    arch = get_arch(model.env, model._name, "form")
    parser = FormParser(model, arch, ctx.request.form, record)
    try:
        values = parser.values()
        if record is None:
            record = model.create(values)
        else:
            version = ctx.request.form.get("version")
            if version:
                if not version.isdigit():
                    raise BadRequest(_("Bad record version"))
                values["version"] = int(version)
            record.write(values)
    except ValidationError as exc:
        model.env.rollback()
        errors = {_error_place(model, arch, exc.field): str(exc)}
        values = _typed_values(model, ctx.request.form, parser.raw_values())
        values.update(posted_lines(model, parser.editable, ctx.request.form))
        return _render(ctx, model, record, values=values, errors=errors, status=422)
    return ctx.redirect(f"/web/m/{model._name}/{record.id}")


def _error_place(model, arch, name):
    """Next to its field when the form shows it (not a line's field), else above the form."""
    for node in arch.iter("field"):
        if node.get("name") == name and node.getparent().tag != "list" and model._fields[name].type != "one2many":
            return name
    return "__all__"


def _typed_values(model, form, raw):
    """What the user typed, shown again after an error: a many2one as its record, a
    checkbox as a boolean (an unchecked one is not posted at all)."""
    values = dict(raw)
    for name, text in raw.items():
        field = model._fields.get(name)
        if field is not None and field.type == "many2one":
            values[name] = model.env[field.comodel].browse(int(text)).exists() if (text or "").isdigit() else None
    for name in [key.removesuffix("__present") for key in raw if key.endswith("__present")]:
        field = model._fields.get(name)
        if field is not None and field.type == "boolean":
            values[name] = name in form
    return values


def delete(ctx, model_name, rid):
    model = model_of(ctx, model_name)
    record = _record(model, rid)
    if ctx.request.method == "GET":
        return ctx.render("confirm.html", record=record, model=model, title=model._description,
                          action=f"/web/m/{model_name}/{rid}/delete", cancel=f"/web/m/{model_name}/{rid}")
    ctx.check_csrf()
    record.unlink()
    return ctx.redirect(f"/web/m/{model_name}")


def duplicate(ctx, model_name, rid):
    ctx.check_csrf()
    model = model_of(ctx, model_name)
    copy = _record(model, rid).copy()
    return ctx.redirect(f"/web/m/{model_name}/{copy.id}")


def call(ctx, model_name, rid, method):
    """A button: only methods marked ``@api.ui_callable`` and shown in the form may run."""
    ctx.check_csrf()
    model = model_of(ctx, model_name)
    record = _record(model, rid)
    arch = get_arch(model.env, model_name, "form")
    shown = {node.get("name") for node in arch.iter("button") if node.get("type", "object") == "object"}
    function = getattr(type(model), method, None)
    if method not in shown or not getattr(function, "_ui_callable", False):
        raise BadRequest(_("%(method)r cannot be called from this form") % {"method": method})
    try:
        result = getattr(record, method)()
    except UserError as exc:  # a refusal: shown on the form, nothing the button did is kept
        model.env.rollback()
        return _render(ctx, model, _record(model, rid), errors={"__all__": str(exc)}, status=422)
    if isinstance(result, dict) and result.get("url", "").startswith("/web/"):
        return ctx.redirect(result["url"])
    return ctx.redirect(f"/web/m/{model_name}/{rid}")


def name_search(ctx, model_name):
    """Autocomplete of many2one inputs: ``[{"id", "name"}]``."""
    model = model_of(ctx, model_name)
    text = ctx.request.args.get("q", "")[:200]
    found = model.name_search(text, limit=8)
    if getattr(model._fields.get(model._rec_name), "translate", False):  # names kept in English: shown translated
        from ..i18n.translate import gettext
        found = [(rid, gettext(ctx.lang, name)) for rid, name in found]
    return ctx.json([{"id": rid, "name": name} for rid, name in found])


def onchange(ctx, model_name):
    """The form sends its values; ``@api.onchange`` methods answer with values to update."""
    ctx.check_csrf()
    model = model_of(ctx, model_name)
    try:
        payload = json.loads(ctx.request.get_data(as_text=True) or "{}")
    except ValueError:
        raise BadRequest(_("The onchange payload must be JSON")) from None
    if not isinstance(payload, dict):
        raise BadRequest(_("Bad onchange payload"))
    changed = payload.get("field")
    values = payload.get("values") or {}
    if not isinstance(values, dict) or changed not in model._fields:
        raise BadRequest(_("Bad onchange payload"))
    updates = {}
    for method in type(model)._onchange_methods.values():
        if changed in method._onchange:
            updates.update(method(model, dict(values, **updates)) or {})
    return ctx.json({"values": {k: _jsonable(v) for k, v in updates.items() if k in model._fields}})


def _jsonable(value):
    if hasattr(value, "_ids"):
        return {"id": value.id, "name": value.display_name} if value else None
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)

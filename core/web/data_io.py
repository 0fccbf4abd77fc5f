"""Export of lists to CSV/XLSX, CSV import with a preview, attachment downloads."""
import base64
import csv
import io

from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.wrappers import Response

from ..exceptions import KesherError
from ..i18n.translate import _, gettext
from .listview import columns_of, get_arch, model_of
from .search_state import SearchState
from .values import parse, plain

EXPORT_LIMIT = 100000
PREVIEW_ROWS = 10


def export(ctx, model_name, fmt):
    model = model_of(ctx, model_name)
    search = SearchState(model.env, type(model), ctx.request.args, get_arch(model.env, model_name, "search"))
    records = model.search(search.domain(), order=search.order, limit=EXPORT_LIMIT)
    return export_records(ctx, model, records, fmt)


def export_records(ctx, model, records, fmt):
    """The records' list-view columns as CSV or XLSX; text without direction marks."""
    if fmt not in ("csv", "xlsx"):
        raise NotFound(_("Export formats are csv and xlsx"))
    columns = columns_of(model, get_arch(model.env, model._name, "list"))
    header = [gettext(ctx.lang, node.get("string") or f.string) for f, node in columns]  # as the list shows them
    rows = ([_cell(f, record, ctx.lang) for f, _node in columns] for record in records)
    filename = model._name.replace(".", "_")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        body = "\ufeff" + buffer.getvalue()  # a BOM so spreadsheet programs read UTF-8 Hebrew
        return _download(ctx, body.encode("utf-8"), f"{filename}.csv", "text/csv; charset=utf-8")
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet(filename[:31])
    if ctx.lang == "he":
        sheet.sheet_view.rightToLeft = True
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return _download(ctx, buffer.getvalue(), f"{filename}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _cell(field, record, lang):
    value = record[field.name]
    if field.type in ("integer", "float", "decimal", "monetary") and value is not None:
        return value
    if field.type in ("date", "datetime") and value is not None:
        return value.isoformat()
    return plain(field, value, lang, record)


def _download(ctx, content, filename, mimetype):
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return ctx.finish(response)


def download(ctx, rid):
    env = ctx.require_user()
    attachment = env["ir.attachment"].browse(rid).exists()
    if not attachment:
        raise NotFound(_("This file does not exist"))
    if attachment.res_model and attachment.res_id:
        # the file of a document is the document's: its model access and its rules apply
        if attachment.res_model not in env.registry.models:
            raise NotFound(_("This file does not exist"))
        document = env[attachment.res_model].browse(attachment.res_id)
        document._check_access("read")
        document.exists()._check_rules("read")
    name = attachment.name.replace('"', "").replace("\r", "").replace("\n", "")
    return _download(ctx, attachment.datas or b"", name, "application/octet-stream")


def import_csv(ctx, model_name):
    """Upload → preview with per-row errors → import; nothing is written if any row fails."""
    model = model_of(ctx, model_name)
    base = dict(model=model, title=model._description or model_name, base_url=f"/web/m/{model_name}")
    if ctx.request.method == "GET":
        return ctx.render("import.html", step="upload", **base)
    ctx.check_csrf()
    form = ctx.request.form
    if "file" in ctx.request.files and ctx.request.files["file"].filename:
        content = ctx.request.files["file"].read()
    elif form.get("content"):
        content = base64.b64decode(form["content"])
    else:
        raise BadRequest(_("Choose a CSV file to import"))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest(_("The file must be UTF-8 encoded CSV")) from None
    header, rows = _read_csv(text)
    fields = _map_header(model, header)
    results = _try_rows(model, fields, rows)
    failed = [r for r in results if r["error"]]
    commit = form.get("step") == "import" and not failed
    if not commit:
        model.env.rollback()
    values = dict(step="done" if commit else "preview", header=header, fields=fields, results=results,
                  failed=failed, preview=results[:PREVIEW_ROWS], content=base64.b64encode(content).decode(), **base)
    return ctx.render("import.html", status=200 if not failed else 422, **values)


def _read_csv(text):
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise BadRequest(_("The file is empty")) from None
    return [h.strip() for h in header], [row for row in reader if any(cell.strip() for cell in row)]


def _map_header(model, header):
    """Columns name fields by technical name or by label (in any language the user sees)."""
    by_label = {f.string.lower(): f for f in model._fields.values() if f.string}
    by_label.update({_(f.string).lower(): f for f in model._fields.values() if f.string})  # the user's language
    fields = []
    for title in header:
        field = model._fields.get(title) or by_label.get(title.lower())
        if field is None or field.readonly or field.type in ("one2many", "binary"):
            raise BadRequest(_("Column %(column)r is not an importable field of %(model)s")
                             % {"column": title, "model": _(model._description) or model._name})
        fields.append(field)
    return fields


def _try_rows(model, fields, rows):
    """Create each row inside a savepoint so its error is reported and the others go on."""
    results = []
    for number, row in enumerate(rows, start=2):
        result = {"line": number, "values": row, "error": None}
        try:
            # an empty cell leaves the field to its default (an empty status is no status)
            values = {f.name: _import_value(model, f, cell) for f, cell in zip(fields, row) if cell.strip()}
            with model.env.session.begin_nested():
                model.create(values)
        except (KesherError, ValueError) as exc:
            model.env.cache.invalidate()
            result["error"] = str(exc)
        results.append(result)
    return results


def _import_value(model, field, cell):
    cell = cell.strip()
    if field.type == "many2one" and cell and not cell.isdigit():
        matches = model.env[field.comodel].name_search(cell, operator="=", limit=2)
        if len(matches) != 1:
            message = _("'%(field)s': no record named %(name)r") if not matches else \
                _("'%(field)s': more than one record named %(name)r")
            raise ValueError(message % {"field": _(field.string), "name": cell})
        return matches[0][0]
    if field.type == "many2many":
        return [model.env[field.comodel].name_search(n.strip(), operator="=", limit=1)[0][0]
                for n in cell.split(",") if n.strip()]
    if field.type == "selection" and cell:
        labels = {label.lower(): key for key, label in field.options(model)}
        return labels.get(cell.lower(), cell)
    return parse(field, cell)

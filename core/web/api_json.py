"""The JSON API under /api/v1: bearer tokens, CRUD, methods, keyset paging, OpenAPI.

Answers: 401 without a valid token, 403 when the model or operation is refused, 404 for
an unknown model or a record that does not exist *or that the user may not see* (so
its existence does not leak), 400 for a bad domain, field or value, 409 for a version
conflict.
"""
import base64
import datetime as dt
import json
from decimal import Decimal

from werkzeug.exceptions import BadRequest, NotFound, Unauthorized
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from ..exceptions import AccessError, ConcurrencyError, DomainError, LimitError, ValidationError
from ..i18n.format import strip_bidi
from ..i18n.translate import _
from .i18n_web import api_lang


COUNT_AHEAD = 1000  # a list answer counts the matching records up to this many past its page


def rules():
    return [
        Rule("/api/v1/openapi.json", endpoint=openapi),
        Rule("/api/v1/<model_name>", endpoint=collection, methods=["GET", "POST"]),
        Rule("/api/v1/<model_name>/<int:rid>", endpoint=item, methods=["GET", "PATCH", "DELETE"]),
        Rule("/api/v1/<model_name>/<int:rid>/<method>", endpoint=call, methods=["POST"]),
    ]


def json_error(code, message, details=None):
    names = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
             409: "conflict", 413: "too_large", 422: "invalid", 500: "server_error"}
    body = {"error": {"code": names.get(code, str(code)), "message": message, "details": details}}
    response = Response(json.dumps(body, ensure_ascii=False), status=code, mimetype="application/json")
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kesher"'
    return response


def _json(data, status=200):
    return Response(json.dumps(data, ensure_ascii=False, default=_default), status=status, mimetype="application/json")


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return strip_bidi(str(value))


def _env(ctx, model_name):
    header = ctx.request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise Unauthorized(_("Send an API token as 'Authorization: Bearer <token>'"))
    try:
        uid = ctx.system["res.users"].authenticate_token(header[7:].strip())
    except AccessError as exc:
        raise Unauthorized(str(exc)) from None
    user = ctx.system["res.users"].browse(uid)
    ctx.speak(api_lang(ctx.request, user.lang))  # the token's user is known: answer in his language
    env = ctx.system.with_user(uid).with_context(lang=ctx.lang)
    if model_name is not None:
        cls = env.registry.models.get(model_name)
        if cls is None or cls._abstract or model_name in ("ir.session", "res.users.apikey", "res.users.login"):
            raise NotFound(_("There is no model %(model)r") % {"model": model_name})
        return env[model_name]
    return env


def _record(model, rid):
    record = model.browse(rid).exists()
    if not record:
        raise NotFound(_("%(model)s %(id)s does not exist") % {"model": model._name, "id": rid})
    try:
        record._check_rules("read")
    except AccessError:
        raise NotFound(_("%(model)s %(id)s does not exist") % {"model": model._name, "id": rid}) from None
    return record


def _fields_param(model, text):
    if not text:
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    for name in names:
        if name not in model._fields:
            raise DomainError(_("Unknown field %(field)r on model %(model)r") % {"field": name, "model": model._name})
    return names


def _parse_json(text, what):
    """``text`` read as JSON; ``what`` is a translated sentence naming it, with ``%(error)s``."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise BadRequest(what % {"error": exc}) from None


def collection(ctx, model_name):
    model = _env(ctx, model_name)
    if ctx.request.method == "POST":
        payload = _payload(ctx, model)
        try:
            record = model.create(payload)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return _json(record.read(None)[0], status=201)
    args = ctx.request.args
    domain = _parse_json(args["domain"], _("The domain is not valid JSON: %(error)s")) if args.get("domain") else []
    fields = _fields_param(model, args.get("fields"))
    try:
        limit = int(args.get("limit", 80))
        offset = int(args.get("offset", 0))
    except ValueError:
        raise BadRequest(_("limit and offset must be whole numbers")) from None
    page_size = ctx.app.registry.config.get("limits", "page_size")
    if limit > page_size or limit < 1:
        raise LimitError(_("limit must be between 1 and %(maximum)s, not %(limit)s") % {"maximum": page_size,
                                                                                         "limit": limit})
    order = args.get("order") or "id"
    keyset = order in ("id", "id asc", "id desc")
    cursor = args.get("cursor")
    page_domain = list(domain)
    if cursor:
        if not keyset:
            raise BadRequest(_("A cursor can only be used with order=id or order=id desc"))
        try:
            last = int(base64.urlsafe_b64decode(cursor.encode()).decode())
        except ValueError:
            raise BadRequest(_("Bad cursor")) from None
        page_domain = ["&", ("id", "<" if order.endswith("desc") else ">", last)] + (_wrap(domain) or [("id", "!=", 0)])
    records = model.search(page_domain, order=order, limit=limit, offset=0 if cursor else offset)
    reached = None if cursor else offset + len(records)  # a cursor's page does not say how many came before
    count, exact = _count(model, domain, args.get("count"), reached, len(records) < limit and (records or not offset))
    rows = records.read(fields)
    next_cursor = None
    if keyset and len(rows) == limit:
        next_cursor = base64.urlsafe_b64encode(str(rows[-1]["id"]).encode()).decode()
    return _json({"records": rows, "count": count, "count_exact": exact, "next": next_cursor})


def _count(model, domain, wanted, reached, last_page):
    """``(count, exact)``: matching records counted up to ``COUNT_AHEAD`` past this page,
    or all of them with ``count=exact`` (counting a large table on every page is a scan).
    The last page of an offset walk needs no count at all."""
    if wanted not in (None, "", "exact"):
        raise BadRequest(_("count must be 'exact' or left out"))
    if reached is not None and last_page:
        return reached, True
    if wanted == "exact":
        return model.search_count(domain), True
    cap = (reached or 0) + COUNT_AHEAD
    count = model.search_count(domain, limit=cap + 1)
    return min(count, cap), count <= cap


def _wrap(domain):
    from ..orm.domain import _wrap
    return _wrap(domain) if domain else []


def item(ctx, model_name, rid):
    model = _env(ctx, model_name)
    record = _record(model, rid)
    if ctx.request.method == "GET":
        return _json(record.read(_fields_param(model, ctx.request.args.get("fields")))[0])
    if ctx.request.method == "DELETE":
        record.unlink()
        return Response(status=204)
    payload = _payload(ctx, model)
    try:
        record.write(payload)
    except ValidationError as exc:
        raise _invalid(exc) from None
    except ConcurrencyError as exc:
        return json_error(409, str(exc))
    return _json(record.read(None)[0])


def call(ctx, model_name, rid, method):
    model = _env(ctx, model_name)
    record = _record(model, rid)
    function = getattr(type(model), method, None)
    if method.startswith("_") or not getattr(function, "_ui_callable", False):
        raise NotFound(_("%(model)s has no method %(method)r callable from the API") % {"model": model_name,
                                                                                          "method": method})
    result = getattr(record, method)()
    return _json({"result": result if isinstance(result, (dict, list, str, int, float, bool, type(None))) else None})


def _payload(ctx, model):
    data = _parse_json(ctx.request.get_data(as_text=True) or "{}", _("The request body is not valid JSON: %(error)s"))
    if not isinstance(data, dict):
        raise BadRequest(_("The request body must be a JSON object of field values"))
    for name in data:
        field = model._fields.get(name)
        if field is None:
            raise BadRequest(_("Unknown field %(field)r on model %(model)r") % {"field": name, "model": model._name})
        if name != "version" and (field.readonly or field.compute or name in ("id", "create_date", "write_date")):
            raise BadRequest(_("The field %(field)r cannot be written") % {"field": name})
    return data


def _invalid(exc):
    error = BadRequest(str(exc))
    error.description = str(exc)
    return error


def openapi(ctx):
    """An OpenAPI 3 document of the installed models (public, no data in it)."""
    from .openapi import document
    return _json(document(ctx.app.registry))



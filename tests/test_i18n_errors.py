"""Error messages in the user's language: the ORM's, the access checker's and the web
layer's, on pages, next to form fields and in API answers; and a scan of the sources
that keeps every user-facing message translatable."""
import ast
import json
import re
from pathlib import Path

import lxml.html
import pytest
from werkzeug.test import Client

from core.exceptions import DomainError, ValidationError
from core.i18n.translate import _lt, use_lang
from core.mail.render import TemplateError
from core.web.app import KesherApp
from db_backends import BACKENDS
from web_helpers import Browser, assert_no_traceback, make_user, module_database, text_of, unique

BIDI_MARKS = ("\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069")


# -- the ORM, without the web --------------------------------------------------------------------
def test_orm_messages_follow_the_current_language(env):
    partner = env["res.partner"].create({"name": "Haifa Trading"}).id
    orders = env["test.order"]
    with use_lang("he", addons=env.registry.addons):  # as a request: its database's catalogs
        with pytest.raises(ValidationError) as required:
            orders.create({"partner_id": partner})
        with pytest.raises(ValidationError) as bad_date:
            orders.create({"name": "x", "partner_id": partner, "date": "yesterday"})
        with pytest.raises(DomainError) as unknown:
            orders.search([("nope", "=", 1)])
    assert str(required.value) == "Test order: השדה 'אסמכתא' הוא שדה חובה"  # the label in Hebrew too
    assert required.value.field == "name"
    assert str(bad_date.value) == "'תאריך' (test.order.date): צפוי תאריך בתבנית YYYY-MM-DD, התקבל 'yesterday'"
    assert str(unknown.value) == "שדה לא מוכר 'nope' במודל 'test.order' בתנאי הסינון"
    with pytest.raises(ValidationError, match=r"^Test order: the field 'Reference' is required$"):
        orders.create({"partner_id": partner})
    with pytest.raises(ValidationError, match=r"^'Date' \(test.order.date\): expected a date as YYYY-MM-DD"):
        orders.create({"name": "x", "partner_id": partner, "date": "yesterday"})


def test_a_lazy_message_is_translated_when_shown():
    error = TemplateError(_lt("Email template failed to render: %(error)s"), error="ZeroDivisionError: boom")
    with use_lang("he"):
        assert str(error) == "הפקת תבנית הדוא\"ל נכשלה: ZeroDivisionError: boom"
    assert str(error) == "Email template failed to render: ZeroDivisionError: boom"


# -- pages, forms and the API -------------------------------------------------------------------
def _setup(env):
    ids = {
        "he_clerk": make_user(env, "he_clerk", lang="he"),
        "en_clerk": make_user(env, "en_clerk", lang="en"),
        "he_api": make_user(env, "he_api", groups=("test_secure.group_secure_user",), lang="he"),
        "en_api": make_user(env, "en_api", groups=("test_secure.group_secure_user",), lang="en"),
    }
    users = env["res.users"]
    tokens = {login: users.browse(ids[login]).create_api_token(login) for login in ("he_api", "en_api")}
    ids["haifa"] = env["res.partner"].create({"name": "Haifa Trading", "customer": True}).id
    return {"ids": ids, "tokens": tokens}


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    yield from module_database(request.param, tmp_path_factory, ["test_web_orders", "test_secure"], setup=_setup)


@pytest.fixture(scope="module")
def app(site):
    return KesherApp(site[0])


@pytest.fixture(scope="module")
def ids(site):
    return site[1]["ids"]


@pytest.fixture(scope="module")
def tokens(site):
    return site[1]["tokens"]


def logged_in(app, login, browser_lang="en"):
    """A browser of ``login``; it asks for English pages: the user's own language must win."""
    browser = Browser(app, lang=browser_lang)
    browser.login(login)
    return browser


def visible(html):
    text = text_of(html)
    for mark in BIDI_MARKS:
        text = text.replace(mark, "")
    return text


def field_error(html, name):
    """The error shown in the block of field ``name`` (None when there is none)."""
    blocks = lxml.html.fromstring(html).xpath(f"//div[contains(@class, 'field')][.//*[@name='{name}']]")
    errors = [p.text_content() for b in blocks for p in b.xpath(".//p[@class='field-error']")]
    return errors[0] if errors else None


def post_new_order(browser, ids, **changes):
    values = dict(browser.form_values("/web/m/test.order/new", browser.get("/web/m/test.order/new").get_data(
        as_text=True)))
    values.update({"name": unique("ERR"), "partner_id": str(ids["haifa"]), **changes})
    return browser.post("/web/m/test.order/new", values, csrf=False)


@pytest.mark.parametrize("login, bad_value, required", [
    ("he_clerk", "'תאריך': '2025-13-45' אינו ערך תקין", "Test order: השדה 'אסמכתא' הוא שדה חובה"),
    ("en_clerk", "'Date': '2025-13-45' is not a valid value", "Test order: the field 'Reference' is required"),
])
def test_a_validation_error_is_shown_next_to_its_field_in_the_user_language(app, ids, login, bad_value, required):
    browser = logged_in(app, login)
    response = post_new_order(browser, ids, date="2025-13-45")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "date").strip() == bad_value
    response = post_new_order(browser, ids, name="")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "name").strip() == required


@pytest.mark.parametrize("login, lang, words", [
    ("he_clerk", "he", ["הגישה נדחתה", "אין לך הרשאה לקרוא רשומות של Secure document (מודל test.secure.doc). "
                                        "יש לבקש הרשאה ממנהל המערכת."]),
    ("en_clerk", "en", ["Access refused", "You are not allowed to read Secure document records (model "
                                          "test.secure.doc). Ask an administrator for access."]),
])
def test_an_access_refusal_page_in_the_user_language(app, login, lang, words):
    response = logged_in(app, login).get("/web/m/test.secure.doc")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    for text in words:
        assert text in visible(page)
    assert_no_traceback(page)


def test_a_conflict_and_an_unknown_page_in_hebrew(app, site, ids):
    registry = site[0]
    rid = registry.run(lambda env: env["test.order"].create({"name": unique("VER"), "partner_id": ids["haifa"]}).id)
    browser = logged_in(app, "he_clerk")
    page = browser.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    data = dict(browser.form_values(f"/web/m/test.order/{rid}", page))
    registry.run(lambda env: env["test.order"].browse(rid).write({"note": "someone else"}))
    response = browser.post(f"/web/m/test.order/{rid}", {**data, "note": "mine"}, csrf=False)
    assert response.status_code == 409
    assert "שונה על ידי מישהו אחר מאז שפתחת אותו" in visible(response.get_data(as_text=True))
    # werkzeug's English description of an unknown address is replaced by ours
    response = Browser(app, lang="he").get("/web/no/such/page")
    assert response.status_code == 404 and "הדף הזה אינו קיים." in visible(response.get_data(as_text=True))
    response = Browser(app, lang="en").get("/web/no/such/page")
    assert "This page does not exist." in visible(response.get_data(as_text=True))


def test_a_csrf_refusal_in_the_user_language(app):
    refused = logged_in(app, "he_clerk").post("/web/logout", csrf="forged-token")
    assert refused.status_code == 403
    assert "תוקף הטופס פג או שהוא לא נשלח מאתר זה" in visible(refused.get_data(as_text=True))
    refused = logged_in(app, "en_clerk").post("/web/logout", csrf="forged-token")
    assert "The form has expired or did not come from this site" in visible(refused.get_data(as_text=True))
    # before logging in: the browser's language
    anonymous = Browser(app, lang="he")
    anonymous.get("/web/login")
    refused = anonymous.post("/web/login", {"login": "he_clerk", "password": "x"}, csrf=False)
    assert refused.status_code == 403 and "תוקף הטופס פג" in visible(refused.get_data(as_text=True))


def test_a_failed_login_in_the_browser_language(app):
    for lang, text in (("he", "שם משתמש או סיסמה שגויים"), ("en", "Wrong login or password")):
        browser = Browser(app, lang=lang)
        browser.get("/web/login")
        response = browser.post("/web/login", {"login": "he_clerk", "password": "not-the-password"})
        assert response.status_code == 401 and text in visible(response.get_data(as_text=True))


def api_get(app, path, token=None, lang=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if lang:
        headers["Accept-Language"] = lang
    response = Client(app).get("/api/v1/" + path, headers=headers)
    assert response.mimetype == "application/json"
    return response.status_code, json.loads(response.get_data(as_text=True))["error"]["message"]


def test_api_errors_in_the_token_user_language(app, tokens):
    # the token's user speaks Hebrew: whatever the client's Accept-Language says
    assert api_get(app, "test.order?order=nope", tokens["he_api"], lang="en") == (
        400, "אי אפשר למיין את test.order לפי 'nope': אין שדה שמור כזה")
    assert api_get(app, "test.order/99999999", tokens["he_api"]) == (404, "test.order 99999999 אינו קיים")
    assert api_get(app, "no.such.model", tokens["he_api"]) == (404, "אין מודל 'no.such.model'")
    status, message = api_get(app, "res.users.login", tokens["he_api"])
    assert status == 404 and message == "אין מודל 'res.users.login'"
    assert api_get(app, "test.order?order=nope", tokens["en_api"], lang="he") == (
        400, "Cannot order test.order by 'nope': no such stored field")
    assert api_get(app, "test.order/99999999", tokens["en_api"]) == (404, "test.order 99999999 does not exist")


def test_api_errors_before_the_token_is_known(app):
    """Accept-Language, else English: a program that does not say is an integrator's."""
    assert api_get(app, "test.order", lang="he") == (401, "יש לשלוח אסימון API בכותרת 'Authorization: Bearer <token>'")
    assert api_get(app, "test.order", token="ksr_not-a-real-token", lang="he") == (401, "אסימון API לא תקין")
    assert api_get(app, "test.order") == (401, "Send an API token as 'Authorization: Bearer <token>'")
    assert api_get(app, "test.order", token="ksr_not-a-real-token") == (401, "Invalid API token")


# -- every user-facing message goes through _() ----------------------------------------------------
CORE = Path(__file__).resolve().parent.parent / "core"
SCANNED = ("orm", "security", "web", "base/models", "mail", "jobs")
USER_FACING = {
    "UserError", "ValidationError", "AccessError", "MissingError", "ConcurrencyError", "DomainError", "LimitError",
    "TemplateError", "ViewError", "BadRequest", "NotFound", "Forbidden", "Unauthorized", "Conflict",
    "MethodNotAllowed", "RequestEntityTooLarge", "UnprocessableEntity",
    # not here: KesherError/RegistryError/AddonError/ConfigError (install, load and configuration time, for
    # integrators) and MailDeliveryError (the SMTP server's answer, stored on the email for administrators)
}
TRANSLATE = ("_", "_lt")
# (file, error class) allowed to keep English messages, and why
ALLOWED = {
    ("core/base/models/ir_ui_view.py", "ViewError"):
        "views that do not combine: an addon's error, met at install or upgrade by its integrator, like the "
        "load errors of core/views",
}


def _is_translated(node):
    """``_("...")``, ``_lt("...")``, ``_("...") % {...}``, or a value built elsewhere (a variable,
    ``str(exc)``, a helper's result); not a literal, an f-string, nor a literal formatted here."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _is_translated(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _is_translated(node.func.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_translated(node.left) and _is_translated(node.right)
    return not isinstance(node, (ast.Constant, ast.JoinedStr))


def _name(func):
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _problems(path, root=CORE.parent):
    source = path.read_text(encoding="utf-8")
    where = path.relative_to(root).as_posix()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in TRANSLATE:
            text = node.args[0] if node.args else None
            if isinstance(text, ast.JoinedStr):
                yield f"{where}:{node.lineno}: {name}() of an f-string (no fixed msgid)"
            elif isinstance(text, ast.Constant) and isinstance(text.value, str) \
                    and re.search(r"(?<!%)%[sdrf]", text.value):
                yield f"{where}:{node.lineno}: {name}() with a positional placeholder: use %(name)s"
            continue
        # a user-facing error, or a field's ``error(message)`` (a ValidationError naming the field)
        if name in USER_FACING or (name == "error" and isinstance(node.func, ast.Attribute)):
            message = node.args[0] if node.args else next(
                (kw.value for kw in node.keywords if kw.arg in ("message", "description")), None)
            if message is not None and not _is_translated(message) and (where, name) not in ALLOWED:
                yield f"{where}:{node.lineno}: {ast.get_source_segment(source, node).splitlines()[0].strip()}"


def test_user_facing_messages_are_translatable():
    """No ``raise UserError(f"...")`` nor ``BadRequest("literal")``: each goes through ``_()``/``_lt()``
    with named placeholders, so ``kesher i18n extract`` finds it and Hebrew can reorder the values."""
    files = sorted(path for folder in SCANNED for path in (CORE / folder).rglob("*.py"))
    assert len(files) > 40
    problems = [problem for path in files for problem in _problems(path)]
    assert problems == [], "messages users read must be _(\"... %(name)s ...\") % {...}:\n" + "\n".join(problems)


def test_the_scan_catches_english_messages(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        'def f(x):\n'
        '    raise ValidationError(f"bad {x}", field="x")\n'
        '    raise BadRequest("Bad request")\n'
        '    raise NotFound("%s is gone" % x)\n'
        '    raise self.error(f"expected {x}")\n'
        '    raise UserError(_("Fine %(x)s") % {"x": x})\n'
        '    raise AccessError(_lt("Fine too"))\n'
        '    raise Unauthorized(str(x))\n'
        '    return _("Positional %s") % x\n', encoding="utf-8")
    found = list(_problems(source, tmp_path))
    assert [problem.split(":")[1] for problem in found] == ["2", "3", "4", "5", "9"]

"""Web UI: login, sessions, logout, safe redirects, CSRF on every state-changing route,
security headers, error pages (never a traceback)."""
import base64
import datetime as dt
import hashlib

import lxml.html
import pytest
from werkzeug.test import Client

from core.web import home
from core.web.app import KesherApp
from web_helpers import (COOKIE, PASSWORD, Browser, assert_no_traceback, make_user, site_fixtures, text_of,
                         unique)


def _setup(env):
    make_user(env, "alice")
    make_user(env, "real_hash", fast=False)  # hashed by set_password, as in production
    make_user(env, "bob")
    make_user(env, "hebrew_user", lang="he")
    make_user(env, "throttled")
    partner = env["res.partner"].create({"name": "Auth customer", "customer": True})
    return {"partner": partner.id}


site, registry, ids, app = site_fixtures(["test_web_orders"], setup=_setup)


@pytest.fixture
def alice(app):
    browser = Browser(app)
    browser.login("alice")
    return browser


def set_cookie_header(response):
    cookies = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith(COOKIE + "=")]
    assert len(cookies) == 1, response.headers
    return cookies[0]


def make_order(registry, partner_id, name=None):
    name = name or unique("AUTH")
    return registry.run(lambda env: env["test.order"].create({"name": name, "partner_id": partner_id}).id)


def order_exists(registry, rid):
    return registry.run(lambda env: bool(env["test.order"].browse(rid).exists()), readonly=True)


# -- login -----------------------------------------------------------------------------
def test_login_page(app):
    browser = Browser(app)
    response = browser.get("/web/login")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'name="login"' in page and 'type="password"' in page and 'name="csrf_token"' in page
    assert '<html lang="en" dir="ltr">' in page and "Log in" in page
    # the anonymous session that carries the CSRF token is an HttpOnly cookie as well
    assert "HttpOnly" in set_cookie_header(response)


def test_protected_pages_send_to_the_login_page_and_back(app):
    browser = Browser(app)
    response = browser.get("/web/m/test.order?q=abc")
    assert response.status_code == 303
    assert response.headers["Location"] == "/web/login?redirect=%2Fweb%2Fm%2Ftest.order%3Fq%3Dabc"
    browser.get(response.headers["Location"])
    assert 'name="redirect" value="/web/m/test.order?q=abc"' in browser.html
    response = browser.post("/web/login", {"login": "alice", "password": PASSWORD,
                                           "redirect": "/web/m/test.order?q=abc"})
    assert response.status_code == 303 and response.headers["Location"] == "/web/m/test.order?q=abc"
    assert browser.get("/web/m/test.order?q=abc").status_code == 200


def test_login_success_sets_a_new_httponly_samesite_session(app, registry):
    browser = Browser(app)
    browser.get("/web/login")
    before = browser.sid
    assert before
    response = browser.post("/web/login", {"login": "real_hash", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/web"
    cookie = set_cookie_header(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    after = browser.sid
    assert after and after != before  # no session fixation
    page = browser.get("/web")
    assert page.status_code == 200 and "Real Hash" in page.get_data(as_text=True)
    # the pre-login session id was dropped: it does not log anyone in
    stale = Browser(app)
    stale.set_sid(before)
    assert stale.get("/web").status_code == 303
    # a session lives in the database: a second client with the same id is logged in
    twin = Browser(app)
    twin.set_sid(after)
    assert twin.get("/web").status_code == 200


def test_wrong_password_is_refused_with_a_message(app):
    browser = Browser(app)
    browser.get("/web/login")
    response = browser.post("/web/login", {"login": "alice", "password": "not-the-password"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Wrong login or password" in page and 'value="alice"' in page
    assert browser.get("/web").status_code == 303  # not logged in
    response = browser.post("/web/login", {"login": "nobody-here", "password": "whatever-1"})
    assert response.status_code == 401 and "Wrong login or password" in response.get_data(as_text=True)


def test_login_is_throttled_after_repeated_failures(app, registry):
    browser = Browser(app)
    browser.get("/web/login")
    for _ in range(5):
        assert browser.post("/web/login", {"login": "throttled", "password": "wrong-password"}).status_code == 401
    response = browser.post("/web/login", {"login": "throttled", "password": PASSWORD})
    assert response.status_code == 401
    assert "Too many failed attempts" in response.get_data(as_text=True)
    assert browser.get("/web").status_code == 303
    # the attempts were committed with the error pages, refusals included
    failures = registry.run(lambda env: env["res.users.login"].search_count(
        [("login", "=", "throttled"), ("success", "=", False)]), readonly=True)
    assert failures == 6
    # another login is not affected
    other = Browser(app)
    other.login("bob")


def test_logout_gives_a_new_session_and_the_old_one_stops_working(app, alice):
    old = alice.sid
    response = alice.post("/web/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/web/login"
    assert "HttpOnly" in set_cookie_header(response)
    assert alice.sid and alice.sid != old
    assert alice.get("/web").status_code == 303
    replay = Browser(app)
    replay.set_sid(old)
    response = replay.get("/web")
    assert response.status_code == 303 and response.headers["Location"].startswith("/web/login")


def test_logout_needs_post_and_csrf(app, alice):
    assert alice.get("/web/logout").status_code == 405
    assert alice.post("/web/logout", csrf=False).status_code == 403
    assert alice.post("/web/logout", csrf="forged-token").status_code == 403
    assert alice.get("/web").status_code == 200  # still logged in


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "/\\evil", "\\\\evil.com", "http:evil.com",
                                    "/\t/evil.com", "/web\r\nSet-Cookie: x=1", " //evil.com", "javascript:alert(1)",
                                    "evil.com"])
def test_redirect_after_login_stays_on_this_site(app, target):
    browser = Browser(app)
    browser.get("/web/login?redirect=" + target.replace("\t", "%09").replace("\r", "%0D").replace("\n", "%0A"))
    assert "evil.com" not in browser.html and "Set-Cookie" not in browser.html
    response = browser.post("/web/login", {"login": "alice", "password": PASSWORD, "redirect": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/web"
    # already logged in: the login page redirects, to this site only as well
    response = browser.get("/web/login", query_string={"redirect": target})
    assert response.status_code == 303 and response.headers["Location"] == "/web"


def test_redirect_to_a_page_of_this_site_is_kept(app):
    browser = Browser(app)
    browser.get("/web/login")
    response = browser.post("/web/login", {"login": "alice", "password": PASSWORD, "redirect": "/web/preferences"})
    assert response.headers["Location"] == "/web/preferences"


# -- CSRF --------------------------------------------------------------------------------
def state_changing_routes(order_id, partner_id):
    """Every POST route of the web UI with data that would change something."""
    return [
        ("/web/logout", {}),
        ("/web/preferences", {"lang": "he"}),
        ("/web/m/test.order/new", {"name": "csrf-new", "partner_id": str(partner_id)}),
        ("/web/m/test.order/bulk", {"ids": str(order_id), "action": "delete"}),
        ("/web/m/test.order/kanban_move", {"id": str(order_id), "field": "state", "value": "done"}),
        ("/web/m/test.order/import", {"step": "import", "content": base64.b64encode(
            f"name,partner_id\ncsrf-import,{partner_id}\n".encode()).decode()}),
        (f"/web/m/test.order/{order_id}", {"name": "csrf-renamed"}),
        (f"/web/m/test.order/{order_id}/delete", {}),
        (f"/web/m/test.order/{order_id}/duplicate", {}),
        (f"/web/m/test.order/{order_id}/call/action_confirm", {}),
    ]


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_csrf_is_required_on_every_state_changing_route(app, registry, site, alice, token):
    partner_id = site[1]["partner"]
    name = unique("CSRF")
    order_id = make_order(registry, partner_id, name)
    for url, data in state_changing_routes(order_id, partner_id):
        response = alice.post(url, data, csrf=token or False)
        assert response.status_code == 403, (url, response.status_code)
        assert "did not come from this site" in response.get_data(as_text=True)
    # the onchange endpoint takes its token in a header
    response = alice.post_json("/web/onchange/test.order", {"field": "partner_id", "values": {}}, csrf=token or False)
    assert response.status_code == 403
    # nothing changed: the order is there, unchanged; nothing was created; the user is still logged in
    state = registry.run(lambda env: [(o.name, o.state) for o in env["test.order"].browse(order_id).exists()],
                         readonly=True)
    assert state == [(name, "draft")]
    created = registry.run(lambda env: env["test.order"].search_count(
        [("name", "in", ["csrf-new", "csrf-renamed", "csrf-import"])]) + env["test.order"].search_count(
        [("name", "=", name)]), readonly=True)
    assert created == 1
    assert registry.run(lambda env: env["res.users"].search([("login", "=", "alice")]).lang, readonly=True) == "en"
    assert alice.get("/web").status_code == 200


def test_login_needs_the_csrf_token_of_the_session(app):
    browser = Browser(app)
    browser.get("/web/login")
    response = browser.post("/web/login", {"login": "alice", "password": PASSWORD}, csrf=False)
    assert response.status_code == 403
    fresh = Browser(app)  # a token of another session does not work either
    response = fresh.post("/web/login", {"login": "alice", "password": PASSWORD}, csrf=browser.csrf())
    assert response.status_code == 403
    assert fresh.get("/web").status_code == 303


def test_a_valid_token_is_accepted(app, registry, site, alice):
    order_id = make_order(registry, site[1]["partner"])
    response = alice.post(f"/web/m/test.order/{order_id}/duplicate")
    assert response.status_code == 303 and response.headers["Location"].startswith("/web/m/test.order/")


# -- headers and error pages ---------------------------------------------------------------
SECURITY_HEADERS = ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy")


def test_security_headers_on_pages_errors_static_files_and_the_api(app, alice):
    responses = [alice.get("/web"), alice.get("/web/m/test.order"), alice.get("/web/no/such/page"),
                 Browser(app).get("/web/login"), alice.get("/web/static/kesher.js"), alice.get("/api/v1/test.order"),
                 alice.post("/web/logout", csrf=False)]
    for response in responses:
        for header in SECURITY_HEADERS:
            assert header in response.headers, (response.request.path, header)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert responses[0].headers["Cache-Control"] == "no-store"


def test_unknown_url_is_a_404_page(app, alice):
    for url in ("/web/no/such/page", "/nothing", "/web/m/no.such.model", "/web/m/test.order/999999",
                "/web/m/test.order/abc", "/web/action/999999"):
        response = alice.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        assert "Not found" in page and "<html" in page
        assert_no_traceback(page)
    anonymous = Browser(app).get("/web/does-not-exist")
    assert anonymous.status_code == 404 and "Not found" in anonymous.get_data(as_text=True)


def test_root_redirects_to_the_web_ui(app):
    response = Browser(app).get("/")
    assert response.status_code in (302, 303) and response.headers["Location"].endswith("/web")


def test_wrong_method_is_a_405_page(app, alice):
    response = alice.get("/web/m/test.order/bulk")
    assert response.status_code == 405
    assert_no_traceback(response.get_data(as_text=True))


def test_a_server_error_is_a_500_page_without_traceback(registry, monkeypatch, caplog):
    def boom(ctx):
        raise ZeroDivisionError("secret internals: password=hunter2")

    monkeypatch.setattr(home, "home", boom)
    app = KesherApp(registry)
    browser = Browser(app)
    browser.login("alice")
    response = browser.get("/web")
    assert response.status_code == 500 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "has been logged" in page
    assert "hunter2" not in page and "ZeroDivisionError" not in page
    assert_no_traceback(page)
    assert any("ZeroDivisionError" in (r.exc_text or "") for r in caplog.records)  # the log has it
    assert browser.get("/web/m/test.order").status_code == 200  # the next request is served


def test_a_server_error_in_the_api_is_json(registry, monkeypatch):
    from core.web import api_json

    def boom(ctx):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api_json, "openapi", boom)
    response = Browser(KesherApp(registry)).get("/api/v1/openapi.json")
    assert response.status_code == 500 and response.mimetype == "application/json"
    assert response.json["error"]["code"] == "server_error" and "secret" not in response.get_data(as_text=True)


# -- language ------------------------------------------------------------------------------
def test_accept_language_hebrew_gives_a_hebrew_login_page(app):
    response = Browser(app, lang="he").get("/web/login")
    page = response.get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in page
    assert "כניסה" in text_of(page)  # "Log in"
    english = Browser(app, lang="en-US,en;q=0.9").get("/web/login").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in english and "כניסה" not in english


def test_a_hebrew_user_gets_rtl_pages_whatever_the_browser_says(app):
    browser = Browser(app, lang="en")
    browser.login("hebrew_user")
    page = browser.get("/web").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in page
    assert "יציאה" in page  # "Log out"


def test_switching_a_user_to_hebrew_in_the_preferences(app, registry):
    make = registry.run(lambda env: make_user(env, unique("pref").lower()))
    login = registry.run(lambda env: env["res.users"].browse(make).login, readonly=True)
    browser = Browser(app)
    browser.login(login)
    assert '<html lang="en" dir="ltr">' in browser.html
    response = browser.post("/web/preferences", {"lang": "he"})
    assert response.status_code == 200
    page = browser.get("/web/m/test.order").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in page
    for hebrew in ("חיפוש", "חדש", "יציאה"):  # Search, New, Log out
        assert hebrew in page
    assert registry.run(lambda env: env["res.users"].browse(make).lang, readonly=True) == "he"


# -- sessions and API tokens of the preferences page ------------------------------------------
def test_a_disabled_user_is_logged_out_and_cannot_log_in(app, registry):
    login = unique("leaver").lower()
    uid = registry.run(lambda env: make_user(env, login))
    browser = Browser(app)
    browser.login(login)
    registry.run(lambda env: env["res.users"].browse(uid).write({"active": False}))
    assert browser.get("/web").status_code == 303
    again = Browser(app)
    again.get("/web/login")
    response = again.post("/web/login", {"login": login, "password": PASSWORD})
    assert response.status_code == 401 and "Wrong login or password" in response.get_data(as_text=True)


def test_an_expired_session_no_longer_works(app, registry):
    browser = Browser(app)
    browser.login("bob")
    digest = hashlib.sha256(browser.sid.encode()).hexdigest()
    registry.run(lambda env: env["ir.session"].sudo().search([("sid_hash", "=", digest)]).write(
        {"expires": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)}))
    assert browser.get("/web").status_code == 303


def test_api_tokens_from_the_preferences_page(app, registry):
    browser = Browser(app)
    browser.login("alice")
    response = browser.post("/web/preferences", {"new_token": "1", "token_name": "my script"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    shown = [code.text_content() for code in lxml.html.fromstring(page).xpath("//code")]
    assert len(shown) == 1 and shown[0].startswith("ksr_")
    token = shown[0]
    api = Client(app)
    assert api.get("/api/v1/test.order", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # shown once: the next page lists it by its prefix only
    page = browser.get("/web/preferences").get_data(as_text=True)
    assert token not in page and token[:12] in page and "my script" in page
    # another user cannot revoke it, and a bad id is a bad request
    key_id = registry.run(lambda env: env["res.users.apikey"].sudo().search([("name", "=", "my script")]).id,
                          readonly=True)
    bob = Browser(app)
    bob.login("bob")
    assert bob.post("/web/preferences", {"revoke": str(key_id)}).status_code in (200, 403, 404)
    assert api.get("/api/v1/test.order", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert bob.post("/web/preferences", {"revoke": "abc"}).status_code == 400
    # its owner revokes it: it stops working at once
    assert browser.post("/web/preferences", {"revoke": str(key_id)}).status_code == 200
    assert api.get("/api/v1/test.order", headers={"Authorization": f"Bearer {token}"}).status_code == 401

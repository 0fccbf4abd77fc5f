"""Helpers of the web and API tests: a database per test module, a browser-like client.

Web tests build their database once per module (on SQLite and, when a server is given,
PostgreSQL) and share it: every request commits, so each test makes its own records
(unique names) and asserts about those.
"""
import re
import uuid

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash
from werkzeug.test import Client

from db_backends import BACKENDS, TEST_ADDONS, new_database

PASSWORD = "correct-horse-9"
COOKIE = "kesher_session"
TRACEBACK_MARKERS = ("Traceback", 'File "', "Error:", "sqlalchemy", "werkzeug.exceptions")


def module_database(backend, tmp_path_factory, addons, demo=False, setup=None):
    """Yield ``(registry, setup result)`` of a new database with ``addons``; drop it afterwards."""
    from core.addons.manager import init_database
    from core.config import load_config
    with new_database(backend, tmp_path_factory.mktemp("web")) as url:
        config = load_config(environ={}).with_overrides(db_url=url, addons_paths=[str(TEST_ADDONS)])
        registry = init_database(config, list(addons), demo=demo, progress=False)
        try:
            data = registry.run(setup) if setup else None
            yield registry, data
        finally:
            registry.dispose()


def site_fixtures(addons, demo=False, setup=None):
    """The module-scoped fixtures of a web-test module, to assign at its top level:
    ``site, registry, ids, app = site_fixtures(["stock"], setup=_setup)``.

    ``site`` is ``(registry, what setup(env) returned)`` of a database with ``addons``, made
    once per backend (``module_database``); ``registry`` and ``ids`` are its two halves;
    ``app`` is a ``KesherApp`` on the registry.
    """
    @pytest.fixture(scope="module", params=BACKENDS)
    def site(request, tmp_path_factory):
        yield from module_database(request.param, tmp_path_factory, addons, demo=demo, setup=setup)

    @pytest.fixture(scope="module")
    def registry(site):
        return site[0]

    @pytest.fixture(scope="module")
    def ids(site):
        return site[1]

    @pytest.fixture(scope="module")
    def app(registry):
        from core.web.app import KesherApp
        yield KesherApp(registry)
        forget_catalogs(addons)

    return site, registry, ids, app


def forget_catalogs(addons):
    """An app made the catalogs of the test addons among ``addons`` known to the process:
    other tests must not see them."""
    from core.i18n import translate
    test_addons = [addon for addon in addons if (TEST_ADDONS / addon).is_dir()]
    for addon in test_addons:
        translate._folders.pop(addon, None)
    if test_addons:
        translate.clear_cache()


def make_user(env, login, groups=("base.group_user",), lang="en", password=PASSWORD, fast=True):
    """A user in ``groups`` (external ids) with ``password``; returns its id.

    ``fast``: the password is hashed with few iterations (checking a real hash takes a
    good part of a second, on every login of every test); ``fast=False`` uses
    ``set_password`` as the application does.
    """
    user = env["res.users"].create({"login": login, "name": login.replace("_", " ").title(), "lang": lang,
                                    "group_ids": [env.ref(g).id for g in groups]})
    if fast:
        user.sudo().write({"password_hash": fast_hash(password)})
    else:
        user.set_password(password)
    return user.id


def fast_hash(password):
    """A hash of ``password`` with few iterations: quick to check at every login of a test."""
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def unique(prefix="R"):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Browser:
    """A werkzeug test client that keeps cookies, reads CSRF tokens and posts forms."""

    def __init__(self, app, lang="en"):
        self.client = Client(app)
        self.headers = {"Accept-Language": lang} if lang else {}
        self.html = ""

    # -- requests ---------------------------------------------------------------
    def get(self, url, **kw):
        response = self.client.get(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)
        self._keep(response)
        return response

    def post(self, url, data=None, csrf=True, **kw):
        """POST ``data`` (a dict or a list of pairs); the session's CSRF token is added."""
        data = MultiDict(list(data.items()) if isinstance(data, dict) else (data or []))  # (file, name) stays one value
        if csrf is True:
            data["csrf_token"] = self.csrf()
        elif csrf:
            data["csrf_token"] = csrf
        response = self.client.post(url, data=data, headers={**self.headers, **kw.pop("headers", {})}, **kw)
        self._keep(response)
        return response

    def post_json(self, url, payload, csrf=True):
        import json
        headers = {**self.headers, "Content-Type": "application/json"}
        if csrf:
            headers["X-CSRF-Token"] = self.csrf() if csrf is True else csrf
        response = self.client.post(url, data=json.dumps(payload), headers=headers)
        self._keep(response)
        return response

    def _keep(self, response):
        if response.mimetype == "text/html":
            self.html = response.get_data(as_text=True)

    # -- session ------------------------------------------------------------------
    @property
    def sid(self):
        cookie = self.client.get_cookie(COOKIE)
        return cookie.value if cookie else None

    def set_sid(self, sid):
        self.client.set_cookie(COOKIE, sid)

    def csrf(self):
        """The CSRF token of the current session (read from a page of the site)."""
        match = re.search(r'data-csrf="([^"]+)"', self.html or "")
        for url in ("/web/login", "/web"):  # an error page has none; logged in, /web/login redirects
            if match:
                break
            self.get(url)
            match = re.search(r'data-csrf="([^"]+)"', self.html)
        return match.group(1)

    def login(self, login, password=PASSWORD):
        self.get("/web/login")
        response = self.post("/web/login", {"login": login, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)
        self.get("/web")
        return response

    # -- pages ----------------------------------------------------------------------
    def form_values(self, action_suffix, html=None, containing=None, click=None):
        """What a browser submits for the form whose action ends with ``action_suffix``
        (and that has an input named ``containing``), its submit button ``click`` pressed."""
        doc = lxml.html.fromstring(html or self.html)
        forms = [f for f in doc.forms if (f.get("action") or "").endswith(action_suffix)
                 and (containing is None or f.xpath(f".//*[@name='{containing}']"))]
        assert forms, f"no form posting to *{action_suffix} in the page"
        values = list(forms[0].form_values())
        if click:
            buttons = forms[0].xpath(f".//button[@name='{click}']")
            assert buttons, f"no button {click!r} in the form"
            values.append((click, buttons[0].get("value", "")))
        return values


def login(app, name, password=PASSWORD, lang="en"):
    """A ``Browser`` asking for pages in ``lang``, logged in as ``name``."""
    browser = Browser(app, lang=lang)
    browser.login(name, password)
    return browser


def page(browser, url, status=200):
    """The body of ``url``, which must answer ``status`` and show no traceback."""
    response = browser.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == status, body[:3000]
    assert_no_traceback(body)
    return body


def text_of(html):
    """The visible text of a page, whitespace collapsed."""
    return " ".join(lxml.html.fromstring(html).text_content().split())


def assert_no_traceback(body):
    for marker in TRACEBACK_MARKERS:
        assert marker not in body, f"{marker!r} leaked into the page"

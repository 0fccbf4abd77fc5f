"""Shared by the browser tests: a live server on a fresh SQLite database, and headless Chromium.

Each browser-test module makes its fixtures from these (``yield from live_server(...)``,
``yield from chromium()``): one database and one werkzeug server in a background thread
per module, one Chromium per module, a browser context per ``Tab``.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``; ``KESHER_TEST_CHROMIUM``
names another): without it the browser tests fail in CI (``CI`` set); elsewhere they are
skipped with that reason, so the README's test command works on a machine with only Python.
Screenshots go to ``var/screenshots/`` (git-ignored).
"""
import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from db_backends import TEST_ADDONS
from web_helpers import forget_catalogs

SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
CHROMIUM = os.environ.get("KESHER_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):  # the access log would only be noise in test output
        pass


class Server:
    """The live server's address and its registry, to check what the browser did."""

    def __init__(self, url, registry):
        self.url = url
        self.registry = registry

    def read(self, function):
        """``function(env)`` in a fresh environment, rolled back: what the database holds now."""
        env = self.registry.env()
        try:
            return function(env)
        finally:
            env.rollback()
            env.close()

    def run(self, function):
        """``function(env)`` as one committed unit of work."""
        return self.registry.run(function)


def live_server(tmp_path_factory, addons, password, lang="en", demo=False):
    """Yield a ``Server`` on a new SQLite database with ``addons`` (test addons of ``tests/addons``
    or the repository's), its administrator's password and language set; stop it afterwards."""
    from core.addons.manager import init_database
    from core.config import load_config
    from core.web.app import KesherApp

    database = tmp_path_factory.mktemp("browser") / "kesher.sqlite3"
    config = load_config(environ={}).with_overrides(db_url=f"sqlite:///{database}", addons_paths=[str(TEST_ADDONS)])
    registry = init_database(config, list(addons), demo=demo, progress=False)

    def setup(env):
        admin = env.ref("base.user_admin")
        admin.set_password(password)
        admin.write({"lang": lang})
    registry.run(setup)
    httpd = make_server("127.0.0.1", 0, KesherApp(registry), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, name="kesher-browser-test", daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_port}", registry)
    finally:
        httpd.shutdown()
        thread.join(10)
        httpd.server_close()
        registry.dispose()
        forget_catalogs(addons)


def chromium():
    """Yield a headless Chromium; fail in CI, skip elsewhere, when it is not installed."""
    if not os.access(CHROMIUM, os.X_OK):
        message = (f"Chromium is needed for the browser tests and {CHROMIUM} is missing: "
                   "apt-get install chromium (as .ci/run does)")
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it: a missing browser there is a failure
        pytest.skip(message)  # a developer's machine without a browser still runs the rest
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Tab:
    """A page of its own browser context, recording script errors and server errors;
    ``close()`` fails the test if there were any."""

    def __init__(self, browser, url, locale="en-US", viewport=None, **options):
        self.context = browser.new_context(locale=locale, viewport=viewport or {"width": 1280, "height": 800},
                                           base_url=url, **options)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.problems = []
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("response", lambda response: response.status >= 500 and self.problems.append(
            f"server error {response.status} on {response.url}"))

    def shot(self, name):
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()
        assert not self.problems, self.problems

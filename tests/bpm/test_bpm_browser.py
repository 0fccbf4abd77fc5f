"""The status flow in a real browser: move a document through two statuses from its form (one
with a comment prompt), see the history and the diagram, in English and in Hebrew.

Headless Chromium drives a real werkzeug server on one SQLite database of the ``test_bpm_docs``
addon (``browser_helpers``: without Chromium these tests fail in CI and are skipped elsewhere).
Screenshots go to ``var/screenshots/bpm_*.png``.
"""
import re

import pytest
from playwright.sync_api import expect

import browser_helpers
from bpm_helpers import ADDON, DOC
from browser_helpers import chromium, live_server

PASSWORD = "browser-bpm-pass-1"
VIEWPORT = {"width": 1280, "height": 900}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from live_server(tmp_path_factory, [ADDON], PASSWORD, lang="en")


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


class Tab(browser_helpers.Tab):
    """A logged-in page of its own browser context, recording script and server errors."""

    def __init__(self, browser, server, locale="en-US"):
        super().__init__(browser, server.url, locale=locale, viewport=VIEWPORT)
        self.page.goto("/web")
        self.page.fill("input[name=login]", "admin")
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit]")
        expect(self.page).to_have_url(f"{server.url}/web")

    def shot(self, name):
        super().shot(f"bpm_{name}")


def new_document(server, name, **values):
    def work(env):
        partner = env["res.partner"].create({"name": f"Customer {name}", "email": "customer@example.com"})
        return env[DOC].create({"name": name, "partner_id": partner.id, "reference": "R-1", "amount": 120,
                                **values}).id
    return server.run(work)


def status_of(server, rid):
    return server.run(lambda env: env[DOC].browse(rid).status_code)


def move_with(page, label):
    page.locator(".bpm-transitions > form button", has_text=label).click()


def test_move_a_document_through_two_statuses_and_see_history_and_diagram(browser, server):
    rid = new_document(server, "PO-1001")
    tab = Tab(browser, server)
    page = tab.page
    try:
        page.goto(f"/web/m/{DOC}/{rid}")
        bar = page.locator("ol.bpm-statusbar")
        expect(bar.locator("li[aria-current=step]")).to_have_text("Draft")
        tab.shot("en_draft")

        move_with(page, "Submit")
        expect(page).to_have_url(re.compile(rf"/web/m/{re.escape(DOC)}/{rid}$"))
        expect(bar.locator("li[aria-current=step]")).to_have_text("Submitted")
        assert status_of(server, rid) == "submitted"

        move_with(page, "Approve")
        expect(bar.locator("li[aria-current=step]")).to_have_text("Approved")
        assert status_of(server, rid) == "approved"

        history = page.locator("details.bpm-history")
        history.locator("summary").click()
        rows = history.locator("tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.nth(0)).to_contain_text("Submitted")
        expect(rows.nth(0)).to_contain_text("Approved")
        expect(rows.nth(2)).to_contain_text("Created")

        diagram = page.locator("details.bpm-diagram-page")
        diagram.locator("summary").click()
        svg = diagram.locator("svg.bpm-diagram")
        expect(svg).to_be_visible()
        expect(svg.locator("g.bpm-node[aria-current=step]")).to_have_attribute("data-code", "approved")
        expect(svg.locator("g.bpm-edge text", has_text="Send back")).to_have_count(1)
        tab.shot("en_history_diagram")
    finally:
        tab.close()


def test_a_comment_is_asked_and_a_refusal_shown(browser, server):
    rid = new_document(server, "PO-1002", reference=None)
    tab = Tab(browser, server)
    page = tab.page
    try:
        page.goto(f"/web/m/{DOC}/{rid}")
        move_with(page, "Submit")  # no reference yet: refused, the form says why
        expect(page.locator("p.error[role=alert]")).to_have_text(
            "Cannot move PO-1002 to 'Submitted': fill in 'Reference' first.")
        assert status_of(server, rid) == "draft"
        tab.shot("en_refusal")
        page.fill("input[name=reference]", "R-77")
        page.locator(".formbar button.primary").click()
        move_with(page, "Submit")
        expect(page.locator("ol.bpm-statusbar li[aria-current=step]")).to_have_text("Submitted")

        prompt = page.locator("details.bpm-comment", has_text="Send back")
        prompt.locator("summary").click()
        prompt.locator("textarea[name=comment]").fill("The amount is missing")
        prompt.locator("button[type=submit]").click()
        expect(page.locator("ol.bpm-statusbar li[aria-current=step]")).to_have_text("Draft")
        page.locator("details.bpm-history summary").click()
        expect(page.locator("details.bpm-history tbody tr").first).to_contain_text("The amount is missing")
    finally:
        tab.close()


def test_hebrew(browser, server):
    rid = new_document(server, "PO-1003")
    server.run(lambda env: env.ref("base.user_admin").write({"lang": "he"}))
    tab = Tab(browser, server, locale="he-IL")
    page = tab.page
    try:
        page.goto(f"/web/m/{DOC}/{rid}")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        bar = page.locator("ol.bpm-statusbar")
        expect(bar.locator("li[aria-current=step]")).to_have_text("טיוטה")
        move_with(page, "הגש")
        expect(bar.locator("li[aria-current=step]")).to_have_text("הוגש")
        move_with(page, "אשר")
        expect(bar.locator("li[aria-current=step]")).to_have_text("אושר")
        assert status_of(server, rid) == "approved"

        page.locator("details.bpm-history summary", has_text="היסטוריה").click()
        expect(page.locator("details.bpm-history tbody tr").first).to_contain_text("אושר")
        page.locator("details.bpm-diagram-page summary", has_text="תרשים הסטטוסים").click()
        svg = page.locator("svg.bpm-diagram")
        expect(svg).to_have_attribute("direction", "rtl")
        expect(svg.locator("g.bpm-node[aria-current=step] text")).to_have_text("אושר")
        draft = svg.locator("g.bpm-node[data-code=draft] rect").bounding_box()
        approved = svg.locator("g.bpm-node[data-code=approved] rect").bounding_box()
        assert draft["x"] > approved["x"]  # the flow reads from right to left
        tab.shot("he_history_diagram")

        page.goto("/web/bpm/my")
        expect(page.locator("h1")).to_have_text("המסמכים שלי")
        tab.shot("he_my_documents")
        page.goto(f"/web/bpm/board/{DOC}")
        expect(page.locator(".kanban-column[data-code=approved] h2")).to_contain_text("אושר")
        tab.shot("he_board")
    finally:
        server.run(lambda env: env.ref("base.user_admin").write({"lang": "en"}))
        tab.close()

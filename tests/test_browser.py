"""The web UI in a real browser: headless Chromium drives a real server, as a person would.

One SQLite database with demo data (base + ``test_browser_orders``) and one werkzeug server
in a background thread serve the whole module; each test has its own browser context
(cookies), logs in through the login form and checks what it did both on the page and in
the database. Screenshots of the main screens, in English and in Hebrew, are written to
``var/screenshots/`` (git-ignored) for a person to look at.

Without Chromium these tests fail in CI and are skipped elsewhere (see ``browser_helpers``).
"""
import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

import browser_helpers
from browser_helpers import chromium, live_server

PASSWORD = "browser-test-pass-1"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # English first; the Hebrew test switches in Preferences
    yield from live_server(tmp_path_factory, ["test_browser_orders"], PASSWORD, lang="en", demo=True)


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


class Tab(browser_helpers.Tab):
    """A page of its own browser context (downloads accepted) that can log in through the form."""

    def __init__(self, browser, server, locale="en-US", storage_state=None):
        super().__init__(browser, server.url, locale=locale, accept_downloads=True, storage_state=storage_state)

    def login(self, login="admin", password=PASSWORD):
        page = self.page
        page.goto("/web")
        expect(page).to_have_url(re.compile(r"/web/login\?redirect="))
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]")
        return page


@pytest.fixture(scope="module")
def admin_session(browser, server):
    """The cookies of an administrator logged in through the login form (once for the module)."""
    tab = Tab(browser, server)
    tab.login()
    expect(tab.page).to_have_url(f"{server.url}/web")
    state = tab.context.storage_state()
    tab.close()
    return state


@pytest.fixture
def tab(browser, server, admin_session):
    """A page of the logged-in administrator (English), in a browser context of its own."""
    tab = Tab(browser, server, storage_state=admin_session)
    tab.page.goto("/web")
    expect(tab.page.locator(".userbox")).to_contain_text("Administrator")
    yield tab
    tab.close()


def open_menu(page, top, entry):
    page.locator("nav.menus summary", has_text=top).click()
    page.locator("nav.menus a", has_text=entry).click()


def search_bar(page):
    return page.locator("form.searchbar")


def run_search(page, text=None, group_by=None):
    bar = search_bar(page)
    if text is not None:
        bar.locator("input[name=q]").fill(text)
    if group_by is not None:
        bar.locator("select[name=g]").select_option(label=group_by)
    bar.locator("button[type=submit]").click()


def list_names(page):
    return [name.strip() for name in page.locator("table.list tbody tr td:nth-child(2) a").all_inner_texts()]


def partner_id(server, name):
    return server.read(lambda env: env["res.partner"].search([("name", "=", name)]).id)


# ---------------------------------------------------------------------------------------------


def test_login(browser, server):
    tab = Tab(browser, server)
    page = tab.page
    page.goto("/web")
    expect(page).to_have_url(re.compile(r"/web/login\?redirect=%2Fweb$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Log in")
    tab.shot("en_login")

    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", "not the password")
    page.click("form button[type=submit]")
    expect(page.locator("[role=alert]")).to_have_text("Wrong login or password")

    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page).to_have_url(f"{server.url}/web")
    expect(page.locator("h1")).to_have_text("Welcome, Administrator")
    for title in ("Contacts", "Orders", "Settings"):
        expect(page.locator(".tiles h2", has_text=title)).to_be_visible()
    tab.shot("en_home")
    tab.close()


def test_customers_search_group_open_and_edit(tab, server):
    page = tab.page
    open_menu(page, "Contacts", "Customers")
    expect(page).to_have_url(re.compile(r"/web/m/res\.partner\?action=\d+&view=kanban"))  # the action's first view
    cards = page.locator(".kanban-card")
    expect(cards.filter(has_text="Shefa Markets Ltd")).to_have_count(1)
    expect(cards.filter(has_text="Paper & Co. Supplies")).to_have_count(0)  # a supplier: not in Customers

    page.locator("nav.viewswitch a", has_text="List").click()
    expect(page.locator("table.list tbody tr")).to_have_count(4)
    assert list_names(page) == ["Ofer Books", "Shefa Markets Ltd", "Shefa Markets — Haifa branch",
                                "Yafo Coffee House"]
    tab.shot("en_list")

    run_search(page, text="shefa")
    expect(page).to_have_url(re.compile(r"[?&]q=shefa"))
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    assert list_names(page) == ["Shefa Markets Ltd", "Shefa Markets — Haifa branch"]
    expect(page.locator(".pager")).to_contain_text("1–2 of 2")

    run_search(page, text="", group_by="City")
    groups = page.locator("table.grouped tbody tr")
    expect(groups).to_have_count(3)
    rows = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in groups.all()]
    assert rows == [["Haifa", "1"], ["Jerusalem", "1"], ["Tel Aviv", "2"]]
    tab.shot("en_list_grouped")

    groups.filter(has_text="Tel Aviv").locator("a").click()
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    assert list_names(page) == ["Shefa Markets Ltd", "Yafo Coffee House"]

    page.locator("table.list a", has_text="Yafo Coffee House").click()
    yafo = partner_id(server, "Yafo Coffee House")
    expect(page).to_have_url(f"{server.url}/web/m/res.partner/{yafo}")
    expect(page.locator("#f-name")).to_have_value("Yafo Coffee House")
    tab.shot("en_form")

    page.fill("#f-ref", "C-2042")
    page.locator("details.page summary", has_text="Address and communication").click()
    page.fill("#f-city", "Ramat Gan")
    page.locator(".formbar button", has_text="Save").click()
    expect(page).to_have_url(f"{server.url}/web/m/res.partner/{yafo}")
    page.reload()
    expect(page.locator("#f-ref")).to_have_value("C-2042")
    expect(page.locator("#f-city")).to_have_value("Ramat Gan")
    assert server.read(lambda env: (env["res.partner"].browse(yafo).ref, env["res.partner"].browse(yafo).city)) \
        == ("C-2042", "Ramat Gan")


def test_create_order_with_lines(tab, server):
    page = tab.page
    open_menu(page, "Orders", "All orders")
    expect(page).to_have_url(re.compile(r"/web/m/test\.order\?action=\d+$"))
    page.locator(".toolbar a", has_text="New").click()
    expect(page).to_have_url(re.compile(r"/web/m/test\.order/new"))

    page.fill("#f-name", "SO-BROWSER-1")
    # many2one: type a few letters, the datalist fills from name_search, pick the proposal
    customer = page.locator("#f-partner_id")
    customer.press_sequentially("Yafo", delay=30)
    proposals = page.locator("#dl-partner_id option")
    expect(proposals).to_have_count(1)
    proposal = proposals.first.get_attribute("value")
    assert proposal == "Yafo Coffee House"
    customer.fill(proposal)  # what choosing the option does: the text becomes the option's value
    yafo = partner_id(server, "Yafo Coffee House")
    expect(page.locator("input[type=hidden][name=partner_id]")).to_have_value(str(yafo))
    page.fill("#f-date", "2026-03-05")

    lines = page.locator("fieldset[data-lines=line_ids] tbody tr:not(.line-template)")
    expect(lines).to_have_count(0)
    add = page.locator("button[data-add-line=line_ids]")
    for product, quantity, price in (("A4 paper", "3", "24.90"), ("Toner cartridge", "1", "349")):
        add.click()
        line = lines.last
        line.locator("input[name$='-product']").fill(product)
        line.locator("input[name$='-quantity']").fill(quantity)
        line.locator("input[name$='-price_unit']").fill(price)
    expect(lines).to_have_count(2)
    page.locator(".formbar button", has_text="Save").click()
    expect(page).to_have_url(re.compile(r"/web/m/test\.order/\d+$"))
    order_id = int(page.url.rsplit("/", 1)[1])

    def stored(env):
        order = env["test.order"].browse(order_id)
        return (order.name, order.partner_id.id, order.amount_total, order.state,
                sorted((line.product, line.quantity, line.subtotal) for line in order.line_ids))

    assert server.read(stored) == (
        "SO-BROWSER-1", yafo, Decimal("423.70"), "draft",
        [("A4 paper", Decimal("3"), Decimal("74.70")), ("Toner cartridge", Decimal("1"), Decimal("349"))])
    page.reload()
    expect(page.locator("#f-partner_id")).to_have_value("Yafo Coffee House")
    expect(page.locator("fieldset[data-lines=line_ids] tbody tr:not(.line-template)")).to_have_count(2)
    expect(page.locator(".field-monetary output#f-amount_total")).to_contain_text("423.70")
    tab.shot("en_order_lines")


def test_kanban_drag_and_drop(tab, server):
    page = tab.page
    open_menu(page, "Orders", "All orders")
    page.locator("nav.viewswitch a", has_text="Kanban").click()
    expect(page).to_have_url(re.compile(r"view=kanban"))
    draft = page.locator(".kanban-column[data-value=draft]")
    confirmed = page.locator(".kanban-column[data-value=confirmed]")
    card = draft.locator(".kanban-card", has_text="SO-DEMO-1")
    expect(card).to_have_count(1)
    tab.shot("en_kanban")

    with page.expect_response(lambda response: response.url.endswith("/kanban_move")) as moved:
        card.drag_to(confirmed)
    assert moved.value.ok, moved.value.text()
    expect(confirmed.locator(".kanban-card", has_text="SO-DEMO-1")).to_have_count(1)
    expect(confirmed.locator(".count")).to_have_text(str(confirmed.locator(".kanban-card").count()))
    state = server.read(lambda env: env["test.order"].search([("name", "=", "SO-DEMO-1")]).state)
    assert state == "confirmed"
    page.reload()
    expect(page.locator(".kanban-column[data-value=confirmed] .kanban-card", has_text="SO-DEMO-1")).to_have_count(1)
    expect(page.locator(".kanban-column[data-value=draft] .kanban-card", has_text="SO-DEMO-1")).to_have_count(0)


def test_export_csv(tab, server):
    page = tab.page
    open_menu(page, "Contacts", "Customers")
    page.locator("nav.viewswitch a", has_text="List").click()
    run_search(page, text="shefa")
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    with page.expect_download() as download_info:
        page.locator(".toolbar a", has_text="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename == "res_partner.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheet programs read the Hebrew right
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Reference", "Phone", "Email", "City"]  # the columns shown (optional=hide left out)
    assert sorted(row[0] for row in rows[1:]) == ["Shefa Markets Ltd", "Shefa Markets — Haifa branch"]  # the search
    hq = next(row for row in rows if row[0] == "Shefa Markets Ltd")
    assert hq == ["Shefa Markets Ltd", "C-1000", "", "office@shefa.example", "Tel Aviv"]


def test_hebrew(browser, server):
    # before logging in, the browser's language decides
    visitor = Tab(browser, server, locale="he-IL")
    visitor.page.goto("/web/login")
    expect(visitor.page.locator("html")).to_have_attribute("dir", "rtl")
    expect(visitor.page.locator("h1")).to_have_text("כניסה")
    visitor.shot("he_login")
    visitor.close()

    tab = Tab(browser, server)
    page = tab.page
    tab.login()
    try:
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.locator(".userbox a", has_text="Administrator").click()
        expect(page).to_have_url(f"{server.url}/web/preferences")
        page.locator("select[name=lang]").select_option("he")
        page.locator("form.card button[type=submit]").first.click()
        html = page.locator("html")
        expect(html).to_have_attribute("lang", "he")
        expect(html).to_have_attribute("dir", "rtl")
        expect(page.locator("h1")).to_have_text("העדפות")
        assert server.read(lambda env: env.ref("base.user_admin").lang) == "he"

        page.goto("/web")
        expect(html).to_have_attribute("dir", "rtl")
        expect(page.locator("h1")).to_have_text("שלום, Administrator")
        expect(page.locator("nav.menus summary", has_text="אנשי קשר")).to_be_visible()
        tab.shot("he_home")

        open_menu(page, "אנשי קשר", "לקוחות")
        page.locator("nav.viewswitch a", has_text="רשימה").click()
        expect(page.locator("table.list thead")).to_contain_text("שם")
        expect(search_bar(page).locator("button[type=submit]")).to_have_text("חיפוש")
        expect(page.locator(".toolbar a", has_text="ייצוא ל-CSV")).to_be_visible()
        tab.shot("he_list")

        run_search(page, group_by="עיר")
        expect(page.locator("table.grouped thead")).to_contain_text("קבוצה")
        expect(page.locator("table.grouped tbody")).to_contain_text("Haifa")
        tab.shot("he_list_grouped")

        page.locator("table.grouped a").first.click()
        page.locator("table.list tbody a").first.click()
        expect(page.locator(".formbar button.primary")).to_have_text("שמור")
        expect(html).to_have_attribute("dir", "rtl")
        tab.shot("he_form")

        open_menu(page, "הזמנות", "כל ההזמנות")
        page.locator("nav.viewswitch a", has_text="קנבן").click()
        expect(page.locator(".kanban-column[data-value=draft] h2")).to_contain_text("טיוטה")
        tab.shot("he_kanban")

        order = server.read(lambda env: env["test.order"].search([("name", "=", "SO-DEMO-1")]).id)
        page.goto(f"/web/m/test.order/{order}")
        expect(page.locator("button[data-add-line=line_ids]")).to_have_text("הוסף שורה")
        expect(page.locator("fieldset[data-lines=line_ids] legend")).to_have_text("שורות")
        tab.shot("he_order_lines")
    finally:
        server.run(lambda env: env.ref("base.user_admin").write({"lang": "en"}))
    tab.close()

"""The whole sales cycle in a real browser, in Hebrew: a quote with three lines (seeing
availability), sent, turned into an order, confirmed, delivered, invoiced, paid with a
post-dated check, and the customer's ledger read. Screenshots go to var/screenshots/."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from browser_helpers import SCREENSHOTS, Tab, chromium, live_server

PASSWORD = "sales-browser-pass-1"
TODAY = dt.date.today()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from live_server(tmp_path_factory, ["sales"], PASSWORD, lang="he", demo=True)


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture(scope="module")
def page(browser, server):
    tab = Tab(browser, server.url, locale="he-IL")
    tab.page.on("dialog", lambda dialog: dialog.accept())
    yield tab.page
    tab.close()


def pick(field, text):
    """A many2one input: type, wait for the proposals, take the first (as choosing it does)."""
    field.press_sequentially(text, delay=30)
    option = field.locator("xpath=following-sibling::datalist[1]/option").first
    expect(option).to_be_attached()
    field.fill(option.get_attribute("value"))


def click_header(page, label):
    """A button of the form's header (a method of the document), by its exact label."""
    page.get_by_role("button", name=label, exact=True).first.click()


def test_quote_to_ledger_in_hebrew(page, server):
    registry = server.registry
    page.goto("/web/login")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # a quote with three lines: more chairs than there are, paper, installation
    page.locator("nav.menus summary", has_text="מכירות").click()
    page.locator("nav.menus a", has_text="הצעות מחיר").click()
    page.locator(".toolbar a", has_text="חדש").click()
    pick(page.locator("#f-partner_id"), "Galil Fine")
    lines = page.locator("fieldset[data-lines=line_ids] tbody tr:not(.line-template)")
    for product, quantity in (("Ergonomic", "30"), ("A4 paper", "5"), ("Installation", "2")):
        page.locator("button[data-add-line=line_ids]").click()
        line = lines.last
        pick(line.locator("input.m2o-text").first, product)
        line.locator("input[name$='-quantity']").fill(quantity)
    page.locator(".formbar button", has_text="שמור").click()
    expect(page).to_have_url(re.compile(r"/web/m/sale\.quote/\d+$"))
    quote_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("fieldset[data-lines=line_ids]")).to_contain_text("התבקשו 30, זמינים רק")
    expect(page.locator("fieldset[data-lines=line_ids]")).to_contain_text("מחיר המכירה של המוצר")
    page.screenshot(path=str(SCREENSHOTS / "sales_he_quote.png"), full_page=True)

    click_header(page, 'שלח בדוא"ל')
    expect(page.locator(".bpm-statusbar li[aria-current=step]")).to_have_text("נשלח")
    click_header(page, "צור הזמנה")
    expect(page).to_have_url(re.compile(r"/web/m/sale\.order/\d+$"))
    order_id = int(page.url.rsplit("/", 1)[1])
    page.locator(".bpm-transitions button", has_text="אישור").click()
    expect(page.locator(".bpm-statusbar li[aria-current=step]")).to_have_text("מאושר")
    page.screenshot(path=str(SCREENSHOTS / "sales_he_order.png"), full_page=True)

    click_header(page, "ספק")
    expect(page).to_have_url(re.compile(r"/web/m/sale\.delivery/\d+$"))
    chairs = page.locator("fieldset[data-lines=line_ids] tbody tr:not(.line-template)").first
    chairs.locator("input[name$='-quantity']").fill("20")                  # part of the chairs now
    page.locator(".formbar button", has_text="שמור").click()
    click_header(page, "אשר משלוח")
    expect(page.locator("body")).to_contain_text("DN-")
    click_header(page, "הפק חשבונית")
    expect(page).to_have_url(re.compile(r"/web/m/account\.invoice/\d+$"))
    invoice_id = int(page.url.rsplit("/", 1)[1])
    click_header(page, "הפק")                          # above ₪5,000 to a licensed dealer: refused
    expect(page.locator("[role=alert]")).to_contain_text("מספר ההקצאה")
    page.goto(f"/web/m/account.invoice/{invoice_id}")
    page.fill("#f-allocation_number", "123456789")
    page.locator(".formbar button", has_text="שמור").click()
    click_header(page, "הפק")
    expect(page.locator("body")).to_contain_text("INV-")
    page.screenshot(path=str(SCREENSHOTS / "sales_he_invoice.png"), full_page=True)

    def figures(env):
        order, invoice = env["sale.order"].browse(order_id), env["account.invoice"].browse(invoice_id)
        return order.status_code, invoice.state, invoice.amount_total, invoice.partner_id.id
    status, state, total, partner = registry.run(figures)
    assert (status, state) == ("partial", "posted")
    assert env_status(registry, quote_id) == "accepted"

    # the payment: one post-dated check for the whole invoice
    page.goto("/web/m/account.receipt/new")
    pick(page.locator("#f-partner_id"), "Galil Fine")
    page.locator("button[data-add-line=payment_ids]").click()
    payment = page.locator("fieldset[data-lines=payment_ids] tbody tr:not(.line-template)").last
    payment.locator("select[name$='-method']").select_option("check")
    payment.locator("input[name$='-amount']").fill(str(total))
    for name, value in (("bank", "12"), ("branch", "613"), ("account_number", "445566"), ("check_number", "9001"),
                        ("due_date", (TODAY + dt.timedelta(days=60)).isoformat())):
        payment.locator(f"input[name$='-{name}']").fill(value)
    page.locator(".formbar button", has_text="שמור").click()
    expect(page).to_have_url(re.compile(r"/web/m/account\.receipt/\d+$"))
    click_header(page, "הפק")
    expect(page.locator("body")).to_contain_text("RC-")

    page.goto(f"/web/sales/ledger/{partner}")
    expect(page.locator("h1")).to_contain_text("כרטסת לקוח")
    expect(page.locator("[data-amount=postdated]")).to_contain_text(f"{total:,.2f}")
    expect(page.locator("table.ledger tbody tr.entry")).to_have_count(2 + ledger_before(registry, partner))
    expect(page.locator("table.ledger td.closing, table.ledger th.closing")).to_contain_text("0.00")
    page.screenshot(path=str(SCREENSHOTS / "sales_he_ledger.png"), full_page=True)
    assert registry.run(lambda env: env["account.invoice"].browse(invoice_id).payment_state) == "paid"
    assert total > Decimal(0)


def env_status(registry, quote_id):
    return registry.run(lambda env: env["sale.quote"].browse(quote_id).status_code)


def ledger_before(registry, partner):
    """Ledger entries of the demo customer other than this test's invoice and receipt."""
    return registry.run(lambda env: env["account.ledger.entry"].search_count([("partner_id", "=", partner)])) - 2

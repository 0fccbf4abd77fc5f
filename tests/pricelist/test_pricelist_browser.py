"""In a real browser, in Hebrew: set a head office's pricing policy on its customer form,
then quote its branch and read each line's price and why. Screenshots go to var/screenshots/.

Demo data: the head office Shefa Markets Ltd, its Haifa branch (with its own special price
for the toner), the price lists Wholesale and Cost plus (40% on the cost of office goods).
"""
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from browser_helpers import SCREENSHOTS, Tab, chromium, live_server

VIEWPORT = {"width": 1366, "height": 900}
PASSWORD = "pricelist-browser-pass-1"
HQ, BRANCH = "Shefa Markets Ltd", "Shefa Markets — Haifa branch"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from live_server(tmp_path_factory, ["pricelist"], PASSWORD, lang="he", demo=True)


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture(scope="module")
def page(browser, server):
    tab = Tab(browser, server.url, locale="he-IL", viewport=VIEWPORT)
    yield tab.page
    tab.close()


def pick(field, text):
    """A many2one input: type, wait for the proposals, take the first (as choosing it does)."""
    field.fill("")
    field.press_sequentially(text, delay=30)
    option = field.locator("xpath=following-sibling::datalist[1]/option").first
    expect(option).to_be_attached()
    field.fill(option.get_attribute("value"))


def read(registry, function):
    return registry.run(function, readonly=True)


def test_head_office_policy_then_a_quote_for_its_branch_in_hebrew(page, server):
    url, registry = server.url, server.registry
    page.goto("/web/login")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # the head office's policy, on the Pricing tab the addon adds to the customer form
    contacts = page.locator("nav.menus details", has=page.locator("summary", has_text="אנשי קשר"))
    contacts.locator("summary").first.click()
    contacts.locator("a", has_text="לקוחות").first.click()
    page.locator("nav.viewswitch a", has_text="רשימה").click()
    page.locator("table.list a", has_text=HQ).first.click()
    expect(page).to_have_url(re.compile(r"/web/m/res\.partner/\d+$"))
    hq_id = int(page.url.rsplit("/", 1)[1])
    tab = page.locator("details.page", has=page.locator("summary", has_text="תמחור"))
    tab.locator("summary").click()
    expect(tab).to_contain_text("המחירון בתוקף")
    pick(page.locator("#f-pricelist_id"), "Cost plus")
    page.fill("#f-general_discount", "4")
    discounts = tab.locator("fieldset[data-lines=family_discount_ids] tbody tr:not(.line-template)")
    expect(discounts).to_have_count(1)  # Paper, 5% in the demo
    discounts.first.locator("input[name$='-discount']").fill("6")
    page.screenshot(path=str(SCREENSHOTS / "pricelist_he_head_office.png"), full_page=True)
    page.locator(".formbar button", has_text="שמור").click()
    expect(page).to_have_url(f"{url}/web/m/res.partner/{hq_id}")

    def policy(env):
        hq = env["res.partner"].browse(hq_id)
        return hq.pricelist_id.name, hq.general_discount, [d.discount for d in hq.family_discount_ids]
    assert read(registry, policy) == ("Cost plus", Decimal("4.00"), [Decimal("6.00")])

    # a quote for the branch: its lines are priced by the policy, each with its explanation
    page.locator("nav.menus summary", has_text="מכירות").click()
    page.locator("nav.menus a", has_text="הצעות מחיר").click()
    page.locator(".toolbar a", has_text="חדש").click()
    pick(page.locator("#f-partner_id"), "Haifa")
    lines = page.locator("fieldset[data-lines=line_ids] tbody tr:not(.line-template)")
    for product, quantity in (("A4 paper", "10"), ("Toner", "1"), ("Installation", "2")):
        page.locator("button[data-add-line=line_ids]").click()
        line = lines.last
        pick(line.locator("input.m2o-text").first, product)
        line.locator("input[name$='-quantity']").fill(quantity)
    page.locator(".formbar button", has_text="שמור").click()
    expect(page).to_have_url(re.compile(r"/web/m/sale\.quote/\d+$"))
    quote_id = int(page.url.rsplit("/", 1)[1])

    table = page.locator("fieldset[data-lines=line_ids]")
    expect(table).to_contain_text(f"מחירון Cost plus של לקוח מרכז {HQ}, פריט למשפחה Office supplies: "
                                  "העלות 15.00 ועוד 40%")
    expect(table).to_contain_text(f"הנחה למשפחת מוצרים של לקוח מרכז {HQ} עבור Office supplies / Paper: 6%, "
                                  "במקום ההנחה הכללית 4%")
    expect(table).to_contain_text(f"מחיר מיוחד 319.00 של {BRANCH}; אין הנחה על מחיר מיוחד")
    expect(table).to_contain_text(f"במחירון Cost plus של לקוח מרכז {HQ} אין פריט למוצר ולכמות אלה: "
                                  f"מחיר המכירה של המוצר; הנחה כללית של לקוח מרכז {HQ}: 4%")
    why = page.locator("section.why-prices")  # the addon's panel: the policy in force and every line's reason
    expect(why.locator("h2")).to_have_text("הסבר המחירים")
    expect(why.locator(".pricing-policy")).to_contain_text(f"מדיניות התמחור של {BRANCH}")
    expect(why.locator(".pricing-policy")).to_contain_text(f"Cost plus (מהלקוח המרכז {HQ})")
    expect(why.locator("tbody tr")).to_have_count(3)
    expect(why.locator("tbody tr", has_text="T-100").locator("td.explanation")).to_have_text(
        f"מחיר מיוחד 319.00 של {BRANCH}; אין הנחה על מחיר מיוחד")
    page.screenshot(path=str(SCREENSHOTS / "pricelist_he_quote.png"), full_page=True)

    def priced(env):
        quote = env["sale.quote"].browse(quote_id)
        return quote.partner_id.name, sorted((line.product_id.default_code, line.price_unit, line.discount)
                                             for line in quote.line_ids)
    assert read(registry, priced) == (BRANCH, [
        ("P-A4", Decimal("21.00"), Decimal("6.00")),       # the cost 15.00 + 40%, the HQ's Paper discount
        ("S-INST", Decimal("250.00"), Decimal("4.00")),    # no item for services: the sales price, HQ's 4%
        ("T-100", Decimal("319.00"), Decimal("0.00")),     # the branch's own special price, net
    ])

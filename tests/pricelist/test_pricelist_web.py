"""The pricing screens through the web app: the Pricing tab added to the customer form from
outside, price lists with their items, bulk updates with preview, history, access."""
from decimal import Decimal

import lxml.html

from web_helpers import fast_hash, login, make_user, page, site_fixtures, text_of, unique


def _setup(env):
    env.ref("base.user_admin").write({"lang": "en", "password_hash": fast_hash("admin-pass-1")})
    return {"clerk": make_user(env, "clerk"), "seller": make_user(env, "seller", groups=("sales.group_sales_user",)),
            "manager": make_user(env, "pricer", groups=("pricelist.group_pricelist_manager",)),
            "hq": env.ref("base.partner_hq").id, "branch": env.ref("base.partner_branch").id,
            "wholesale": env.ref("pricelist.pricelist_wholesale").id, "a4": env.ref("base.product_a4").id,
            "toner": env.ref("base.product_toner").id, "office": env.ref("base.family_office").id}


site, registry, ids, app = site_fixtures(["pricelist"], demo=True, setup=_setup)


def test_the_customer_form_has_a_pricing_tab_from_the_addon(app, ids):
    admin = login(app, "admin", "admin-pass-1")
    html = page(admin, f"/web/m/res.partner/{ids['branch']}")
    doc = lxml.html.fromstring(html)
    tabs = [s.text_content().strip() for s in doc.xpath("//details[@class='page']/summary")]
    assert "Pricing" in tabs and tabs.index("Pricing") == tabs.index("Address and communication") + 1
    pricing = doc.xpath("//details[@class='page'][summary='Pricing']")[0]
    text = " ".join(pricing.text_content().split())
    assert "Price list in force Wholesale" in text  # the head office's
    assert "General discount in force (%) 3.00" in text
    special = {i.get("name").rsplit("-", 1)[1]: i.get("value")
               for i in pricing.xpath(".//input[starts-with(@name, 'special_price_ids-')]")
               if "__new__" not in i.get("name")}
    assert special["price"] == "319.00" and special["note"] == "Agreed with the branch manager"  # the branch's own
    assert pricing.xpath(".//input[@name='general_discount']")  # the administrator may change it


def test_a_manager_sets_the_policy_in_the_form(app, registry, ids):
    manager = login(app, "pricer")
    url = f"/web/m/res.partner/{ids['hq']}"
    values = dict(manager.form_values(url, page(manager, url)))
    values.update({"general_discount": "4.5", "family_discount_ids-new1-family_id": str(ids["office"]),
                   "family_discount_ids-new1-discount": "2"})
    response = manager.post(url, values, csrf=False)
    assert response.status_code == 303, response.get_data(as_text=True)

    def stored(env):
        hq = env["res.partner"].browse(ids["hq"])
        return hq.general_discount, sorted((d.family_id.name, d.discount) for d in hq.family_discount_ids)
    assert registry.run(stored, readonly=True) == (
        Decimal("4.50"), [("Office supplies", Decimal("2.00")), ("Paper", Decimal("5.00"))])
    registry.run(lambda env: env["res.partner"].browse(ids["hq"]).write({"general_discount": 3,
                 "family_discount_ids": [("delete", d.id) for d in env["res.partner"].browse(ids["hq"])
                                         .family_discount_ids if d.family_id.id == ids["office"]]}))


def test_a_salesperson_cannot_change_the_policy_and_nothing_is_written(app, registry, ids):
    clerk = login(app, "clerk")
    url = f"/web/m/res.partner/{ids['hq']}"
    values = dict(clerk.form_values(url, page(clerk, url)))
    values.update({"general_discount": "50", "phone": "03-0000000"})
    response = clerk.post(url, values, csrf=False)
    assert response.status_code == 403
    assert "Only price list managers may change" in response.get_data(as_text=True)
    assert registry.run(lambda env: (env["res.partner"].browse(ids["hq"]).general_discount,
                                     env["res.partner"].browse(ids["hq"]).phone), readonly=True) == \
        (Decimal("3.00"), None)
    values.update({"general_discount": "3.00"})  # the same discount: an ordinary edit of the customer
    assert clerk.post(url, values, csrf=False).status_code == 303


def test_create_a_pricelist_with_items_in_the_form(app, registry, ids):
    manager = login(app, "pricer")
    name = unique("PL")
    new = "/web/m/pricelist.pricelist/new"
    values = dict(manager.form_values(new, page(manager, new)))
    values.update({"name": name, "base": "list_price",
                   "item_ids-new1-applied_on": "product", "item_ids-new1-product_id": str(ids["a4"]),
                   "item_ids-new1-compute_price": "fixed", "item_ids-new1-fixed_price": "20.50",
                   "item_ids-new1-min_quantity": "0"})
    response = manager.post("/web/m/pricelist.pricelist/new", values, csrf=False)
    assert response.status_code == 303, response.get_data(as_text=True)
    rid = int(response.headers["Location"].rsplit("/", 1)[1])
    items = registry.run(lambda env: [(i.product_id.id, i.fixed_price) for i in
                                      env["pricelist.pricelist"].browse(rid).item_ids], readonly=True)
    assert items == [(ids["a4"], Decimal("20.50"))]
    html = page(manager, f"/web/m/pricelist.pricelist/{rid}")
    assert name in html and "20.50" in html


def test_bulk_update_preview_and_apply_through_the_buttons(app, registry, ids):
    manager = login(app, "pricer")
    response = manager.post(f"/web/m/pricelist.pricelist/{ids['wholesale']}/call/action_new_update")
    assert response.status_code == 303
    url = response.headers["Location"]
    values = dict(manager.form_values(url, page(manager, url)))
    values.update({"operation": "change", "scope": "all", "percent": "10"})
    assert manager.post(url, values, csrf=False).status_code == 303
    before = registry.run(lambda env: env.ref("pricelist.item_wholesale_a4").fixed_price, readonly=True)
    assert manager.post(f"{url}/call/action_preview").status_code == 303
    html = page(manager, url)
    preview = " ".join(text_of(html).split())
    assert "Previewed" in preview and "21.90" in preview and "24.09" in preview
    assert registry.run(lambda env: env.ref("pricelist.item_wholesale_a4").fixed_price, readonly=True) == before
    assert manager.post(f"{url}/call/action_apply").status_code == 303
    assert registry.run(lambda env: env.ref("pricelist.item_wholesale_a4").fixed_price, readonly=True) == \
        Decimal("24.09")
    history = page(manager, "/web/m/pricelist.history")
    assert "24.09" in history and "Bulk update" in history
    registry.run(lambda env: env.ref("pricelist.item_wholesale_a4").write({"fixed_price": before}))


def test_a_failed_apply_shows_the_reason_and_writes_nothing(app, registry, ids):
    manager = login(app, "pricer")
    response = manager.post(f"/web/m/pricelist.pricelist/{ids['wholesale']}/call/action_new_update")
    url = response.headers["Location"]
    response = manager.post(f"{url}/call/action_apply")
    assert response.status_code == 422 and "before applying it" in response.get_data(as_text=True)


def test_menus_and_access_of_a_salesperson(app, ids):
    clerk = login(app, "clerk")
    home = page(clerk, "/web")
    assert "Price lists" in home and "Price history" in home and "Price updates" not in home
    assert clerk.get("/web/m/pricelist.update").status_code == 403
    page(clerk, f"/web/m/pricelist.pricelist/{ids['wholesale']}")  # may read
    new = "/web/m/pricelist.pricelist/new"
    values = dict(clerk.form_values(new, page(clerk, new)))
    values.update({"name": "Not allowed"})
    assert clerk.post("/web/m/pricelist.pricelist/new", values, csrf=False).status_code == 403
    manager = login(app, "pricer")
    assert "Price updates" in page(manager, "/web")


def test_hebrew_pricing_tab(app, ids):
    admin = login(app, "admin", "admin-pass-1")
    admin.post("/web/preferences", {"lang": "he"})
    try:
        html = page(admin, f"/web/m/res.partner/{ids['branch']}")
        assert 'dir="rtl"' in html
        tabs = [s.text_content().strip() for s in lxml.html.fromstring(html).xpath("//details[@class='page']/summary")]
        assert "תמחור" in tabs
        assert "מחירים מיוחדים" in html and "המחירון בתוקף" in html
        assert "מחירונים" in page(admin, "/web")
    finally:
        admin.post("/web/preferences", {"lang": "en"})


def test_an_order_form_shows_why_its_prices(app, registry, ids):
    def make(env):
        order = env["sale.order"].create({"partner_id": ids["branch"], "line_ids": [
            {"product_id": ids["a4"], "quantity": 60}, {"product_id": ids["toner"], "quantity": 1}]})
        return order.id
    order_id = registry.run(make)
    seller = login(app, "seller")  # a salesperson who may read price lists, not change them
    html = page(seller, f"/web/m/sale.order/{order_id}")
    section = lxml.html.fromstring(html).xpath("//section[contains(@class, 'why-prices')]")[0]
    text = " ".join(section.text_content().split())
    assert "Why these prices" in text
    assert "Pricing policy of Shefa Markets — Haifa branch: Price list Wholesale (from head office Shefa Markets Ltd)" \
        in text
    rows = [" ".join(tr.text_content().split()) for tr in section.xpath(".//tbody/tr")]
    a4 = registry.run(lambda env: env["sale.order"].browse(order_id).line_ids[0].price_unit, readonly=True)
    assert rows[0].startswith(f"[P-A4] A4 paper, 500 sheets 60.000 {a4} 5.00 Price list Wholesale of head office "
                              "Shefa Markets Ltd, item for this product (from quantity 50): fixed price")
    assert rows[1].endswith("Special price 319.00 of Shefa Markets — Haifa branch; no discount on a special price")
    assert not lxml.html.fromstring(page(seller, "/web/m/sale.order/new")).xpath(
        "//section[contains(@class, 'why-prices')]")  # nothing to explain on a new order

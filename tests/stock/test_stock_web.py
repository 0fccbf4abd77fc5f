"""The stock screens through the web UI: menus, lists and forms, buttons, the availability
screen and the product form section, rights, Hebrew."""
import datetime as dt

import lxml.html

from web_helpers import login, make_user, page, site_fixtures, text_of

TODAY = dt.date.today()


def _setup(env):
    ids = {"keeper": make_user(env, "keeper"), "seller": make_user(env, "seller"),
           "manager": make_user(env, "stockman", groups=("stock.group_stock_manager",), lang="he")}
    env["res.users"].browse(ids["keeper"]).write({"group_ids": [("link", env.ref("stock.group_stock_user").id)]})
    supplier = env["res.partner"].create({"name": "Web Supplier", "supplier": True})
    chair, lamp = env["product.product"].create([{"name": "Web chair", "default_code": "WEB-CH"},
                                                 {"name": "Web lamp", "default_code": "WEB-LA"}])
    env["stock.move"].create_done([{"product_id": chair.id, "quantity": 7, "kind": "in", "origin": "WEB/IN"}])
    env["stock.reservation"].reserve([{"product_id": chair.id, "quantity": 2, "res_model": "sale.order",
                                       "res_id": 1, "origin": "SO/WEB"}])
    order = env["purchase.order"].create({"partner_id": supplier.id, "line_ids": [
        {"product_id": chair.id, "quantity": 5, "price_unit": "3.50", "date_expected": TODAY + dt.timedelta(days=9)},
        {"product_id": lamp.id, "quantity": 4, "price_unit": "8", "date_expected": TODAY + dt.timedelta(days=20)}]})
    order.action_confirm()
    ids.update(chair=chair.id, lamp=lamp.id, order=order.id, supplier=supplier.id)
    return ids


site, registry, ids, app = site_fixtures(["stock"], setup=_setup)


def run(registry, work):
    return registry.run(work)


SCREENS = ["/web/m/stock.level", "/web/m/stock.move", "/web/m/stock.reservation", "/web/m/purchase.order",
           "/web/m/purchase.order.line", "/web/m/stock.receipt", "/web/m/stock.inventory",
           "/web/m/stock.supplierinfo", "/web/m/stock.warehouse", "/web/m/product.product",
           "/web/m/stock.move?view_type=pivot", "/web/m/stock.move?view_type=graph",
           "/web/m/purchase.order?view_type=kanban"]


def test_every_screen_opens_for_a_stock_user(app, ids):
    keeper = login(app, "keeper")
    for url in SCREENS:
        page(keeper, url)
    for url in (f"/web/m/purchase.order/{ids['order']}", f"/web/m/product.product/{ids['chair']}",
                "/web/m/stock.move/new", "/web/m/stock.inventory/new", "/web/m/purchase.order/new"):
        page(keeper, url)
    home = text_of(page(keeper, "/web"))
    assert "Inventory and purchasing" in home and "Purchase orders" in home


def test_product_form_shows_its_stock(app, ids):
    keeper = login(app, "keeper")
    body = page(keeper, f"/web/m/product.product/{ids['chair']}")
    section = lxml.html.fromstring(body).xpath("//section[contains(@class, 'stock-section')]")
    assert section, "the stock summary is missing from the product form"
    text = " ".join(section[0].text_content().split())
    assert "7.000" in text and "2.000" in text and "5.000" in text
    assert f"/web/stock/availability/{ids['chair']}" in body
    listing = text_of(page(keeper, "/web/m/product.product"))
    assert "Web chair" in listing and "5.000" in listing


def test_availability_screen_projects_the_stock(app, ids):
    seller = login(app, "seller")  # a salesperson reads availability, not purchase orders
    body = page(seller, f"/web/stock/availability/{ids['chair']}")
    doc = lxml.html.fromstring(body)
    figures = {dd.get("data-figure"): " ".join(dd.text_content().split())
               for dd in doc.xpath("//dd[@data-figure]")}
    assert figures["on_hand"].endswith("7.000") and figures["available"].endswith("5.000")
    assert doc.xpath(f"//dd[@data-figure='next_arrival']/time/@datetime") == [
        (TODAY + dt.timedelta(days=9)).isoformat()]
    rows = [[tr.get("data-date")] + [" ".join(td.text_content().split()) for td in tr.xpath("td")[1:3]]
            for tr in doc.xpath("//table[contains(@class, 'stock-projection')]/tbody/tr")]
    assert rows == [[TODAY.isoformat(), "0.000", "5.000"],
                    [(TODAY + dt.timedelta(days=9)).isoformat(), "5.000", "10.000"]]
    assert doc.xpath("//table[contains(@class, 'stock-per-warehouse')]//td[contains(., 'Main warehouse')]")
    page(seller, "/web/stock/availability/999999", status=404)
    page(seller, f"/web/m/purchase.order/{ids['order']}", status=403)


def test_availability_screen_in_hebrew(app, ids):
    manager = login(app, "stockman", lang="he")
    body = page(manager, f"/web/stock/availability/{ids['lamp']}")
    assert 'dir="rtl"' in body
    text = text_of(body)
    assert "זמינות במלאי" in text and "צפי ההגעה הבא" in text and "מלאי צפוי לאורך זמן" in text


def test_receive_goods_from_the_purchase_order(app, registry, ids):
    keeper = login(app, "keeper")
    page(keeper, f"/web/m/purchase.order/{ids['order']}")
    response = keeper.post(f"/web/m/purchase.order/{ids['order']}/call/action_receive")
    assert response.status_code == 303
    receipt_url = response.headers["Location"]
    assert receipt_url.startswith("/web/m/stock.receipt/")
    receipt_id = int(receipt_url.rsplit("/", 1)[1])
    body = page(keeper, receipt_url)
    assert "Web chair" in text_of(body)

    def over_receive(env):
        env["stock.receipt"].browse(receipt_id).line_ids[0].write({"quantity": 50})
    run(registry, over_receive)
    response = keeper.post(f"{receipt_url}/call/action_done")
    assert response.status_code == 422  # the receipt's form again, with the refusal on it
    assert "were ordered" in text_of(response.get_data(as_text=True))
    on_hand = registry.run(lambda env: env["stock.availability"].get([ids["chair"]])[ids["chair"]]["on_hand"])
    assert on_hand == 7  # nothing was written

    def fix(env):
        env["stock.receipt"].browse(receipt_id).line_ids[0].write({"quantity": 5})
    run(registry, fix)
    response = keeper.post(f"{receipt_url}/call/action_done")
    assert response.status_code == 303
    state = registry.run(lambda env: (env["stock.receipt"].browse(receipt_id).state,
                                      env["purchase.order"].browse(ids["order"]).status_code))
    assert state == ("done", "received")
    assert registry.run(lambda env: env["stock.availability"].get([ids["chair"]])[ids["chair"]]["on_hand"]) == 12


def test_refusal_in_hebrew(app, registry, ids):
    manager = login(app, "stockman", lang="he")
    move = registry.run(lambda env: env["stock.move"].create({"product_id": ids["lamp"], "quantity": 1}).id)
    registry.run(lambda env: env["stock.move"].browse(move).action_done())
    page(manager, f"/web/m/stock.move/{move}")
    response = manager.post(f"/web/m/stock.move/{move}/delete")
    assert response.status_code == 400
    assert "אי אפשר למחוק תנועת מלאי שבוצעה" in text_of(response.get_data(as_text=True))


def test_menus_follow_the_groups(app):
    seller = text_of(page(login(app, "seller"), "/web"))
    assert "Stock levels" in seller and "Purchase orders" not in seller and "Warehouses" not in seller
    manager = text_of(page(login(app, "stockman", lang="he"), "/web"))
    assert "מחסנים" in manager and "הזמנות רכש" in manager

"""The sales screens through the web UI, in Hebrew: every list and form opens, a quote is
made in its form (prices and availability on the lines), turned into an order, confirmed,
delivered, invoiced, printed (original, then copy) and paid; the customer's ledger page."""
import re
from decimal import Decimal as D

from web_helpers import login, make_user, page, site_fixtures, text_of


def _setup(env):
    ids = {"seller": make_user(env, "seller", groups=("sales.group_sales_user",), lang="he"),
           "boss": make_user(env, "boss", groups=("sales.group_sales_manager",)),
           "clerk": make_user(env, "clerk")}
    customer = env["res.partner"].create({"name": "לקוח רשת", "customer": True, "email": "web@example.co.il"})
    oil, tahini = env["product.product"].create([
        {"name": "Web oil", "default_code": "WOIL", "list_price": D("32.50")},
        {"name": "Web tahini", "default_code": "WTHN", "list_price": D("14.90")}])
    env["stock.move"].create_done([{"product_id": oil.id, "quantity": 3, "kind": "in"}])
    ids.update(customer=customer.id, oil=oil.id, tahini=tahini.id)
    return ids


site, registry, ids, app = site_fixtures(["sales"], setup=_setup)


SCREENS = ["/web/m/sale.quote", "/web/m/sale.quote?view_type=kanban", "/web/m/sale.quote?view_type=pivot",
           "/web/m/sale.order", "/web/m/sale.order?view_type=kanban", "/web/m/sale.order.line",
           "/web/m/sale.delivery", "/web/m/account.invoice", "/web/m/account.receipt", "/web/m/account.payment",
           "/web/m/account.ledger.entry", "/web/m/account.ledger.entry?view_type=pivot",
           "/web/m/sale.quote/new", "/web/m/sale.order/new", "/web/m/account.receipt/new",
           "/web/m/account.invoice/new"]


def test_every_sales_screen_opens_in_hebrew(app):
    seller = login(app, "seller", lang="he")
    for url in SCREENS:
        body = page(seller, url)
        assert 'dir="rtl"' in body
    assert "הצעות מחיר" in text_of(page(seller, "/web"))


def test_users_outside_sales_see_no_sales_documents(app):
    clerk = login(app, "clerk")
    assert clerk.get("/web/m/sale.quote").status_code == 403
    assert clerk.get("/web/m/account.invoice").status_code == 403


def _call(browser, model, rid, method):
    page(browser, f"/web/m/{model}/{rid}")
    response = browser.post(f"/web/m/{model}/{rid}/call/{method}")
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return response.headers["Location"]


def _move(browser, registry, model, rid, xmlid):
    transition = registry.run(lambda env: env.ref(xmlid).id)
    response = browser.post(f"/web/bpm/move/{model}/{rid}", {"transition": str(transition)})
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]


def test_quote_to_payment_through_the_screens(app, site, ids):
    registry = site[0]
    seller = login(app, "seller", lang="he")
    page(seller, "/web/m/sale.quote/new")
    response = seller.post("/web/m/sale.quote/new", {
        "partner_id": str(ids["customer"]), "date": "2025-06-01", "validity_date": "2025-06-30",
        "line_ids-new1-product_id": str(ids["oil"]), "line_ids-new1-quantity": "5",
        "line_ids-new2-product_id": str(ids["tahini"]), "line_ids-new2-quantity": "2",
        "line_ids-new2-discount": "10"})
    assert response.status_code == 303, seller.html[:3000]
    quote_id = int(response.headers["Location"].rsplit("/", 1)[1])
    body = text_of(page(seller, f"/web/m/sale.quote/{quote_id}"))
    assert "מחיר המכירה של המוצר" in body                       # why this price, in Hebrew
    assert "התבקשו 5, זמינים רק 3" in body                        # availability on the line
    quote = registry.run(lambda env: env["sale.quote"].browse(quote_id).read(["amount_total", "name"])[0])
    assert quote["amount_total"] == D("223.40")                  # 162.50 + 26.82 = 189.32, + 34.08 VAT (18%)
    _call(seller, "sale.quote", quote_id, "action_send")
    assert registry.run(lambda env: env["mail.mail"].search_count([("res_id", "=", quote_id),
                                                                   ("res_model", "=", "sale.quote")])) == 1
    location = _call(seller, "sale.quote", quote_id, "action_create_order")
    order_id = int(location.rsplit("/", 1)[1])
    _move(seller, registry, "sale.order", order_id, "sales.order_flow_draft_confirmed")
    delivery_url = _call(seller, "sale.order", order_id, "action_create_delivery")
    delivery_id = int(delivery_url.rsplit("/", 1)[1])
    _call(seller, "sale.delivery", delivery_id, "action_validate")
    invoice_url = _call(seller, "sale.delivery", delivery_id, "action_create_invoice")
    invoice_id = int(invoice_url.rsplit("/", 1)[1])
    _call(seller, "account.invoice", invoice_id, "action_post")
    first = _call(seller, "account.invoice", invoice_id, "action_print")
    assert "מקור" in text_of(page(seller, first))
    second = _call(seller, "account.invoice", invoice_id, "action_print")
    printed = text_of(page(seller, second))
    assert "העתק" in printed and "מקור" not in printed and "חשבונית מס" in printed
    assert registry.run(lambda env: env["sale.order"].browse(order_id).status_code) == "invoiced"
    page(seller, "/web/m/account.receipt/new")
    response = seller.post("/web/m/account.receipt/new", {
        "partner_id": str(ids["customer"]), "date": "2025-06-10",
        "payment_ids-new1-method": "check", "payment_ids-new1-amount": "223.40", "payment_ids-new1-bank": "10",
        "payment_ids-new1-branch": "800", "payment_ids-new1-account_number": "55555",
        "payment_ids-new1-check_number": "7001", "payment_ids-new1-due_date": "2025-08-10"})
    assert response.status_code == 303, seller.html[:3000]
    receipt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    _call(seller, "account.receipt", receipt_id, "action_post")
    ledger = text_of(page(seller, f"/web/sales/ledger/{ids['customer']}"))
    assert "כרטסת לקוח" in ledger and "צ'קים דחויים" in ledger
    amounts = dict(re.findall(r'data-amount="(\w+)"><bdi dir="ltr">([^<]*)<', seller.html))
    assert "223.40" in amounts["postdated"] and "0.00" in amounts["balance"]
    partner_form = page(seller, f"/web/m/res.partner/{ids['customer']}")
    assert 'data-amount="postdated"' in partner_form and "/web/sales/ledger/" in partner_form


def test_posted_invoice_form_refuses_changes(app, site, ids):
    registry = site[0]

    def make(env):
        invoice = env["account.invoice"].create({"partner_id": ids["customer"], "line_ids": [
            {"name": "Web line", "price_unit": 5}]})
        invoice.action_post()
        return invoice.id
    invoice_id = registry.run(make)
    boss = login(app, "boss")
    page(boss, f"/web/m/account.invoice/{invoice_id}")
    response = boss.post(f"/web/m/account.invoice/{invoice_id}", {"client_ref": "changed"})
    assert response.status_code in (400, 422)
    assert registry.run(lambda env: env["account.invoice"].browse(invoice_id).client_ref) is None


def test_ledger_page_filters_by_dates_and_refuses_bad_ones(app, ids):
    boss = login(app, "boss")
    body = page(boss, f"/web/sales/ledger/{ids['customer']}?date_from=2030-01-01")
    assert "No entries in this period" in text_of(body)
    assert boss.get(f"/web/sales/ledger/{ids['customer']}?date_from=soon").status_code == 400
    assert boss.get("/web/sales/ledger/999999").status_code == 404

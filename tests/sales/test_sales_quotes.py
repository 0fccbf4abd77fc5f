"""Quotes and orders: totals and the rounding rule, VAT by tax point, numbers, prices,
quote → order (whole and partial), statuses, and bad input refused with nothing written."""
import datetime as dt
from decimal import Decimal as D

import pytest

from core.exceptions import UserError, ValidationError
from sales_helpers import (  # noqa: F401 - fixtures
    Plugin, basics, count, make_basics, quote_values, refused, sales_registry, senv)


def test_line_totals_are_rounded_once_and_vat_once_on_the_sum(senv, basics):
    quote = senv["sale.quote"].create(quote_values(basics, lines=[
        {"name": "A", "quantity": 3, "price_unit": D("0.35"), "discount": 50},    # 0.525 → 0.53
        {"name": "B", "quantity": D("1.5"), "price_unit": D("0.33")},             # 0.495 → 0.50
        {"name": "C", "quantity": 7, "price_unit": D("12.99"), "discount": D("12.5")},  # 79.563… → 79.56
    ]))
    assert [line.price_subtotal for line in quote.line_ids] == [D("0.53"), D("0.50"), D("79.56")]
    assert quote.amount_untaxed == D("80.59")
    assert quote.vat_rate == D("18.00")
    assert quote.amount_tax == D("14.51")      # 80.59 × 18% = 14.5062 → 14.51, once on the sum
    assert quote.amount_total == D("95.10")


def test_vat_rate_follows_the_tax_point_date(senv, basics):
    before = senv["sale.quote"].create(quote_values(basics, date="2024-12-31"))
    after = senv["sale.quote"].create(quote_values(basics, date="2025-01-01"))
    assert (before.vat_rate, after.vat_rate) == (D("17.00"), D("18.00"))
    assert before.amount_untaxed == after.amount_untaxed == D("381.62")  # 325.00 + 56.62
    assert (before.amount_tax, after.amount_tax) == (D("64.88"), D("68.69"))
    before.write({"date": "2025-02-01"})
    assert (before.vat_rate, before.amount_total) == (D("18.00"), D("450.31"))


def test_a_date_without_vat_rate_is_refused_and_nothing_is_written(sales_registry):
    def work(env):
        basics = make_basics(env)
        company = env["res.company"].create({"name": "No VAT Ltd", "currency_id": env.ref("base.ILS").id})
        env["sale.quote"].create(quote_values(basics, company_id=company.id))
    message = refused(sales_registry, work, UserError, "no VAT rate")
    assert "No VAT Ltd" in message
    with sales_registry.env() as env:
        assert count(env, "sale.quote") == 0 and count(env, "res.company", [("name", "=", "No VAT Ltd")]) == 0


def test_numbers_are_gapless_per_document_type_and_year(senv, basics):
    quotes = senv["sale.quote"].create([quote_values(basics, date=d) for d in
                                        ("2025-05-01", "2025-06-01", "2026-01-02", "2025-07-01")])
    assert quotes.mapped("name") == ["QT-2025-00001", "QT-2025-00002", "QT-2026-00001", "QT-2025-00003"]
    order = senv["sale.order"].create(quote_values(basics, date="2025-05-01"))
    assert order.name == "SO-2025-00001"


def test_numbered_documents_are_never_deleted(senv, basics):
    quote = senv["sale.quote"].create(quote_values(basics))
    with pytest.raises(UserError, match="never deleted"):
        quote.unlink()


def test_prices_come_from_the_hook_once_per_document_else_the_list_price(sales_registry, senv, basics):
    calls = []

    def sales_line_prices(env, partner, lines, date, currency):
        calls.append((partner.id, [line["product_id"] for line in lines], date))
        return {line["key"]: {"price_unit": D("30.00"), "discount": D("2.5"), "explanation": "Special price"}
                for line in lines if line["product_id"] == basics.oil.id}

    with Plugin(sales_registry, sales_line_prices=sales_line_prices):
        quotes = senv["sale.quote"].create([quote_values(basics), quote_values(basics, partner_id=basics.cohen.id)])
    assert sorted(calls) == sorted([(basics.levi.id, [basics.oil.id, basics.tahini.id], dt.date(2025, 3, 10)),
                                    (basics.cohen.id, [basics.oil.id, basics.tahini.id], dt.date(2025, 3, 10))])
    oil, tahini = quotes[0].line_ids
    assert (oil.price_unit, oil.discount, oil.price_explanation) == (D("30.00"), D("2.50"), "Special price")
    assert (oil.price_subtotal, oil.name) == (D("292.50"), "[OIL1] Olive oil 1L")
    assert (tahini.price_unit, tahini.discount) == (D("14.90"), D("5.00"))  # a discount given by hand is kept
    assert tahini.price_explanation == "The product's sales price"


def test_given_prices_are_kept_and_update_prices_asks_again(sales_registry, senv, basics):
    quote = senv["sale.quote"].create(quote_values(basics, lines=[
        {"product_id": basics.oil.id, "quantity": 2, "price_unit": D("1.00")}]))
    assert quote.line_ids.price_unit == D("1.00")

    def sales_line_prices(env, partner, lines, date, currency):
        return {lines[0]["key"]: {"price_unit": D("31.00"), "discount": D("0"), "explanation": "Price list"}}

    with Plugin(sales_registry, sales_line_prices=sales_line_prices):
        quote.action_update_prices()
    assert (quote.line_ids.price_unit, quote.amount_untaxed) == (D("31.00"), D("62.00"))


def test_customer_defaults_hook_fills_new_documents(sales_registry, senv, basics):
    def sales_document_defaults(env, model_name, partners):
        return {partner.id: {"client_ref": f"{model_name}:{partner.name}"} for partner in partners}

    with Plugin(sales_registry, sales_document_defaults=sales_document_defaults):
        quote = senv["sale.quote"].create(quote_values(basics))
        order = senv["sale.order"].create(quote_values(basics, client_ref="given"))
    assert quote.client_ref == "sale.quote:Levi Trading Ltd"
    assert order.client_ref == "given"


def test_quote_becomes_an_order_with_lines_prices_and_terms_copied(senv, basics):
    term = senv.ref("sales.term_eom_30")
    contact = senv["res.partner"].create({"name": "Dana Levi", "parent_id": basics.levi.id})
    quote = senv["sale.quote"].create(quote_values(basics, contact_id=contact.id, payment_term_id=term.id,
                                                   note="Prices valid for 30 days", client_ref="PO-77",
                                                   date_promised="2025-04-01"))
    order = quote.action_create_order()["order"]
    assert order.quote_id == quote and quote.order_ids == order
    assert (order.partner_id, order.contact_id, order.payment_term_id) == (basics.levi, contact, term)
    assert (order.note, order.client_ref, order.date_promised) == ("Prices valid for 30 days", "PO-77",
                                                                   dt.date(2025, 4, 1))
    assert [(l.product_id, l.quantity, l.price_unit, l.discount, l.quote_line_id) for l in order.line_ids] == \
        [(l.product_id, l.quantity, l.price_unit, l.discount, l) for l in quote.line_ids]
    assert order.amount_untaxed == quote.amount_untaxed
    assert quote.line_ids[0].order_line_ids == order.line_ids[0]
    assert quote.status_code == "accepted" and order.status_code == "draft"


def test_a_quote_can_be_ordered_partly_by_chosen_lines(senv, basics):
    quote = senv["sale.quote"].create(quote_values(basics, lines=[
        {"product_id": basics.oil.id, "quantity": 1}, {"product_id": basics.tahini.id, "quantity": 2},
        {"product_id": basics.service.id, "quantity": 1}]))
    first = quote.action_create_order(line_ids=[quote.line_ids[1].id])["order"]
    assert first.line_ids.product_id == basics.tahini and first.amount_untaxed == D("29.80")
    quote.line_ids[0].write({"selected": True})
    quote.line_ids[2].write({"selected": True})
    second = quote.action_create_order()["order"]
    assert second.line_ids.mapped("product_id") == basics.oil | basics.service
    assert not quote.line_ids.filtered("selected")
    assert quote.order_ids == first | second


def test_ordering_refused_for_a_rejected_quote_or_a_foreign_line(sales_registry):
    def setup(env):
        basics = make_basics(env)
        quotes = env["sale.quote"].create([quote_values(basics), quote_values(basics)])
        quotes[1].action_reject()
        return quotes.ids
    ids = sales_registry.run(setup)
    refused(sales_registry, lambda env: env["sale.quote"].browse(ids[1]).action_create_order(), UserError,
            "Rejected")
    refused(sales_registry, lambda env: env["sale.quote"].browse(ids[0]).action_create_order(
        line_ids=env["sale.quote"].browse(ids[1]).line_ids.ids), UserError, "has no line")
    with sales_registry.env() as env:
        assert count(env, "sale.order") == 0
        assert env["sale.quote"].browse(ids[0]).status_code == "draft"


@pytest.mark.parametrize("line, field", [
    ({"name": "X", "quantity": 0, "price_unit": 1}, "quantity"),
    ({"name": "X", "quantity": -2, "price_unit": 1}, "quantity"),
    ({"name": "X", "quantity": 1, "price_unit": -1}, "price_unit"),
    ({"name": "X", "quantity": 1, "price_unit": 1, "discount": 101}, "discount"),
    ({"name": "X", "quantity": "many", "price_unit": 1}, "quantity"),
])
def test_bad_lines_are_refused_and_nothing_is_written(sales_registry, line, field):
    def work(env):
        env["sale.quote"].create(quote_values(make_basics(env), lines=[line]))
    with pytest.raises(ValidationError) as info:
        sales_registry.run(work)
    assert info.value.field == field
    with sales_registry.env() as env:
        assert count(env, "sale.quote") == 0 and count(env, "sale.quote.line") == 0


def test_lines_of_an_accepted_quote_or_a_confirmed_order_cannot_change(senv, basics):
    quote = senv["sale.quote"].create(quote_values(basics))
    quote.action_accept()
    with pytest.raises(UserError, match="can no longer change"):
        quote.line_ids[0].write({"quantity": 99})
    with pytest.raises(UserError, match="can no longer change"):
        senv["sale.quote.line"].create({"quote_id": quote.id, "name": "More", "price_unit": 1})
    order = senv["sale.order"].create(quote_values(basics))
    order.action_confirm()
    with pytest.raises(UserError, match="can no longer change"):
        order.line_ids[0].unlink()


def test_quote_statuses_and_the_expiry_job(senv, basics):
    today = dt.date.today()
    quotes = senv["sale.quote"].create([
        quote_values(basics, validity_date=today - dt.timedelta(days=1)),
        quote_values(basics, validity_date=today),
        quote_values(basics, validity_date=today - dt.timedelta(days=3)),
        quote_values(basics, validity_date=today - dt.timedelta(days=3)),
    ])
    quotes[2].action_mark_sent()
    quotes[3].action_reject()
    assert senv["sale.quote"].expire_quotes() == 2
    assert quotes.mapped("status_code") == ["expired", "draft", "expired", "rejected"]
    with pytest.raises(UserError, match="no transition"):
        quotes[3].action_accept()
    job = senv["ir.cron"].search([("code", "=", "sales_expire_quotes")])
    assert (job.model, job.method, job.interval_type) == ("sale.quote", "expire_quotes", "days")


def test_confirm_check_hook_blocks_or_warns(sales_registry, senv, basics):
    orders = senv["sale.order"].create([quote_values(basics), quote_values(basics, partner_id=basics.cohen.id)])

    def sales_order_confirm_check(env, orders):
        return [{"order_id": o.id, "block": o.partner_id.name.startswith("Cohen"), "message": f"{o.name} checked"}
                for o in orders]

    with Plugin(sales_registry, sales_order_confirm_check=sales_order_confirm_check):
        with pytest.raises(UserError, match=f"to 'Confirmed': {orders[1].name} checked"):
            orders.action_confirm()
        assert orders.mapped("status_code") == ["draft", "draft"]
        orders[0].action_confirm()
    assert orders[0].status_code == "confirmed"
    assert orders[0].confirm_warning == f"{orders[0].name} checked"


def test_an_order_without_lines_cannot_be_confirmed(senv, basics):
    order = senv["sale.order"].create(quote_values(basics, lines=[]))
    with pytest.raises(UserError, match="has no lines"):
        order.action_confirm()


def test_order_lines_follow_their_order_customer_and_vat_rate(senv, basics):
    order = senv["sale.order"].create(quote_values(basics, date="2024-12-31", lines=[
        {"name": "Box", "quantity": 2, "price_unit": D("50.00")}]))
    line = order.line_ids
    assert (line.partner_id, line.vat_rate, line.open_amount) == (basics.levi, D("17.00"), D("117.00"))
    order.write({"date": "2025-01-01", "partner_id": basics.cohen.id})
    assert (line.partner_id, line.vat_rate, line.open_amount) == (basics.cohen, D("18.00"), D("118.00"))
    with pytest.raises(UserError, match="follow its order"):
        line.write({"qty_delivered": 1})

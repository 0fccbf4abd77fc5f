"""Delivery notes (also partial) move stock out and release reservations; tax invoices from
orders or from several delivery notes; posting, immutability, credit notes, allocation numbers."""
from decimal import Decimal as D

import pytest

from core.exceptions import UserError
from sales_helpers import (  # noqa: F401 - fixtures
    Plugin, basics, confirmed_order, count, make_basics, quote_values, refused, sales_registry, senv, stock_in)


def reserved(env, order):
    return {r.product_id.id: r.quantity for r in env["stock.reservation"].search(
        [("res_model", "=", "sale.order"), ("res_id", "=", order.id), ("state", "=", "active")])}


def test_confirming_reserves_goods_and_cancelling_releases_them(senv, basics):
    order = confirmed_order(senv, basics, lines=[
        {"product_id": basics.oil.id, "quantity": 10}, {"product_id": basics.service.id, "quantity": 1}])
    assert order.status_code == "confirmed"
    assert reserved(senv, order) == {basics.oil.id: D("10.000")}       # services have no stock
    assert senv["stock.availability"].get([basics.oil.id])[basics.oil.id]["reserved"] == D("10")
    order.action_cancel()
    assert order.status_code == "cancelled" and reserved(senv, order) == {}


def test_partial_delivery_moves_stock_out_and_releases_what_left(senv, basics):
    stock_in(senv, basics.oil, 20)
    order = confirmed_order(senv, basics)
    oil_line, tahini_line = order.line_ids
    first = order.deliver({oil_line.id: 4}, date="2025-03-11")
    assert (first.name, first.state, order.status_code) == ("DN-2025-00001", "done", "partial")
    assert (oil_line.qty_delivered, tahini_line.qty_delivered) == (D("4"), D("0"))
    moves = senv["stock.move"].search([("res_model", "=", "sale.delivery"), ("res_id", "=", first.id)])
    assert [(m.product_id, m.quantity, m.kind, m.state, m.origin) for m in moves] == \
        [(basics.oil, D("4"), "out", "done", "DN-2025-00001")]
    assert reserved(senv, order) == {basics.oil.id: D("6"), basics.tahini.id: D("4")}
    assert senv["stock.availability"].get([basics.oil.id])[basics.oil.id]["on_hand"] == D("16")
    second = order.deliver(date="2025-03-12")            # the rest
    assert [(l.product_id, l.quantity) for l in second.line_ids] == [(basics.oil, D("6")), (basics.tahini, D("4"))]
    assert order.status_code == "delivered" and reserved(senv, order) == {}
    with pytest.raises(UserError, match="only confirmed orders are delivered"):
        order.deliver()
    with pytest.raises(UserError, match="no transition from 'Delivered'"):
        order.action_cancel()


def test_a_draft_delivery_note_is_edited_then_validated(senv, basics):
    order = confirmed_order(senv, basics)
    delivery = order.action_create_delivery()["delivery"]
    assert delivery.state == "draft" and not delivery.name
    delivery.line_ids[0].write({"quantity": 2})
    delivery.line_ids[1].write({"quantity": 0})           # not this time: dropped at validation
    delivery.action_validate()
    assert [(l.product_id, l.quantity) for l in delivery.line_ids] == [(basics.oil, D("2"))]
    with pytest.raises(UserError, match="no longer a draft"):
        delivery.line_ids.write({"quantity": 1})
    with pytest.raises(UserError, match="never deleted"):
        delivery.unlink()


def test_delivering_more_than_ordered_or_from_a_draft_order_is_refused(sales_registry):
    def setup(env):
        basics = make_basics(env)
        return confirmed_order(env, basics).id, env["sale.order"].create(quote_values(basics)).id
    confirmed_id, draft_id = sales_registry.run(setup)
    refused(sales_registry, lambda env: env["sale.order"].browse(confirmed_id).deliver(
        {env["sale.order"].browse(confirmed_id).line_ids[0].id: 11}), UserError, "only 10.000 left")
    refused(sales_registry, lambda env: env["sale.order"].browse(draft_id).deliver(), UserError,
            "only confirmed orders are delivered")
    with sales_registry.env() as env:
        assert count(env, "sale.delivery") == 0 and count(env, "stock.move", [("kind", "=", "out")]) == 0


def test_one_invoice_for_several_delivery_notes_and_the_order_follows(senv, basics):
    order = confirmed_order(senv, basics)
    oil_line, tahini_line = order.line_ids
    first = order.deliver({oil_line.id: 4}, date="2025-03-11")
    second = order.deliver({oil_line.id: 6, tahini_line.id: 4}, date="2025-03-12")
    invoice = (first | second).create_invoices(date="2025-03-12")
    assert len(invoice) == 1 and invoice.delivery_ids == first | second and invoice.order_ids == order
    assert [(l.quantity, l.order_line_id) for l in invoice.line_ids] == \
        [(D("4"), oil_line), (D("6"), oil_line), (D("4"), tahini_line)]
    assert invoice.amount_untaxed == order.amount_untaxed and invoice.amount_total == order.amount_total
    assert order.status_code == "delivered"               # a draft invoice invoices nothing yet
    invoice.action_post()
    assert (invoice.name, invoice.state, order.status_code) == ("INV-2025-00001", "posted", "invoiced")
    assert (oil_line.qty_invoiced, tahini_line.qty_invoiced) == (D("10"), D("4"))
    with pytest.raises(UserError, match="already invoiced"):
        first.create_invoices()
    order.action_close()
    assert order.status_code == "closed"


def test_invoice_from_an_order_and_several_customers_from_deliveries(senv, basics):
    first = confirmed_order(senv, basics)
    invoice = first.action_create_invoice()["invoice"]      # before delivery: invoices what is ordered
    assert [l.quantity for l in invoice.line_ids] == [D("10"), D("4")]
    with pytest.raises(UserError, match="nothing left to invoice"):
        first.action_create_invoice()
    invoice.action_post()
    assert first.status_code == "confirmed"                 # invoiced, not delivered yet
    with pytest.raises(UserError, match="was partly delivered or invoiced"):
        first.action_cancel()
    second = confirmed_order(senv, basics, partner_id=basics.cohen.id)
    third = confirmed_order(senv, basics, partner_id=basics.cohen.id)
    deliveries = second.deliver() | third.deliver()
    invoices = deliveries.create_invoices()
    assert len(invoices) == 1 and invoices.order_ids == second | third
    assert invoices.amount_untaxed == second.amount_untaxed + third.amount_untaxed


def test_posted_invoices_are_immutable_and_kept(sales_registry, senv, basics):
    invoice = confirmed_order(senv, basics).action_create_invoice()["invoice"]
    invoice.action_post()
    senv.commit()
    for attempt, match in [
        (lambda inv: inv.write({"client_ref": "changed"}), "cannot be changed"),
        (lambda inv: inv.write({"date": "2025-01-01"}), "cannot be changed"),
        (lambda inv: inv.line_ids[0].write({"price_unit": 1}), "cannot be changed"),
        (lambda inv: inv.env["account.invoice.line"].create({"invoice_id": inv.id, "name": "x", "price_unit": 1}),
         "cannot be changed"),
        (lambda inv: inv.line_ids[0].unlink(), "cannot be changed"),
        (lambda inv: inv.unlink(), "never deleted"),
        (lambda inv: inv.action_cancel(), "issue a credit note"),
        (lambda inv: inv.action_post(), "not a draft"),
    ]:
        refused(sales_registry, lambda env: attempt(env["account.invoice"].browse(invoice.id)), UserError, match)
    with sales_registry.env() as env:
        again = env["account.invoice"].browse(invoice.id)
        assert (again.state, again.client_ref, again.amount_total) == ("posted", None, invoice.amount_total)


def test_draft_invoices_are_cancelled_and_kept(senv, basics):
    order = confirmed_order(senv, basics)
    invoice = order.action_create_invoice()["invoice"]
    invoice.action_cancel()
    assert invoice.state == "cancelled" and not invoice.name
    with pytest.raises(UserError, match="never deleted"):
        invoice.unlink()
    again = order.action_create_invoice()["invoice"]      # a cancelled draft no longer counts
    assert [l.quantity for l in again.line_ids] == [D("10"), D("4")]


def test_credit_notes_credit_a_posted_invoice_and_lower_what_is_left_to_pay(senv, basics):
    order = confirmed_order(senv, basics)
    invoice = order.action_create_invoice()["invoice"]
    invoice.action_post()
    with pytest.raises(UserError, match="credits a posted tax invoice"):
        senv["account.invoice"].create({"partner_id": basics.levi.id, "line_ids": [
            {"name": "x", "price_unit": 1}]}).action_credit_note()
    note = invoice.action_credit_note({invoice.line_ids[1].id: 2})["credit_note"]
    assert (note.kind, note.origin_invoice_id, note.state) == ("credit_note", invoice, "draft")
    assert [(l.quantity, l.price_unit, l.discount) for l in note.line_ids] == [(D("2"), D("14.90"), D("5.00"))]
    note.action_post()
    assert note.name.startswith("CN-") and note.amount_total == D("33.41")    # 28.31 + 5.10 VAT (18%)
    assert invoice.amount_residual == invoice.amount_total - D("33.41")
    assert order.line_ids[1].qty_invoiced == D("4")       # a credit note corrects money, not deliveries
    balance = basics.levi.sales_ledger_balances()[basics.levi.id]
    assert balance == invoice.amount_total - note.amount_total
    too_much = invoice.action_credit_note()["credit_note"]
    with pytest.raises(UserError, match="more than the"):
        too_much.action_post()


ABOVE = [{"name": "Machine", "quantity": 1, "price_unit": D("20000.01")}]


def test_allocation_number_needed_above_the_threshold_in_force(sales_registry, senv, basics):
    basics.levi.write({"tax_id": "513456780"})
    on = lambda date, lines=ABOVE, partner=basics.levi: senv["account.invoice"].create(  # noqa: E731
        {"partner_id": partner.id, "date": date, "line_ids": lines})
    assert on("2025-01-01").amount_untaxed == D("20000.01")
    needed = senv["account.allocation.threshold"].needs_allocation
    assert needed(on("2025-01-01")) and not needed(on("2024-12-31"))   # ₪25,000 until then
    assert not needed(on("2024-05-04", [{"name": "x", "price_unit": D("30000")}]))  # before the rule
    assert needed(on("2026-01-01", [{"name": "x", "price_unit": D("10000.01")}]))
    assert not needed(on("2026-05-31", [{"name": "x", "price_unit": D("10000")}]))  # not above
    assert needed(on("2026-06-01", [{"name": "x", "price_unit": D("5000.01")}]))
    basics.cohen.write({"vat_dealer_type": "exempt"})
    assert not needed(on("2026-06-01", [{"name": "x", "price_unit": D("9000")}], basics.cohen))
    invoice = on("2025-06-01")
    with pytest.raises(UserError, match="allocation number"):
        invoice.action_post()
    assert invoice.state == "draft" and not invoice.name
    invoice.write({"allocation_number": "123456789"})     # typed by hand
    invoice.action_post()
    assert invoice.state == "posted" and invoice.partner_tax_id == "513456780"


def test_allocation_number_from_the_provider_hook(sales_registry, senv, basics):
    basics.levi.write({"tax_id": "513456780"})
    asked = []

    def sales_allocation_number(env, invoices):
        asked.append(invoices.ids)
        return {invoice.id: f"AL{invoice.id:07d}" for invoice in invoices}

    invoices = senv["account.invoice"].create([{"partner_id": basics.levi.id, "date": "2025-06-01",
                                                "line_ids": lines} for lines in
                                               (ABOVE, [{"name": "small", "price_unit": 5}])])
    with Plugin(sales_registry, sales_allocation_number=sales_allocation_number):
        invoices.action_post()
    assert asked == [[invoices[0].id]]
    assert invoices[0].allocation_number == f"AL{invoices[0].id:07d}" and not invoices[1].allocation_number


def test_invoice_posted_hook_fires_once_for_the_batch(sales_registry, senv, basics):
    seen = []
    invoices = senv["account.invoice"].create([{"partner_id": basics.levi.id, "line_ids": [
        {"name": "x", "price_unit": 10}]} for _ in range(3)])
    with Plugin(sales_registry, sales_invoice_posted=lambda env, invoices: seen.append(invoices.mapped("name"))):
        invoices.action_post()
    assert seen == [invoices.mapped("name")] and len(set(seen[0])) == 3


def test_due_date_from_the_payment_terms(senv, basics):
    invoice = senv["account.invoice"].create({"partner_id": basics.levi.id, "date": "2025-01-15",
                                              "payment_term_id": senv.ref("sales.term_eom_30").id,
                                              "line_ids": [{"name": "x", "price_unit": 10}]})
    invoice.action_post()
    assert str(invoice.date_due) == "2025-03-02"         # end of January + 30 days

"""Receipts with payment lines and checks, allocation to invoices, customer credit, the
check life cycle (a bounced check reopens the debt), the customer ledger and the four
customer amounts other addons read in batch."""
import datetime as dt
from decimal import Decimal as D

import pytest

from core.exceptions import UserError, ValidationError
from sales_helpers import (  # noqa: F401 - fixtures
    Plugin, basics, check, confirmed_order, count, make_basics, refused, sales_registry, senv)


def posted_invoice(env, partner, amount, date="2025-03-01", term=None):
    invoice = env["account.invoice"].create({"partner_id": partner.id, "date": date, "payment_term_id": term,
                                             "line_ids": [{"name": "Goods", "price_unit": amount}]})
    invoice.action_post()
    return invoice


def receipt(env, partner, payments, date="2025-03-15", allocations=None):
    values = {"partner_id": partner.id, "date": date, "payment_ids": payments}
    if allocations:
        values["allocation_ids"] = [{"invoice_id": inv.id, "amount": amount} for inv, amount in allocations]
    return env["account.receipt"].create(values)


def test_a_receipt_pays_the_oldest_open_invoices_and_the_rest_is_credit(senv, basics):
    old = posted_invoice(senv, basics.levi, D("100.00"), "2025-02-01")     # 118.00 with VAT
    new = posted_invoice(senv, basics.levi, D("50.00"), "2025-03-01")      # 59.00
    posted_invoice(senv, basics.cohen, D("10.00"))
    rec = receipt(senv, basics.levi, [{"method": "cash", "amount": D("100.00")},
                                      {"method": "transfer", "amount": D("90.00"), "reference": "TRF-8812"},
                                      {"method": "credit_card", "amount": D("10.00"), "reference": "AUTH-1"}])
    rec.action_post()
    assert (rec.name, rec.state, rec.amount_total) == ("RC-2025-00001", "posted", D("200.00"))
    assert [(a.invoice_id, a.amount) for a in rec.allocation_ids] == [(old, D("118.00")), (new, D("59.00"))]
    assert (rec.amount_allocated, rec.amount_unallocated) == (D("177.00"), D("23.00"))
    assert (old.payment_state, new.payment_state, new.amount_residual) == ("paid", "paid", D("0.00"))
    assert basics.levi.sales_ledger_balances()[basics.levi.id] == D("-23.00")   # the customer's credit


def test_a_receipt_allocated_by_hand_partly(senv, basics):
    first = posted_invoice(senv, basics.levi, D("100.00"))
    second = posted_invoice(senv, basics.levi, D("100.00"))
    rec = receipt(senv, basics.levi, [{"method": "cash", "amount": D("80.00")}], allocations=[(second, D("50.00"))])
    rec.action_post()
    assert (second.amount_residual, second.payment_state) == (D("68.00"), "partial")
    assert (first.amount_residual, rec.amount_unallocated) == (D("118.00"), D("30.00"))


@pytest.mark.parametrize("make, match", [
    (lambda env, b, inv, other: receipt(env, b.levi, [{"method": "cash", "amount": 10}],
                                        allocations=[(inv, D("20.00"))]), "cannot allocate"),
    (lambda env, b, inv, other: receipt(env, b.levi, [{"method": "cash", "amount": 500}],
                                        allocations=[(inv, D("200.00"))]), "left to pay"),
    (lambda env, b, inv, other: receipt(env, b.levi, [{"method": "cash", "amount": 50}],
                                        allocations=[(other, D("10.00"))]), "of its customer"),
    (lambda env, b, inv, other: receipt(env, b.levi, []), "at least one payment"),
    (lambda env, b, inv, other: receipt(env, b.levi, [{"method": "check", "amount": 10, "bank": "12"}]),
     "needs its Branch"),
])
def test_bad_receipts_are_refused_and_nothing_is_written(sales_registry, make, match):
    def work(env):
        basics = make_basics(env)
        invoice = posted_invoice(env, basics.levi, D("100.00"))
        other = posted_invoice(env, basics.cohen, D("100.00"))
        env.commit()
        make(env, basics, invoice, other).action_post()
    with pytest.raises(UserError, match=match):
        sales_registry.run(work)
    with sales_registry.env() as env:
        assert count(env, "account.receipt") == 0 and count(env, "account.payment") == 0
        assert count(env, "account.ledger.entry", [("kind", "=", "receipt")]) == 0


def test_a_payment_amount_must_be_positive(sales_registry):
    def work(env):
        receipt(env, make_basics(env).levi, [{"method": "cash", "amount": D("-5")}])
    with pytest.raises(ValidationError) as info:
        sales_registry.run(work)
    assert info.value.field == "amount"


def test_post_dated_check_life_cycle(senv, basics):
    invoice = posted_invoice(senv, basics.levi, D("1000.00"))               # 1,180.00
    rec = receipt(senv, basics.levi, [check(D("500.00"), "2025-03-15", "1001"),       # due on the receipt date
                                      check(D("680.00"), "2025-05-15", "1002")])       # post-dated
    rec.action_post()
    today_check, later = rec.payment_ids
    assert (today_check.is_postdated, later.is_postdated) == (False, True)
    assert (today_check.check_state, later.check_state) == ("in_hand", "in_hand")
    assert invoice.payment_state == "paid"
    assert basics.levi.sales_postdated_checks()[basics.levi.id] == D("680.00")
    later.action_deposit("2025-05-15")
    assert later.check_state == "deposited" and basics.levi.sales_postdated_checks()[basics.levi.id] == D("680.00")
    with pytest.raises(UserError, match="cannot become"):
        later.action_deposit()
    later.action_clear("2025-05-17")
    assert later.check_state == "cleared" and basics.levi.sales_postdated_checks()[basics.levi.id] == D("0.00")
    with pytest.raises(UserError, match="cannot become"):
        later.action_bounce()
    with pytest.raises(UserError, match="cannot be changed"):
        later.write({"amount": D("1.00")})


def test_a_bounced_check_reopens_the_debt(sales_registry, senv, basics):
    invoice = posted_invoice(senv, basics.levi, D("1000.00"))
    rec = receipt(senv, basics.levi, [{"method": "cash", "amount": D("180.00")},
                                      check(D("1000.00"), "2025-06-01", "2001")])
    rec.action_post()
    assert basics.levi.sales_ledger_balances()[basics.levi.id] == D("0.00")
    bounced = []
    with Plugin(sales_registry, sales_check_bounced=lambda env, payments: bounced.append(payments.ids)):
        rec.payment_ids[1].action_deposit("2025-06-01")
        rec.payment_ids[1].action_bounce("2025-06-04")
    assert bounced == [rec.payment_ids[1].ids]
    assert rec.payment_ids[1].check_state == "bounced"
    assert (invoice.amount_residual, invoice.payment_state) == (D("1000.00"), "partial")
    balances = basics.levi.sales_ledger_balances
    assert balances()[basics.levi.id] == D("1000.00")
    assert balances(dt.date(2025, 6, 3))[basics.levi.id] == D("0.00")      # before it bounced
    assert basics.levi.sales_postdated_checks()[basics.levi.id] == D("0.00")
    entry = senv["account.ledger.entry"].search([("kind", "=", "bounced_check")])
    assert (entry.date, entry.debit, entry.payment_id) == (dt.date(2025, 6, 4), D("1000.00"), rec.payment_ids[1])


def test_checks_move_only_on_posted_receipts(senv, basics):
    rec = receipt(senv, basics.levi, [check(D("10.00"), "2025-04-01")])
    with pytest.raises(UserError, match="posted receipts"):
        rec.payment_ids.action_deposit()


def test_cancelling_a_posted_receipt_reverses_it_in_the_ledger(senv, basics):
    invoice = posted_invoice(senv, basics.levi, D("100.00"))
    rec = receipt(senv, basics.levi, [{"method": "cash", "amount": D("118.00")}])
    rec.action_post()
    assert invoice.payment_state == "paid"
    rec.action_cancel()
    assert rec.state == "cancelled" and invoice.amount_residual == D("118.00")
    assert basics.levi.sales_ledger_balances()[basics.levi.id] == D("118.00")
    with pytest.raises(UserError, match="never deleted"):
        rec.unlink()


def test_receipt_posted_hook(sales_registry, senv, basics):
    seen = []
    rec = receipt(senv, basics.levi, [{"method": "cash", "amount": D("5.00")}])
    with Plugin(sales_registry, sales_receipt_posted=lambda env, receipts: seen.append(receipts.ids)):
        rec.action_post()
    assert seen == [rec.ids]


def test_the_ledger_statement_runs_in_date_order_with_balances_at_any_date(senv, basics):
    first = posted_invoice(senv, basics.levi, D("100.00"), "2025-01-10")        # +118.00
    receipt(senv, basics.levi, [{"method": "cash", "amount": D("50.00")}], "2025-01-20").action_post()
    posted_invoice(senv, basics.levi, D("200.00"), "2025-02-05")                 # +236.00
    note = first.action_credit_note()["credit_note"]
    note.write({"date": "2025-02-10"})
    note.action_post()                                                          # −118.00
    posted_invoice(senv, basics.cohen, D("999.00"), "2025-01-15")
    ledger = senv["account.ledger.entry"]
    statement = ledger.statement(basics.levi)
    assert [(e.kind, e.debit, e.credit, running) for e, running in statement["lines"]] == [
        ("invoice", D("118.00"), D("0.00"), D("118.00")),
        ("receipt", D("0.00"), D("50.00"), D("68.00")),
        ("invoice", D("236.00"), D("0.00"), D("304.00")),
        ("credit_note", D("0.00"), D("118.00"), D("186.00"))]
    part = ledger.statement(basics.levi, dt.date(2025, 1, 21), dt.date(2025, 2, 6))
    assert part["opening"] == D("68.00") and part["closing"] == D("304.00") and len(part["lines"]) == 1
    at = ledger.balances([basics.levi.id, basics.cohen.id], dt.date(2025, 1, 31))
    assert at == {basics.levi.id: D("68.00"), basics.cohen.id: D("1178.82")}
    with pytest.raises(UserError, match="never change"):
        statement["lines"][0][0].write({"debit": 0})
    with pytest.raises(UserError, match="by posting documents"):
        ledger.create({"partner_id": basics.levi.id, "date": "2025-01-01", "kind": "invoice", "name": "x"})


def test_the_four_customer_amounts_in_one_query_each(sales_registry, senv, basics):
    other = senv["res.partner"].create({"name": "Nobody Yet", "customer": True})
    order = confirmed_order(senv, basics)                   # 325.00 + 56.62 = 381.62 → 450.31 with 18% VAT
    oil_line = order.line_ids[0]
    order.deliver({oil_line.id: 4})                         # 130.00 delivered → 153.40 with VAT
    confirmed_order(senv, basics, partner_id=basics.cohen.id, lines=[{"name": "Consulting", "price_unit": 100}])
    senv["sale.order"].create({"partner_id": basics.cohen.id, "line_ids": [{"name": "draft", "price_unit": 7}]})
    invoice = posted_invoice(senv, basics.cohen, D("50.00"))
    receipt(senv, basics.cohen, [check(D("20.00"), "2025-12-31")], allocations=[(invoice, D("20.00"))]).action_post()
    partners = basics.levi | basics.cohen | other
    statements = []
    with _count_queries(sales_registry, statements):
        open_orders = partners.sales_open_order_amounts()
        uninvoiced = partners.sales_uninvoiced_amounts()
        balances = partners.sales_ledger_balances()
        checks = partners.sales_postdated_checks()
    assert len(statements) == 4
    assert open_orders == {basics.levi.id: D("296.91"), basics.cohen.id: D("118.00"), other.id: D("0.00")}
    assert uninvoiced == {basics.levi.id: D("153.40"), basics.cohen.id: D("0.00"), other.id: D("0.00")}
    assert balances == {basics.levi.id: D("0.00"), basics.cohen.id: D("39.00"), other.id: D("0.00")}
    assert checks == {basics.levi.id: D("0.00"), basics.cohen.id: D("20.00"), other.id: D("0.00")}


class _count_queries:
    """Count the SELECT statements sent while the block runs."""

    def __init__(self, registry, found):
        import sqlalchemy as sa
        self.engine, self.found, self.sa = registry.engine, found, sa

    def _listen(self, conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            self.found.append(statement)

    def __enter__(self):
        self.sa.event.listen(self.engine, "before_cursor_execute", self._listen)

    def __exit__(self, *exc):
        self.sa.event.remove(self.engine, "before_cursor_execute", self._listen)

"""Availability on quote and order lines: on hand, available, next expected arrival, and a
warning when a document asks more than will be available by its promised date — computed
for all lines of a document with one call of the stock addon."""
import datetime as dt
from decimal import Decimal as D

from sales_helpers import (  # noqa: F401 - fixtures
    Plugin, basics, confirmed_order, quote_values, sales_registry, senv, stock_in)

TODAY = dt.date.today()


def incoming(env, product, quantity, days):
    supplier = env["res.partner"].create({"name": "Supplier", "supplier": True})
    order = env["purchase.order"].create({"partner_id": supplier.id, "line_ids": [{
        "product_id": product.id, "quantity": quantity, "price_unit": "10.00",
        "date_expected": TODAY + dt.timedelta(days=days)}]})
    order.action_confirm()


def test_quote_lines_show_stock_and_the_next_arrival(senv, basics):
    stock_in(senv, basics.oil, 8)
    incoming(senv, basics.oil, 20, 10)
    incoming(senv, basics.tahini, 5, 3)
    quote = senv["sale.quote"].create(quote_values(basics, date=TODAY, lines=[
        {"product_id": basics.oil.id, "quantity": 6}, {"product_id": basics.tahini.id, "quantity": 2},
        {"product_id": basics.service.id, "quantity": 1}]))
    oil, tahini, service = quote.line_ids
    assert (oil.qty_on_hand, oil.qty_available) == (D("8"), D("8"))
    assert (oil.next_arrival_date, oil.next_arrival_qty) == (TODAY + dt.timedelta(days=10), D("20"))
    assert oil.availability_warning is None
    assert (tahini.qty_on_hand, tahini.next_arrival_qty) == (D("0"), D("5"))
    assert tahini.availability_warning == "2 asked, only 0 available"
    assert service.qty_on_hand is None and service.availability_warning is None


def test_the_warning_looks_at_what_arrives_by_the_promised_date(senv, basics):
    stock_in(senv, basics.oil, 8)
    incoming(senv, basics.oil, 20, 10)
    lines = [{"product_id": basics.oil.id, "quantity": 5}, {"product_id": basics.oil.id, "quantity": 5}]
    soon = senv["sale.quote"].create(quote_values(basics, date=TODAY, lines=lines,
                                                  date_promised=TODAY + dt.timedelta(days=5)))
    later = senv["sale.quote"].create(quote_values(basics, date=TODAY, lines=lines,
                                                   date_promised=TODAY + dt.timedelta(days=10)))
    day = TODAY + dt.timedelta(days=5)
    assert soon.line_ids.mapped("availability_warning") == [f"10 asked, 8 available by {day}"] * 2
    assert later.line_ids.mapped("availability_warning") == [None, None]


def test_one_stock_call_per_document_for_all_its_lines(sales_registry, senv, basics):
    quote = senv["sale.quote"].create(quote_values(basics, lines=[
        {"product_id": product.id, "quantity": 1} for product in (basics.oil, basics.tahini, basics.oil)]))
    senv.commit()
    calls = []

    def stock_availability(env, product_ids, warehouse_id, date):
        calls.append(sorted(product_ids))

    with Plugin(sales_registry, stock_availability=stock_availability):   # called first, answers None
        with sales_registry.env() as env:
            lines = env["sale.quote"].browse(quote.id).line_ids
            lines.read(["qty_on_hand", "qty_available", "next_arrival_date", "availability_warning"])
    assert calls == [sorted([basics.oil.id, basics.tahini.id])]


def test_a_confirmed_order_counts_its_own_reservation(senv, basics):
    stock_in(senv, basics.oil, 10)
    order = confirmed_order(senv, basics, date=TODAY, lines=[{"product_id": basics.oil.id, "quantity": 10}])
    senv.cache.invalidate()
    line = order.line_ids
    assert (line.qty_on_hand, line.qty_available) == (D("10"), D("0"))
    assert line.availability_warning is None            # the 10 reserved are this order's own
    other = senv["sale.order"].create(quote_values(basics, date=TODAY, lines=[{"product_id": basics.oil.id,
                                                                               "quantity": 1}]))
    assert other.line_ids.availability_warning == "1 asked, only 0 available"

"""Stored computed fields: recomputed in batch, and stored, whenever what they depend on changes."""
from contextlib import contextmanager
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.exceptions import ValidationError


@pytest.fixture
def customer(env):
    return env["res.partner"].create({"name": "Customer"})


def make_orders(env, customer, count, prices=("1.00", "2.00")):
    return env["test.order"].create([
        {"name": f"SO{n}", "partner_id": customer.id,
         "line_ids": [{"product": f"P{i}", "quantity": 1, "price_unit": price} for i, price in enumerate(prices)]}
        for n in range(count)])


def stored_totals(orders):
    """``amount_total`` as stored in the database (not as cached)."""
    table = orders._table
    rows = dict(orders.env.execute(sa.select(table.c.id, table.c.amount_total).where(table.c.id.in_(orders.ids))).all())
    return [rows[oid] for oid in orders.ids]


@contextmanager
def updates_of(registry):
    """The UPDATE statements sent inside the block, as ``(table, executemany)``."""
    sent = []

    def record(_conn, _cursor, statement, _params, _context, executemany):
        if statement.lstrip().upper().startswith("UPDATE"):
            sent.append(statement.split()[1])

    sa.event.listen(registry.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(registry.engine, "before_cursor_execute", record)


def test_totals_are_computed_and_stored_on_create(env, customer):
    orders = make_orders(env, customer, 3, prices=("1.25", "2.50", "0.01"))
    assert stored_totals(orders) == [Decimal("3.76")] * 3
    line = orders[0].line_ids[0]
    line.write({"quantity": Decimal("2.5")})
    assert line.subtotal == Decimal("3.13")  # 2.5 * 1.25 = 3.125, money rounds half up
    assert stored_totals(orders[0]) == [Decimal("5.64")]


def test_adding_changing_and_removing_lines(env, customer):
    order = make_orders(env, customer, 1)
    order.write({"line_ids": [("create", {"product": "new", "quantity": 3, "price_unit": "10.00"})]})
    assert stored_totals(order) == [Decimal("33.00")] and order.amount_total == Decimal("33.00")
    env["test.order.line"].create({"order_id": order.id, "product": "direct", "price_unit": "0.50"})
    assert stored_totals(order) == [Decimal("33.50")]
    first, second = order.line_ids[:2]
    second.write({"price_unit": "4.00"})
    assert stored_totals(order) == [Decimal("35.50")] and order.amount_total == Decimal("35.50")
    first.unlink()
    assert stored_totals(order) == [Decimal("34.50")] and order.amount_total == Decimal("34.50")
    order.write({"line_ids": [("delete", second.id)]})
    assert stored_totals(order) == [Decimal("30.50")] and order.amount_total == Decimal("30.50")
    order.write({"line_ids": [("clear",)]})
    assert stored_totals(order) == [Decimal("0.00")]


def test_moving_a_line_to_another_order_recomputes_both(env, customer):
    source, target = make_orders(env, customer, 2)
    moved = source.line_ids[1]
    moved.write({"order_id": target.id})
    assert stored_totals(source | target) == [Decimal("1.00"), Decimal("5.00")]
    assert (source.amount_total, target.amount_total) == (Decimal("1.00"), Decimal("5.00"))
    assert moved in target.line_ids and moved not in source.line_ids
    target.write({"line_ids": [("link", source.line_ids.id)]})
    assert stored_totals(source | target) == [Decimal("0.00"), Decimal("6.00")]


def test_recompute_happens_in_batch(env, registry, customer):
    def change_prices(count):
        orders = make_orders(env, customer, count)
        with updates_of(registry) as sent:
            orders.mapped("line_ids").write({"price_unit": "3.00"})
        assert stored_totals(orders) == [Decimal("6.00")] * count
        return sent

    few, many = change_prices(2), change_prices(30)
    assert many == few, "the number of UPDATE statements must not grow with the number of orders"
    assert many.count("test_order") == 1


def test_recompute_is_committed_and_seen_by_a_new_transaction(registry):
    with registry.env() as env:
        customer = env["res.partner"].create({"name": "Customer"})
        order = make_orders(env, customer, 1)
        order.line_ids[0].write({"price_unit": "7.00"})
        order_id = order.id
    with registry.env() as env:
        assert env["test.order"].browse(order_id).amount_total == Decimal("9.00")
        assert env["test.order"].search([("amount_total", ">", 8)]).ids == [order_id]


def test_a_computed_field_cannot_be_written(env, customer):
    order = make_orders(env, customer, 1)
    with pytest.raises(ValidationError, match="amount_total"):
        order.write({"amount_total": 100})
    assert stored_totals(order) == [Decimal("3.00")]

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


@contextmanager
def statements_of(registry):
    """Every SQL statement sent inside the block, upper-cased."""
    sent = []

    def record(_conn, _cursor, statement, _params, _context, _executemany):
        sent.append(" ".join(statement.split()).upper())

    sa.event.listen(registry.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(registry.engine, "before_cursor_execute", record)


def stored(records, *names):
    table = records._table
    rows = {row[0]: tuple(row[1:]) for row in records.env.execute(
        sa.select(table.c.id, *(table.c[name] for name in names)).where(table.c.id.in_(records.ids)))}
    return [rows[rid] for rid in records.ids]


def test_computes_of_own_columns_go_into_the_insert(env, registry):
    """Tax and total depend only on the invoice's own columns: they are computed before the
    INSERT, by one run of their shared method, and no UPDATE follows."""
    from kesher_addons.test_orders.models.invoice import COMPUTE_RUNS
    COMPUTE_RUNS.clear()
    with statements_of(registry) as sent:
        invoices = env["test.invoice"].create([{"name": f"INV{n}", "amount_untaxed": f"{n}00.00", "rate": "17"}
                                               for n in range(1, 4)])
    assert stored(invoices, "amount_tax", "amount_total") == [
        (Decimal("17.00"), Decimal("117.00")), (Decimal("34.00"), Decimal("234.00")),
        (Decimal("51.00"), Decimal("351.00"))]
    assert COMPUTE_RUNS == [3]
    assert [s for s in sent if s.startswith("UPDATE TEST_INVOICE SET AMOUNT")] == []
    assert sum(s.startswith("INSERT INTO TEST_INVOICE ") for s in sent) == 1


def test_a_shared_compute_method_runs_once_and_writes_its_fields_in_one_update(env, registry):
    from kesher_addons.test_orders.models.invoice import COMPUTE_RUNS
    invoices = env["test.invoice"].create([{"name": f"INV{n}", "amount_untaxed": "100.00"} for n in range(5)])
    COMPUTE_RUNS.clear()
    with statements_of(registry) as sent:
        invoices.write({"rate": "18"})
    assert COMPUTE_RUNS == [5]
    recomputes = [s for s in sent if s.startswith("UPDATE TEST_INVOICE SET AMOUNT")]
    assert len(recomputes) == 1 and "AMOUNT_TAX" in recomputes[0] and "AMOUNT_TOTAL" in recomputes[0]
    env.cache.invalidate()
    assert stored(invoices, "amount_tax", "amount_total") == [(Decimal("18.00"), Decimal("118.00"))] * 5


def test_a_create_with_bad_input_for_a_precomputed_field_writes_nothing(env):
    before = env["test.invoice"].search_count([])
    with pytest.raises(ValidationError, match="amount_untaxed"):
        env["test.invoice"].create([{"name": "ok", "amount_untaxed": "10"},
                                    {"name": "bad", "amount_untaxed": "ten shekels"}])
    assert env["test.invoice"].search_count([]) == before


def test_new_lines_are_known_to_their_parents_in_order_without_a_query(env, registry):
    with statements_of(registry) as sent:
        invoices = env["test.invoice"].create([
            {"name": "A", "line_ids": [{"sequence": 1, "amount": "1.00"}, {"sequence": 3, "amount": "3.00"},
                                       {"sequence": 2, "amount": "2.00"}, {"sequence": 3, "amount": "4.00"}]},
            {"name": "B", "line_ids": []},
            {"name": "C", "line_ids": [{"amount": "5.00"}]}])
    reads = [s for s in sent if s.startswith("SELECT") and "TEST_INVOICE_LINE" in s and "MAX(" not in s]
    assert reads == [], "the lines just created are not read back"
    first, empty, last = invoices
    assert [line.amount for line in first.line_ids] == [Decimal("3.00"), Decimal("4.00"), Decimal("2.00"),
                                                         Decimal("1.00")]
    assert not empty.line_ids and [line.amount for line in last.line_ids] == [Decimal("5.00")]
    assert [inv.lines_total for inv in invoices] == [Decimal("10.00"), Decimal("0.00"), Decimal("5.00")]
    env.cache.invalidate()  # what the database says is the same
    assert [line.amount for line in first.line_ids] == [Decimal("3.00"), Decimal("4.00"), Decimal("2.00"),
                                                         Decimal("1.00")]
    assert stored(invoices, "lines_total") == [(Decimal("10.00"),), (Decimal("0.00"),), (Decimal("5.00"),)]


def test_lines_with_an_empty_sort_value_are_read_back_in_the_database_order(env):
    invoice = env["test.invoice"].create({"name": "A", "line_ids": [
        {"sequence": None, "amount": "1.00"}, {"sequence": 5, "amount": "2.00"}]})
    in_cache = [line.amount for line in invoice.line_ids]
    env.cache.invalidate()
    assert in_cache == [line.amount for line in invoice.line_ids]

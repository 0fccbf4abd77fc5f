"""Helpers shared by the pricelist tests."""
import contextlib
import datetime as dt

import sqlalchemy as sa

DAY = dt.date(2026, 3, 1)


def make_pricelist(env, name="Wholesale", items=(), **values):
    """A price list with ``items`` (dicts of item values)."""
    return env["pricelist.pricelist"].create({"name": name, **values,
                                              "item_ids": [dict(item) for item in items]})


def price(env, partner, product, quantity=1, date=DAY, currency=None):
    """The one result of the price API for one line."""
    lines = [{"key": "x", "product_id": product.id, "quantity": quantity}]
    return env["pricelist.pricing"].compute(partner, lines, date=date, currency=currency)["x"]


@contextlib.contextmanager
def count_queries(env):
    """The SQL statements sent while the block runs (a list, filled as they go)."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = env.registry.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)

"""Questions the stock addon answers for addons that must not depend on it."""
from core.hooks import hookspec


@hookspec(firstresult=True)
def stock_availability(env, product_ids, warehouse_id, date):
    """Return the stock availability of ``product_ids`` (ids), per product id.

    ``{product_id: {"on_hand": Decimal, "reserved": Decimal, "available": Decimal,
    "incoming": [(date, Decimal), ...], "next_arrival": (date, Decimal) | None,
    "projected": Decimal}}``; ``warehouse_id`` None means all warehouses, ``date`` None
    means ``projected`` equals ``available``. Answered by the stock addon (or a
    replacement inventory addon) with three queries whatever the number of products.
    """

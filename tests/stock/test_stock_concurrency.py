"""Stock levels stay exact when several transactions do moves of the same product at once."""
import threading
from decimal import Decimal

from stock_fixtures import registry  # noqa: F401 (fixture)


def test_concurrent_moves_lose_no_quantity(registry):
    product = registry.run(lambda env: env["product.product"].create({"name": "Busy item"}).id)
    errors = []

    def worker(kind):
        try:
            for _ in range(15):
                registry.run(lambda env: env["stock.move"].create_done(
                    [{"product_id": product, "quantity": 2 if kind == "in" else 1, "kind": kind}]))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(kind,)) for kind in ("in", "in", "out", "out")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    on_hand = registry.run(lambda env: env["stock.availability"].get([product])[product]["on_hand"])
    assert on_hand == Decimal(15 * 2 * 2 - 15 * 2)
    history = registry.run(lambda env: env["stock.move"]._done_totals())
    assert sum(q for (p, _w), q in history.items() if p == product) == on_hand

"""Gapless numbers under concurrency: 20 transactions creating orders at the same time on
PostgreSQL get 20 consecutive numbers, no gap and no duplicate; a rolled-back one gives its
number back."""
import threading

import pytest

from sales_helpers import make_basics, sales_registry  # noqa: F401 - fixtures


@pytest.mark.postgresql_only
def test_twenty_concurrent_transactions_number_orders_without_gap_or_duplicate(sales_registry):
    basics_ids = sales_registry.run(lambda env: (make_basics(env).levi.id,))
    barrier = threading.Barrier(20)
    numbers, errors = [], []

    def work(env):
        order = env["sale.order"].create({"partner_id": basics_ids[0], "date": "2025-09-01",
                                          "line_ids": [{"name": "Concurrent", "price_unit": 1}]})
        return order.name

    def run():
        barrier.wait(timeout=30)  # all 20 open their transaction at the same moment
        try:
            numbers.append(sales_registry.run(work, retries=20))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(numbers) == [f"SO-2025-{n:05d}" for n in range(1, 21)]


def test_a_rolled_back_transaction_gives_its_number_back(sales_registry):
    partner_id = sales_registry.run(lambda env: make_basics(env).levi.id)

    def create(env, fail=False):
        order = env["sale.order"].create(quote_values_for(partner_id))
        if fail:
            raise RuntimeError("rolled back")
        return order.name
    assert sales_registry.run(create) == "SO-2025-00001"
    with pytest.raises(RuntimeError):
        sales_registry.run(lambda env: create(env, fail=True))
    assert sales_registry.run(create) == "SO-2025-00002"


def quote_values_for(partner_id):
    return {"partner_id": partner_id, "date": "2025-09-01", "line_ids": [{"name": "One", "price_unit": 1}]}

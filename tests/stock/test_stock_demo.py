"""The demo data: warehouses, suppliers and their prices, stock, purchase orders arriving soon."""
import datetime as dt

import pytest

from db_backends import env_of
from stock_fixtures import qty

TODAY = dt.date.today()


@pytest.fixture
def demo_env(make_registry):
    yield from env_of(make_registry(["stock"], demo=True))


def test_demo_stock_and_arrivals_are_relative_to_today(demo_env):
    env = demo_env
    a4, toner = env.ref("base.product_a4"), env.ref("base.product_toner")
    chair, desk = env.ref("stock.product_chair"), env.ref("stock.product_desk")
    answer = env["stock.availability"].get([a4.id, toner.id, chair.id, desk.id])
    assert answer[a4.id]["on_hand"] == qty(160)  # 120 + 40 counted, 20 moved between warehouses
    assert answer[a4.id]["incoming"] == [(TODAY + dt.timedelta(days=5), qty(200))]  # the sent order is not expected
    assert answer[chair.id]["on_hand"] == qty(25)
    assert answer[chair.id]["next_arrival"] == (TODAY + dt.timedelta(days=9), qty(20))
    assert answer[desk.id]["incoming"] == [(TODAY + dt.timedelta(days=23), qty(10))]
    assert answer[toner.id]["next_arrival"] == (TODAY + dt.timedelta(days=16), qty(40))
    south = env.ref("stock.warehouse_south")
    assert env["stock.availability"].get([a4.id], warehouse_id=south)[a4.id]["on_hand"] == qty(20)
    furniture = env.ref("stock.po_furniture")
    assert furniture.status_code == "partial" and env.ref("stock.po_paper_next").status_code == "sent"
    assert env["stock.supplierinfo"].best_for([chair.id])[chair.id].product_code == "RH-ERGO-10"
    count = env.ref("stock.count_main")
    assert count.state == "done" and count.date.date() == TODAY - dt.timedelta(days=30)

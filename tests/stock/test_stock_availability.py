"""The availability batch API and the ``stock_availability`` hook (without purchases)."""
from stock_fixtures import env, products, qty, registry, warehouses  # noqa: F401 (fixtures)

KEYS = {"on_hand", "reserved", "available", "incoming", "next_arrival", "projected"}


def test_every_asked_product_is_answered(env, products):
    answer = env["stock.availability"].get(products)
    assert set(answer) == set(products.ids)
    for values in answer.values():
        assert set(values) == KEYS
        assert values["incoming"] == [] and values["next_arrival"] is None
        assert values["on_hand"] == values["available"] == values["projected"] == 0


def test_hook_answers_like_the_api(env, products, warehouses):
    chair = products[0]
    env["stock.move"].create_done([{"product_id": chair.id, "quantity": 8, "kind": "in"},
                                   {"product_id": chair.id, "quantity": 1, "kind": "in",
                                    "warehouse_id": warehouses[1].id}])
    env["stock.reservation"].reserve([{"product_id": chair.id, "quantity": 2, "res_model": "x", "res_id": 1}])
    answer = env.hooks.stock_availability(env=env, product_ids=[chair.id], warehouse_id=None, date=None)
    assert answer == env["stock.availability"].get([chair.id])
    assert answer[chair.id]["available"] == qty(7)
    by_warehouse = env.hooks.stock_availability(env=env, product_ids=[chair.id], warehouse_id=warehouses[1].id,
                                                date=None)
    assert by_warehouse[chair.id]["on_hand"] == qty(1)


def test_product_shows_its_stock(env, products):
    chair, desk = products[:2]
    env["stock.move"].create_done([{"product_id": chair.id, "quantity": 5, "kind": "in"},
                                   {"product_id": desk.id, "quantity": 2, "kind": "in"}])
    env["stock.reservation"].reserve([{"product_id": chair.id, "quantity": 1, "res_model": "x", "res_id": 1}])
    rows = env["product.product"].browse(products.ids).read(["qty_on_hand", "qty_reserved", "qty_available"])
    by_id = {row["id"]: row for row in rows}
    assert (by_id[chair.id]["qty_on_hand"], by_id[chair.id]["qty_available"]) == (qty(5), qty(4))
    assert by_id[desk.id]["qty_reserved"] == 0
    assert {lvl.warehouse_id.code for lvl in chair.stock_level_ids} == {"WH"}

"""Stock counts: counted quantities become correcting moves; the differences are logged."""
import pytest

from core.exceptions import UserError

from stock_fixtures import env, products, qty, registry, warehouses  # noqa: F401 (fixtures)


def on_hand(env, product, warehouse):
    return env["stock.availability"].get([product.id], warehouse_id=warehouse.id)[product.id]["on_hand"]


def test_count_corrects_the_stock_and_logs_the_difference(env, products, warehouses):
    chair, desk = products[:2]
    main, north = warehouses
    env["stock.move"].create_done([{"product_id": chair.id, "quantity": 10, "kind": "in"},
                                   {"product_id": desk.id, "quantity": 4, "kind": "in"},
                                   {"product_id": desk.id, "quantity": 9, "kind": "in", "warehouse_id": north.id}])
    count = env["stock.inventory"].create({"warehouse_id": main.id, "line_ids": [
        {"product_id": chair.id, "counted_qty": 8}, {"product_id": desk.id, "counted_qty": "5.5"}]})
    assert count.name.startswith("SC/") and count.state == "draft"
    count.action_done()
    assert count.state == "done"
    assert on_hand(env, chair, main) == qty(8) and on_hand(env, desk, main) == qty("5.5")
    assert on_hand(env, desk, north) == qty(9)  # another warehouse is not touched
    moves = count.move_ids
    assert sorted((m.product_id.name, m.adjust_direction, m.quantity) for m in moves) == [
        ("Chair", "loss", qty(2)), ("Desk", "gain", qty("1.5"))]
    assert set(moves.mapped("origin")) == {count.name} and set(moves.mapped("res_id")) == {count.id}
    lines = {line.product_id.name: line for line in count.line_ids}
    assert (lines["Chair"].theoretical_qty, lines["Chair"].difference) == (qty(10), qty(-2))
    log = [m.body for m in count.message_ids() if m.message_type == "comment"]
    assert any("Chair" in body and "-2" in body and "+1.5" in body for body in log)


def test_fill_lists_the_warehouse_stock(env, products, warehouses):
    chair = products[0]
    env["stock.move"].create_done([{"product_id": chair.id, "quantity": 3, "kind": "in"}])
    count = env["stock.inventory"].create({})
    count.action_fill()
    assert [(line.product_id, line.counted_qty) for line in count.line_ids] == [(chair, qty(3))]
    count.action_done()
    assert not count.move_ids
    assert any("no difference" in (m.body or "") for m in count.message_ids())


def test_bad_counts_are_refused(env, products):
    chair, service = products[0], products[2]
    with pytest.raises(UserError, match="cannot be negative"):
        env["stock.inventory"].create({"line_ids": [{"product_id": chair.id, "counted_qty": -1}]})
    with pytest.raises(UserError, match="is a service"):
        env["stock.inventory"].create({"line_ids": [{"product_id": service.id, "counted_qty": 1}]})
    assert env["stock.inventory"].search_count([]) == 0
    count = env["stock.inventory"].create({"line_ids": [{"product_id": chair.id, "counted_qty": 1},
                                                        {"product_id": chair.id, "counted_qty": 2}]})
    with pytest.raises(UserError, match="counted twice"):
        count.action_done()
    assert count.state == "draft" and env["stock.move"].search_count([]) == 0
    with pytest.raises(UserError, match="no counted product"):
        env["stock.inventory"].create({}).action_done()


def test_a_done_count_is_final(env, products):
    count = env["stock.inventory"].create({"line_ids": [{"product_id": products[0].id, "counted_qty": 1}]})
    count.action_done()
    with pytest.raises(UserError):
        count.line_ids.write({"counted_qty": 5})
    with pytest.raises(UserError, match="not a draft"):
        count.action_done()
    assert on_hand(env, products[0], env["stock.warehouse"].get_default()) == qty(1)

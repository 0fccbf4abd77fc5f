"""Stock moves are the only way stock changes: kinds, warehouses, traceability, bad input."""
import pytest

from core.exceptions import UserError
from core.i18n import use_lang

from stock_fixtures import env, products, qty, registry, warehouses  # noqa: F401 (fixtures)


def counts(env):
    return env["stock.move"].search_count([]), env["stock.level"].search_count([])


def on_hand(env, product, warehouse=None):
    return env["stock.availability"].get([product.id], warehouse_id=warehouse)[product.id]["on_hand"]


def test_default_warehouse_exists_and_is_unique(env, warehouses):
    main, north = warehouses
    assert main == env.ref("stock.warehouse_main") and main.is_default
    north.write({"is_default": True})
    assert env["stock.warehouse"].get_default() == north
    assert not main.is_default
    assert env["stock.warehouse"].search_count([("is_default", "=", True)]) == 1


def test_each_kind_changes_the_levels(env, products, warehouses):
    chair = products[0]
    main, north = warehouses
    moves = env["stock.move"].create_done([
        {"product_id": chair.id, "quantity": 10, "kind": "in", "origin": "GR/1", "res_model": "x.doc", "res_id": 7},
        {"product_id": chair.id, "quantity": 3, "kind": "out", "origin": "DN/1"},
        {"product_id": chair.id, "quantity": 2, "kind": "internal", "dest_warehouse_id": north.id},
        {"product_id": chair.id, "quantity": "1.5", "kind": "adjustment", "adjust_direction": "loss",
         "warehouse_id": north.id},
        {"product_id": chair.id, "quantity": 4, "kind": "adjustment"},
    ])
    assert set(moves.mapped("state")) == {"done"}
    assert on_hand(env, chair, main) == qty(10 - 3 - 2 + 4)
    assert on_hand(env, chair, north) == qty("0.5")
    assert on_hand(env, chair) == qty("9.5")
    traced = moves[0]
    assert (traced.origin, traced.res_model, traced.res_id, traced.warehouse_id) == ("GR/1", "x.doc", 7, main)
    assert traced.date is not None


def test_levels_agree_with_the_move_history(env, products, warehouses):
    chair, desk = products[:2]
    main, north = warehouses
    env["stock.move"].create_done([
        {"product_id": chair.id, "quantity": 7, "kind": "in"},
        {"product_id": desk.id, "quantity": 2, "kind": "in", "warehouse_id": north.id},
        {"product_id": chair.id, "quantity": 5, "kind": "internal", "dest_warehouse_id": north.id},
        {"product_id": desk.id, "quantity": 3, "kind": "out", "warehouse_id": north.id},
    ])
    before = {(lvl.product_id.id, lvl.warehouse_id.id): lvl.quantity for lvl in env["stock.level"].search([])}
    totals = env["stock.level"].rebuild()
    after = {(lvl.product_id.id, lvl.warehouse_id.id): lvl.quantity for lvl in env["stock.level"].search([])}
    assert before == after == {k: v for k, v in totals.items() if v}
    assert after[(desk.id, north.id)] == qty(-1)  # a delivery may take stock below zero: the shortage shows


def test_draft_moves_change_nothing_until_done(env, products):
    chair = products[0]
    move = env["stock.move"].create({"product_id": chair.id, "quantity": 6, "kind": "in"})
    assert move.state == "draft" and on_hand(env, chair) == 0
    move.action_done()
    assert move.state == "done" and on_hand(env, chair) == 6
    with pytest.raises(UserError, match="Only draft"):
        move.action_done()
    assert on_hand(env, chair) == 6


def test_done_moves_are_never_changed_or_deleted(env, products):
    chair = products[0]
    move = env["stock.move"].create_done([{"product_id": chair.id, "quantity": 6, "kind": "in"}])
    for action in (lambda: move.write({"quantity": 1}), move.unlink, move.action_cancel,
                   lambda: move.write({"state": "cancelled"})):
        with pytest.raises(UserError):
            action()
    assert move.quantity == 6 and move.state == "done" and on_hand(env, chair) == 6
    move.write({"note": "checked"})  # what does not touch the stock may be noted
    assert move.note == "checked"


def test_cancelled_draft_moves_do_nothing(env, products):
    move = env["stock.move"].create({"product_id": products[0].id, "quantity": 6})
    move.action_cancel()
    assert move.state == "cancelled"
    with pytest.raises(UserError):
        move.action_done()
    assert on_hand(env, products[0]) == 0


@pytest.mark.parametrize("bad, message", [
    ({"quantity": -2}, "above zero"),
    ({"quantity": 0}, "above zero"),
    ({"quantity": "many"}, "not a number"),
    ({"kind": "internal"}, "destination warehouse"),
    ({"kind": "teleport"}, "Unknown kind"),
])
def test_bad_moves_are_refused_with_nothing_written(env, products, bad, message):
    before = counts(env)
    good = {"product_id": products[1].id, "quantity": 1, "kind": "in"}
    with pytest.raises(UserError, match=message):
        env["stock.move"].create_done([good, {"product_id": products[0].id, "quantity": 1, "kind": "in", **bad}])
    assert counts(env) == before


def test_transfer_into_the_same_warehouse_is_refused(env, products, warehouses):
    main = warehouses[0]
    with pytest.raises(UserError, match="two different"):
        env["stock.move"].create({"product_id": products[0].id, "quantity": 1, "kind": "internal",
                                  "dest_warehouse_id": main.id})


def test_service_products_have_no_stock(env, products):
    service = products[2]
    before = counts(env)
    with pytest.raises(UserError, match="is a service"):
        env["stock.move"].create_done([{"product_id": products[0].id, "quantity": 1},
                                       {"product_id": service.id, "quantity": 1}])
    draft = env["stock.move"].create({"product_id": products[0].id, "quantity": 1})
    with pytest.raises(UserError, match="is a service"):
        draft.write({"product_id": service.id})
    assert draft.product_id == products[0]
    assert counts(env)[1] == before[1]


def test_errors_are_translated(env, products):
    hebrew = env.with_context(lang="he")
    with pytest.raises(UserError) as refused:
        hebrew["stock.move"].create_done([{"product_id": products[2].id, "quantity": 1}])
    assert "שירות" in str(refused.value)
    with use_lang("he"), pytest.raises(UserError) as refused:
        env["stock.move"].create_done([{"product_id": products[0].id, "quantity": -1}])
    assert "מעל אפס" in str(refused.value)


def test_move_access_by_group(env, registry, products):
    from web_helpers import make_user
    seller = env["res.users"].browse(make_user(env, "seller_moves"))
    keeper = env["res.users"].browse(make_user(env, "keeper_moves", groups=("stock.group_stock_user",)))
    from core.exceptions import AccessError
    with pytest.raises(AccessError):
        env["stock.move"].with_user(seller).create({"product_id": products[0].id, "quantity": 1})
    move = env["stock.move"].with_user(keeper).create({"product_id": products[0].id, "quantity": 1})
    move.action_done()
    assert env["stock.availability"].with_user(seller).get([products[0].id])[products[0].id]["on_hand"] == 1
    with pytest.raises(AccessError):
        env["stock.warehouse"].with_user(keeper).create({"name": "Mine", "code": "M"})

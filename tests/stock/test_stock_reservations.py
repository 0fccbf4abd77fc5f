"""Reservations: promised stock lowers availability until released (whole or in part)."""
import pytest

from core.exceptions import UserError

from stock_fixtures import env, products, qty, registry, warehouses  # noqa: F401 (fixtures)

ORDER = "sale.order"


def avail(env, product, warehouse=None):
    return env["stock.availability"].get([product.id], warehouse_id=warehouse)[product.id]


def stock(env, product, quantity, warehouse=None):
    env["stock.move"].create_done([{"product_id": product.id, "quantity": quantity, "kind": "in",
                                    "warehouse_id": warehouse.id if warehouse else None}])


def test_reserve_lowers_available_not_on_hand(env, products, warehouses):
    chair, desk = products[:2]
    main, north = warehouses
    stock(env, chair, 10)
    stock(env, desk, 4, north)
    made = env["stock.reservation"].reserve([
        {"product_id": chair.id, "quantity": 3, "res_model": ORDER, "res_id": 1, "origin": "SO/1"},
        {"product_id": desk.id, "quantity": 1, "warehouse_id": north.id, "res_model": ORDER, "res_id": 1},
    ])
    assert len(made) == 2 and set(made.mapped("state")) == {"active"}
    assert made[0].warehouse_id == main  # no warehouse given: the default one
    assert avail(env, chair) == {**avail(env, chair), "on_hand": qty(10), "reserved": qty(3), "available": qty(7)}
    assert avail(env, desk, main)["reserved"] == 0
    assert avail(env, desk, north)["available"] == qty(3)


def test_release_everything_of_a_document(env, products):
    chair, desk = products[:2]
    stock(env, chair, 10)
    env["stock.reservation"].reserve([
        {"product_id": chair.id, "quantity": 3, "res_model": ORDER, "res_id": 1},
        {"product_id": desk.id, "quantity": 2, "res_model": ORDER, "res_id": 1},
        {"product_id": chair.id, "quantity": 4, "res_model": ORDER, "res_id": 2},
    ])
    released = env["stock.reservation"].release(ORDER, [1])
    assert len(released) == 2 and set(released.mapped("state")) == {"released"}
    assert all(r.release_date for r in released)
    assert avail(env, chair)["available"] == qty(6)  # order 2 still holds 4
    assert avail(env, desk)["reserved"] == 0


def test_partial_release_keeps_the_rest_and_the_history(env, products):
    chair = products[0]
    stock(env, chair, 10)
    env["stock.reservation"].reserve([{"product_id": chair.id, "quantity": 5, "res_model": ORDER, "res_id": 9}])
    released = env["stock.reservation"].release(ORDER, [9], {(9, chair.id): 2})
    assert released.quantity == 2 and released.state == "released"
    active = env["stock.reservation"].search([("res_id", "=", 9), ("state", "=", "active")])
    assert active.quantity == 3
    assert avail(env, chair)["available"] == qty(7)
    env["stock.reservation"].release(ORDER, [9], {(9, chair.id): 50})  # more than reserved: all of it
    assert avail(env, chair)["available"] == qty(10)
    assert env["stock.reservation"].search_count([("res_id", "=", 9), ("state", "=", "released")]) == 2


def test_release_without_reservation_does_nothing(env, products):
    assert not env["stock.reservation"].release(ORDER, [404])
    assert not env["stock.reservation"].release(ORDER, [], {(404, products[0].id): 1})


def test_over_reservation_shows_a_shortage(env, products):
    chair = products[0]
    stock(env, chair, 2)
    env["stock.reservation"].reserve([{"product_id": chair.id, "quantity": 5, "res_model": ORDER, "res_id": 3}])
    assert avail(env, chair)["available"] == qty(-3)


@pytest.mark.parametrize("bad, message", [
    ({"quantity": -1}, "above zero"),
    ({"quantity": 0}, "above zero"),
    ({"res_id": None}, "name the document"),
    ({"product_id": 999999}, "existing product"),
])
def test_bad_reservations_are_refused_with_nothing_written(env, products, bad, message):
    good = {"product_id": products[1].id, "quantity": 1, "res_model": ORDER, "res_id": 1}
    with pytest.raises(UserError, match=message):
        env["stock.reservation"].reserve([good, {**good, "product_id": products[0].id, **bad}])
    assert env["stock.reservation"].search_count([]) == 0


def test_service_cannot_be_reserved(env, products):
    with pytest.raises(UserError, match="is a service"):
        env["stock.reservation"].reserve([{"product_id": products[2].id, "quantity": 1, "res_model": ORDER,
                                           "res_id": 1}])
    assert env["stock.reservation"].search_count([]) == 0


def test_negative_partial_release_is_refused(env, products):
    env["stock.reservation"].reserve([{"product_id": products[0].id, "quantity": 2, "res_model": ORDER,
                                       "res_id": 1}])
    with pytest.raises(UserError, match="above zero"):
        env["stock.reservation"].release(ORDER, [1], {(1, products[0].id): -1})
    assert env["stock.reservation"].search([]).state == "active"


def test_a_salesperson_reserves_through_the_api(env, products):
    """The calling document checks its user; the API itself needs no stock rights."""
    from web_helpers import make_user
    seller = env["res.users"].browse(make_user(env, "seller_reserve"))
    stock(env, products[0], 3)
    as_seller = env["stock.reservation"].with_user(seller)
    as_seller.reserve([{"product_id": products[0].id, "quantity": 1, "res_model": ORDER, "res_id": 5}])
    assert avail(env, products[0])["available"] == qty(2)
    as_seller.release(ORDER, [5])
    assert avail(env, products[0])["available"] == qty(3)

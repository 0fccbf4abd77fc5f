"""Supplier prices: validation and the preferred supplier line of each product."""
import datetime as dt

import pytest

from core.exceptions import UserError, ValidationError

from stock_fixtures import TODAY, env, products, qty, registry, supplier, warehouses  # noqa: F401 (fixtures)


@pytest.fixture
def other_supplier(env):
    return env["res.partner"].create({"name": "Cheaper Ltd", "supplier": True})


def info(env, supplier, product, **values):
    return env["stock.supplierinfo"].create({"partner_id": supplier.id, "product_id": product.id, **values})


def test_the_preferred_valid_line_wins(env, products, supplier, other_supplier):
    chair, desk = products[:2]
    main = info(env, supplier, chair, price="10", sequence=1, product_code="A-1")
    cheaper = info(env, other_supplier, chair, price="8", sequence=5)
    bulk = info(env, other_supplier, chair, price="6", sequence=5, min_qty=100)
    expired = info(env, supplier, desk, price="20", date_end=TODAY - dt.timedelta(days=1))
    future = info(env, supplier, desk, price="30", date_start=TODAY + dt.timedelta(days=10))
    best = env["stock.supplierinfo"].best_for([chair.id, desk.id])
    assert best == {chair.id: main}  # bulk's minimum is not met, the desk prices are not valid today
    assert env["stock.supplierinfo"].best_for([chair.id], quantity=100)[chair.id] == main  # priority first
    assert env["stock.supplierinfo"].best_for([chair.id], partner_id=other_supplier.id)[chair.id] == cheaper
    assert env["stock.supplierinfo"].best_for([chair.id], partner_id=other_supplier.id, quantity=100)[chair.id] == bulk
    assert env["stock.supplierinfo"].best_for([chair.id], partner_id=other_supplier.id, quantity=99)[chair.id] == cheaper
    assert env["stock.supplierinfo"].best_for([desk.id], date=TODAY - dt.timedelta(days=3))[desk.id] == expired
    assert env["stock.supplierinfo"].best_for([desk.id], date=TODAY + dt.timedelta(days=10))[desk.id] == future
    assert main.currency_id == env.ref("base.ILS") and main.price == qty(10).quantize(qty("0.01"))
    assert set(chair.supplierinfo_ids.ids) == {main.id, cheaper.id, bulk.id}


@pytest.mark.parametrize("values, message", [
    ({"price": "-1"}, "price cannot be negative"),
    ({"min_qty": -5}, "minimum quantity cannot be negative"),
    ({"delay_days": -2}, "lead time cannot be negative"),
    ({"date_start": TODAY, "date_end": TODAY - dt.timedelta(days=1)}, "ends before it starts"),
])
def test_bad_supplier_prices_are_refused(env, products, supplier, values, message):
    with pytest.raises(ValidationError, match=message):
        info(env, supplier, products[0], **values)
    assert env["stock.supplierinfo"].search_count([]) == 0
    line = info(env, supplier, products[0], price="5")
    if "date_end" not in values:
        with pytest.raises(ValidationError, match=message):
            line.write(values)
        assert line.price == qty(5).quantize(qty("0.01"))


def test_a_product_with_moves_stays_goods(env, products):
    chair, desk = products[:2]
    env["stock.move"].create_done([{"product_id": chair.id, "quantity": 1}])
    with pytest.raises(UserError, match="cannot become a service"):
        chair.write({"type": "service"})
    assert chair.type == "goods"
    desk.write({"type": "service"})  # never moved: it may
    assert desk.type == "service"


def test_an_order_without_lines_is_not_sent_or_confirmed(env, supplier):
    order = env["purchase.order"].create({"partner_id": supplier.id})
    for action in (order.action_send, order.action_confirm):
        with pytest.raises(UserError, match="has no line"):
            action()
    assert order.status_code == "draft"

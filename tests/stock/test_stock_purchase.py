"""Purchase orders: the flow, receipts (also partial), what is still expected and when."""
import datetime as dt

import pytest

from core.exceptions import AccessError, UserError

from stock_fixtures import (TODAY, env, make_order, products, qty, registry, supplier,  # noqa: F401 (fixtures)
                            warehouses)


def avail(env, product, **kw):
    return env["stock.availability"].get([product.id], **kw)[product.id]


def day(days):
    return TODAY + dt.timedelta(days=days)


def test_a_draft_order_is_not_expected(env, make_order, products):
    order = make_order([(products[0], 5, 3)], confirm=False)
    assert order.name.startswith("PO/") and order.status_code == "draft"
    assert str(order.amount_untaxed) == "50.00"
    assert avail(env, products[0])["incoming"] == []
    order.action_send()
    assert order.status_code == "sent" and avail(env, products[0])["incoming"] == []


def test_confirmed_lines_are_expected_at_their_dates(env, make_order, products):
    chair, desk = products[:2]
    make_order([(chair, 5, 10), (desk, 2, 3), (chair, 1, 10)])
    make_order([(chair, 4, 20)])
    values = avail(env, chair)
    assert values["incoming"] == [(day(10), qty(6)), (day(20), qty(4))]
    assert values["next_arrival"] == (day(10), qty(6))
    assert values["projected"] == values["available"] == 0
    assert avail(env, chair, date=day(9))["projected"] == 0
    assert avail(env, chair, date=day(10))["projected"] == qty(6)
    assert avail(env, chair, date=day(30))["projected"] == qty(10)
    assert env["product.product"].browse(chair.id).qty_incoming == qty(10)
    assert env["stock.availability"].projection(chair.id) == [
        (TODAY, qty(0), qty(0)), (day(10), qty(6), qty(6)), (day(20), qty(4), qty(10))]


def test_partial_receipt_raises_stock_and_lowers_what_is_expected(env, make_order, products):
    chair, desk = products[:2]
    order = make_order([(chair, 10, 5), (desk, 4, 5)])
    chair_line, desk_line = order.line_ids
    receipt = order.receive({chair_line.id: 4})
    assert receipt.name.startswith("GR/") and receipt.state == "done"
    assert order.status_code == "partial" and order.receive_state == "partial"
    assert chair_line.qty_received == qty(4) and chair_line.qty_expected == qty(6)
    values = avail(env, chair)
    assert (values["on_hand"], values["available"]) == (qty(4), qty(4))
    assert values["incoming"] == [(day(5), qty(6))]
    assert avail(env, chair, date=day(5))["projected"] == qty(10)
    move = receipt.move_ids
    assert (move.kind, move.quantity, move.res_model, move.res_id) == ("in", qty(4), "stock.receipt", receipt.id)
    assert receipt.name in move.origin and order.name in move.origin
    order.receive({chair_line.id: 6, desk_line.id: 4})
    assert order.status_code == "received" and order.is_closed
    assert avail(env, chair)["incoming"] == [] and avail(env, chair)["on_hand"] == qty(10)
    assert avail(env, desk)["on_hand"] == qty(4)
    assert [h.to_status_id.code for h in order.bpm_history()][:2] == ["received", "partial"]


def test_availability_after_partial_receipt_and_released_reservation(env, make_order, products):
    chair = products[0]
    order = make_order([(chair, 10, 7)])
    order.receive({order.line_ids.id: 3})
    env["stock.reservation"].reserve([{"product_id": chair.id, "quantity": 5, "res_model": "sale.order",
                                       "res_id": 1}])
    values = avail(env, chair, date=day(7))
    assert (values["on_hand"], values["reserved"], values["available"], values["projected"]) == (
        qty(3), qty(5), qty(-2), qty(5))
    env["stock.reservation"].release("sale.order", [1], {(1, chair.id): 2})
    assert avail(env, chair)["available"] == qty(0)
    env["stock.reservation"].release("sale.order", [1])
    values = avail(env, chair, date=day(7))
    assert (values["reserved"], values["available"], values["projected"]) == (qty(0), qty(3), qty(10))


def test_receiving_more_than_ordered_needs_a_confirmation(env, make_order, products):
    chair = products[0]
    order = make_order([(chair, 5, 2)])
    line = order.line_ids
    order.receive({line.id: 3})
    moves_before = env["stock.move"].search_count([])
    with pytest.raises(UserError, match="were ordered"):
        order.receive({line.id: 3})
    assert env["stock.move"].search_count([]) == moves_before
    assert line.qty_received == qty(3) and avail(env, chair)["on_hand"] == qty(3)
    assert order.status_code == "partial"
    draft = env["stock.receipt"].search([("purchase_id", "=", order.id), ("state", "=", "draft")])
    assert len(draft) == 1  # the refused receipt stays a draft to correct
    draft.write({"confirm_over": True})
    draft.action_done()
    assert line.qty_received == qty(6) and line.qty_expected == 0
    assert order.status_code == "received" and avail(env, chair)["on_hand"] == qty(6)


def test_bad_receipts_are_refused(env, make_order, products):
    order = make_order([(products[0], 5, 2)], confirm=False)
    with pytest.raises(UserError, match="not confirmed"):
        order.receive({order.line_ids.id: 1})
    order.action_confirm()
    with pytest.raises(UserError, match="cannot be negative"):
        order.receive({order.line_ids.id: -1})
    with pytest.raises(UserError, match="receives nothing"):
        order.receive({order.line_ids.id: 0})
    other = make_order([(products[1], 1, 2)])
    with pytest.raises(UserError, match="not a line of"):
        order.receive({other.line_ids.id: 1})
    assert env["stock.move"].search_count([]) == 0


@pytest.mark.parametrize("line, message", [
    ({"quantity": -3}, "above zero"),
    ({"quantity": 0}, "above zero"),
    ({"price_unit": "-1"}, "cannot be negative"),
])
def test_bad_order_lines_are_refused(env, supplier, products, line, message):
    with pytest.raises(UserError, match=message):
        env["purchase.order"].create({"partner_id": supplier.id, "line_ids": [
            {"product_id": products[1].id, "quantity": 1},
            {"product_id": products[0].id, "quantity": 1, **line}]})
    assert env["purchase.order"].search_count([]) == 0
    assert env["purchase.order.line"].search_count([]) == 0


def test_services_are_not_purchased_for_stock(env, supplier, products):
    with pytest.raises(UserError, match="is a service"):
        env["purchase.order"].create({"partner_id": supplier.id, "line_ids": [
            {"product_id": products[2].id, "quantity": 1}]})
    assert env["purchase.order"].search_count([]) == 0


def test_confirmed_lines_keep_quantity_but_may_be_rescheduled(env, make_order, products):
    chair = products[0]
    order = make_order([(chair, 5, 2)])
    line = order.line_ids
    with pytest.raises(UserError, match="keep their product"):
        line.write({"quantity": 50})
    with pytest.raises(UserError):
        line.unlink()
    with pytest.raises(UserError, match="before it is confirmed"):
        env["purchase.order.line"].create({"order_id": order.id, "product_id": chair.id, "quantity": 1})
    with pytest.raises(UserError, match="set by goods receipts"):
        line.write({"qty_received": 5})
    line.write({"date_expected": day(12)})  # the supplier announced a delay
    assert avail(env, chair)["incoming"] == [(day(12), qty(5))]
    order.write({"date_expected": day(15)})
    assert avail(env, chair)["next_arrival"] == (day(15), qty(5))


def test_cancelling(env, make_order, products):
    chair = products[0]
    order = make_order([(chair, 5, 2)])
    order.action_cancel()
    assert order.status_code == "cancelled" and avail(env, chair)["incoming"] == []
    order = make_order([(chair, 5, 2)])
    order.receive({order.line_ids.id: 2})
    with pytest.raises(UserError):
        order.move_to("cancelled")  # 'cancel the rest' needs a comment
    order.move_to("cancelled", comment="The supplier stopped this item")
    assert avail(env, chair)["incoming"] == [] and avail(env, chair)["on_hand"] == qty(2)


def test_user_moves_of_the_flow_match_what_was_received(env, make_order, products):
    order = make_order([(products[0], 5, 2)])
    with pytest.raises(UserError):
        order.move_to("received")  # nothing arrived yet
    assert order.status_code == "confirmed"


def test_receipt_from_the_button(env, make_order, products):
    order = make_order([(products[0], 5, 2), (products[1], 2, 2)])
    order.receive({order.line_ids[0].id: 1})
    answer = order.action_receive()
    receipt = env["stock.receipt"].browse(int(answer["url"].rsplit("/", 1)[1]))
    assert receipt.state == "draft" and receipt.warehouse_id == order.warehouse_id
    assert sorted((line.product_id.name, line.quantity) for line in receipt.line_ids) == [
        ("Chair", qty(4)), ("Desk", qty(2))]
    receipt.action_done()
    assert order.status_code == "received"
    with pytest.raises(UserError, match="was received"):
        order.action_receive()


def test_warehouse_of_the_order(env, make_order, products, warehouses):
    main, north = warehouses
    order = make_order([(products[0], 5, 2)], warehouse=north)
    assert avail(env, products[0], warehouse_id=main)["incoming"] == []
    assert avail(env, products[0], warehouse_id=north.id)["incoming"] == [(day(2), qty(5))]
    order.receive({order.line_ids.id: 5})
    assert avail(env, products[0], warehouse_id=north)["on_hand"] == qty(5)
    assert avail(env, products[0], warehouse_id=main)["on_hand"] == 0


def test_supplier_prices_fill_the_line(env, supplier, products):
    chair = products[0]
    env["stock.supplierinfo"].create({"partner_id": supplier.id, "product_id": chair.id, "product_code": "SUP-9",
                                      "price": "12.50", "delay_days": 6, "min_qty": 1})
    order = env["purchase.order"].create({"partner_id": supplier.id})
    answer = env["purchase.order.line"]._onchange_product_id({"product_id": str(chair.id),
                                                             "order_id": str(order.id)})
    assert answer["supplier_code"] == "SUP-9" and answer["price_unit"] == qty("12.5").quantize(qty("0.01"))
    assert answer["date_expected"] == day(6)


def test_purchase_rights(env, registry, make_order, products):
    from web_helpers import make_user
    seller = env["res.users"].browse(make_user(env, "seller_po"))
    buyer = env["res.users"].browse(make_user(env, "buyer_po", groups=("stock.group_stock_user",)))
    order = make_order([(products[0], 5, 2)], confirm=False)
    with pytest.raises(AccessError):
        order.with_user(seller).action_confirm()
    order.with_user(buyer).action_confirm()
    assert order.status_code == "confirmed"
    with pytest.raises(UserError):
        order.with_user(buyer).action_cancel()  # cancelling a confirmed order is for managers
    assert env["stock.availability"].with_user(seller).get([products[0].id])[products[0].id]["incoming"]

"""A walkthrough an integrator can read: from a supplier's price to a customer's delivery.

Dana buys office chairs from Rahit. The sales addon reserves and delivers through the
stock APIs; here those calls are made directly, as sales makes them.
"""
import datetime as dt
from decimal import Decimal

from stock_fixtures import registry  # noqa: F401 (fixture)

TODAY = dt.date.today()


def test_from_purchase_to_delivery(registry):
    env = registry.env()
    try:
        rahit = env["res.partner"].create({"name": "Rahit Office Furniture", "supplier": True})
        chair = env["product.product"].create({"name": "Office chair", "default_code": "CH-1"})

        # 1. Rahit's price list: code RH-1, 505 ₪, at least 5, two weeks to deliver
        env["stock.supplierinfo"].create({"partner_id": rahit.id, "product_id": chair.id, "product_code": "RH-1",
                                          "price": "505", "min_qty": 5, "delay_days": 14})
        offer = env["stock.supplierinfo"].best_for([chair.id])[chair.id]

        # 2. a purchase order of 30 chairs, confirmed: they are expected in two weeks
        order = env["purchase.order"].create({"partner_id": rahit.id, "line_ids": [
            {"product_id": chair.id, "quantity": 30, "price_unit": offer.price,
             "date_expected": TODAY + dt.timedelta(days=offer.delay_days)}]})
        order.action_confirm()
        in_two_weeks = TODAY + dt.timedelta(days=14)
        seen = env.hooks.stock_availability(env=env, product_ids=[chair.id], warehouse_id=None, date=in_two_weeks)
        assert seen[chair.id]["available"] == 0 and seen[chair.id]["projected"] == 30
        assert seen[chair.id]["next_arrival"] == (in_two_weeks, Decimal("30.000"))

        # 3. twelve arrive early: a partial goods receipt
        order.receive({order.line_ids.id: 12})
        assert order.status_code == "partial"

        # 4. a customer order promises 10 (sales reserves them)
        env["stock.reservation"].reserve([{"product_id": chair.id, "quantity": 10, "res_model": "sale.order",
                                           "res_id": 501, "origin": "SO/501"}])
        seen = env["stock.availability"].get([chair.id], date=in_two_weeks)[chair.id]
        assert (seen["on_hand"], seen["reserved"], seen["available"], seen["projected"]) == (12, 10, 2, 20)

        # 5. 8 are delivered (sales records the out move and releases what left)
        env["stock.move"].create_done([{"product_id": chair.id, "quantity": 8, "kind": "out",
                                        "res_model": "sale.delivery", "res_id": 77, "origin": "DN/77"}])
        env["stock.reservation"].release("sale.order", [501], {(501, chair.id): 8})
        seen = env["stock.availability"].get([chair.id])[chair.id]
        assert (seen["on_hand"], seen["reserved"], seen["available"]) == (4, 2, 2)

        # 6. the month-end count finds 3: a shortage of 1 is corrected and logged
        count = env["stock.inventory"].create({"line_ids": [{"product_id": chair.id, "counted_qty": 3}]})
        count.action_done()
        assert env["stock.availability"].get([chair.id])[chair.id]["on_hand"] == 3
        assert count.move_ids.adjust_direction == "loss"

        # 7. every change of the stock is a dated move pointing to its document
        trail = env["stock.move"].search([("product_id", "=", chair.id)], order="id")
        assert [(m.kind, m.quantity, m.res_model) for m in trail] == [
            ("in", 12, "stock.receipt"), ("out", 8, "sale.delivery"), ("adjustment", 1, "stock.inventory")]
        assert all(m.date and m.state == "done" for m in trail)
    finally:
        env.rollback()
        env.close()

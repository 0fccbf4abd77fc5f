"""Stock availability on quote and order lines (זמינות במלאי, צפי כניסות למלאי).

The fields are computed, not stored: for all the lines being shown, one call of the
stock addon's ``stock_availability`` hook per warehouse and promised date — in practice
one call per document. A line warns when what the document asks of its product (its
lines together) is more than what is projected to be available by the promised date.
"""
from decimal import Decimal

from core.orm import AbstractModel, fields

from .tools import tr


class AvailabilityLine(AbstractModel):
    _name = "sale.availability.line"
    _description = "Line with stock availability"

    qty_on_hand = fields.Decimal("On hand", digits=3, compute="_compute_availability")
    qty_available = fields.Decimal("Available", digits=3, compute="_compute_availability")
    next_arrival_date = fields.Date("Expected arrival", compute="_compute_availability")
    next_arrival_qty = fields.Decimal("Arriving", digits=3, compute="_compute_availability")
    availability_warning = fields.Char("Availability", compute="_compute_availability")

    def _compute_availability(self):
        groups = {}
        for line in self:
            document = line[line._parent_field]
            key = (document.warehouse_id.id if "warehouse_id" in document._fields else None,
                   document.date_promised or None)
            groups.setdefault(key, []).append(line)
        for (warehouse_id, date), lines in groups.items():
            goods = [line for line in lines if line.product_id and line.product_id.type == "goods"]
            answer = {}
            if goods:
                answer = self.env.hooks.stock_availability(
                    env=self.env, product_ids=list({line.product_id.id for line in goods}),
                    warehouse_id=warehouse_id, date=date) or {}
            held = self._own_reservations(goods)
            asked = {}
            for line in goods:
                key = (line[line._parent_field].id, line.product_id.id)
                asked[key] = asked.get(key, Decimal(0)) + line._quantity_needed()
            for line in lines:
                figures = answer.get(line.product_id.id) if line.product_id else None
                if not figures:
                    line.qty_on_hand = line.qty_available = line.next_arrival_qty = None
                    line.next_arrival_date = line.availability_warning = None
                    continue
                arrival = figures.get("next_arrival")
                line.qty_on_hand, line.qty_available = figures["on_hand"], figures["available"]
                line.next_arrival_date, line.next_arrival_qty = (arrival[0], arrival[1]) if arrival else (None, None)
                key = (line[line._parent_field].id, line.product_id.id)
                projected = figures["projected"] + held.get(key, Decimal(0))
                need = asked[key]
                line.availability_warning = tr(
                    self.env, "{need} asked, {projected} available by {date}", need=_qty(need),
                    projected=_qty(projected), date=date) if date and need > projected else tr(
                    self.env, "{need} asked, only {projected} available", need=_qty(need),
                    projected=_qty(projected)) if need > projected else None

    def _quantity_needed(self):
        """What this line still needs from stock (an order line: what is left to deliver)."""
        return self.quantity or Decimal(0)

    def _own_reservations(self, lines):
        """``{(document id, product id): qty}`` the documents already hold reserved (none for quotes)."""
        return {}


def _qty(value):
    value = Decimal(value).normalize()
    return f"{value:f}"

"""A minimal order with lines: exercises nested create and stored computed totals."""
from core.orm import Model, api, fields


class Order(Model):
    _name = "test.order"
    _description = "Test order"
    _order = "date desc, id desc"

    name = fields.Char("Reference", required=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="restrict")
    date = fields.Date("Date")
    line_ids = fields.One2many("test.order.line", "order_id", "Lines", copy=True)
    amount_total = fields.Monetary("Total", compute="_compute_total", store=True)

    @api.depends("line_ids.subtotal")
    def _compute_total(self):
        for order in self:
            order.amount_total = sum((line.subtotal for line in order.line_ids), 0)


class OrderLine(Model):
    _name = "test.order.line"
    _description = "Test order line"

    order_id = fields.Many2one("test.order", "Order", required=True, ondelete="cascade")
    product = fields.Char("Product")
    quantity = fields.Decimal("Quantity", digits=3, default=1)
    price_unit = fields.Monetary("Unit price")
    subtotal = fields.Monetary("Subtotal", compute="_compute_subtotal", store=True)

    @api.depends("quantity", "price_unit")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = (line.quantity or 0) * (line.price_unit or 0)

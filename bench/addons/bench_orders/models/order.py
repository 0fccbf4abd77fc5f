"""An order with lines: nested create, a stored computed total, money sums."""
from core.orm import Model, api, fields


class BenchOrder(Model):
    _name = "bench.order"
    _description = "Benchmark order"
    _order = "date desc, id desc"

    name = fields.Char("Reference", required=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="restrict")
    date = fields.Date("Date")
    line_ids = fields.One2many("bench.order.line", "order_id", "Lines", copy=True)
    amount_total = fields.Monetary("Total", compute="_compute_total", store=True)

    @api.depends("line_ids.subtotal")
    def _compute_total(self):
        for order in self:
            order.amount_total = sum((line.subtotal for line in order.line_ids), 0)


class BenchOrderLine(Model):
    _name = "bench.order.line"
    _description = "Benchmark order line"

    order_id = fields.Many2one("bench.order", "Order", required=True, ondelete="cascade")
    product = fields.Char("Product")
    quantity = fields.Decimal("Quantity", digits=3, default=1)
    price_unit = fields.Monetary("Unit price")
    subtotal = fields.Monetary("Subtotal", compute="_compute_subtotal", store=True)

    @api.depends("quantity", "price_unit")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = (line.quantity or 0) * (line.price_unit or 0)

"""Goods receipts: what arrived of a purchase order, also partially; incoming moves raise the stock.

Receiving more than was ordered needs an explicit confirmation on the receipt
(``confirm_over``): without it the receipt is refused and nothing is written.
"""
from collections import defaultdict

from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from ..tools import ZERO, to_qty, tr

STATES = [("draft", "Draft"), ("done", "Done"), ("cancelled", "Cancelled")]


class StockReceipt(Model):
    _name = "stock.receipt"
    _inherit = ["mail.thread"]
    _description = "Goods receipt"
    _order = "date desc, id desc"

    name = fields.Char("Number", readonly=True, copy=False, index=True)
    purchase_id = fields.Many2one("purchase.order", "Purchase order", required=True, ondelete="restrict",
                                  index=True)
    partner_id = fields.Many2one("res.partner", "Supplier", related="purchase_id.partner_id", store=True)
    warehouse_id = fields.Many2one("stock.warehouse", "Warehouse", required=True, ondelete="restrict")
    date = fields.Datetime("Received on", required=True, default=lambda self: fields.now())
    state = fields.Selection(STATES, "Status", required=True, default="draft", readonly=True, tracking=True)
    confirm_over = fields.Boolean("Accept more than ordered",
                                  help="Confirms that receiving more than the order's quantity is intended")
    line_ids = fields.One2many("stock.receipt.line", "receipt_id", "Received products", copy=True)
    move_ids = fields.One2many("stock.move", "receipt_id", "Stock moves")
    note = fields.Text("Note")

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(v) for v in ([vals_list] if single else vals_list)]
        for vals in vals_list:
            vals.setdefault("name", self.env["ir.sequence"].next_by_code("stock.receipt"))
            if not vals.get("warehouse_id") and vals.get("purchase_id"):
                vals["warehouse_id"] = self.env["purchase.order"].browse(int(vals["purchase_id"])).warehouse_id.id
        return super().create(vals_list)

    @api.ui_callable
    def action_done(self):
        """Check every line of every receipt, then receive: incoming moves, received quantities, order status."""
        plans = [receipt._plan() for receipt in self]
        for receipt, plan in zip(self, plans):
            receipt._receive(plan)
        return True

    @api.ui_callable
    def action_cancel(self):
        if any(receipt.state != "draft" for receipt in self):
            raise UserError(tr(self.env, "A done goods receipt cannot be cancelled: its stock has arrived"))
        self.write({"state": "cancelled"})
        return True

    def _plan(self):
        """``[(purchase line, qty)]`` of this draft receipt, refusing what must not be received."""
        env = self.env
        if self.state != "draft":
            raise UserError(tr(env, "Goods receipt {name} is not a draft any more").format(name=self.name))
        order = self.purchase_id
        if order.status_code not in ("confirmed", "partial"):
            raise UserError(tr(env, "Purchase order {name} is not confirmed: nothing is expected to arrive")
                            .format(name=order.name))
        totals, plan = defaultdict(lambda: ZERO), []
        for line in self.line_ids:
            quantity = to_qty(line.quantity)
            if quantity is None or quantity < 0:
                raise UserError(tr(env, "{product}: a received quantity cannot be negative").format(
                    product=line.product_id.display_name))
            if not quantity:
                continue
            purchase_line = line.purchase_line_id
            if purchase_line.order_id != order:
                raise UserError(tr(env, "The line {line} is not a line of {name}").format(
                    line=purchase_line.id, name=order.name))
            if purchase_line.product_id.type == "service":
                raise UserError(tr(env, "{product} is a service: services have no stock and cannot be moved")
                                .format(product=purchase_line.product_id.display_name))
            totals[purchase_line.id] += quantity
            plan.append((purchase_line, quantity))
        if not plan:
            raise UserError(tr(env, "Goods receipt {name} receives nothing: enter the quantities that arrived")
                            .format(name=self.name))
        if not self.confirm_over:
            for purchase_line, _qty in plan:
                received = purchase_line.qty_received + totals[purchase_line.id]
                if received > purchase_line.quantity:
                    raise UserError(tr(env, "{product}: {received} would be received but {ordered} were ordered. "
                                            "Tick 'Accept more than ordered' to receive the extra quantity")
                                    .format(product=purchase_line.product_id.display_name, received=received,
                                            ordered=purchase_line.quantity))
        return plan

    def _receive(self, plan):
        env = self.env
        origin = f"{self.name} ({self.purchase_id.name})"
        env["stock.move"].create_done([
            {"product_id": line.product_id.id, "quantity": qty, "kind": "in", "warehouse_id": self.warehouse_id.id,
             "date": self.date, "origin": origin, "res_model": self._name, "res_id": self.id,
             "partner_id": self.purchase_id.partner_id.id, "receipt_id": self.id} for line, qty in plan])
        received = defaultdict(lambda: ZERO)
        for line, qty in plan:
            received[line] += qty
        for line, qty in received.items():
            line.sudo().with_context(stock_receiving=True).write({"qty_received": line.qty_received + qty})
        self.write({"state": "done"})
        self.purchase_id._update_receive_status()


class StockReceiptLine(Model):
    _name = "stock.receipt.line"
    _description = "Goods receipt line"
    _order = "receipt_id, id"

    receipt_id = fields.Many2one("stock.receipt", "Goods receipt", required=True, ondelete="cascade")
    purchase_line_id = fields.Many2one("purchase.order.line", "Order line", required=True, ondelete="restrict")
    product_id = fields.Many2one("product.product", "Product", related="purchase_line_id.product_id", store=True)
    qty_ordered = fields.Decimal("Ordered", digits=3, related="purchase_line_id.quantity")
    qty_already = fields.Decimal("Received before", digits=3, related="purchase_line_id.qty_received")
    quantity = fields.Decimal("Received now", digits=3, required=True, default=0)

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [vals_list] if single else list(vals_list)
        for vals in vals_list:
            self._check_quantity(vals.get("quantity", 0))
        return super().create(vals_list)

    def write(self, vals):
        if "quantity" in vals:
            if any(line.receipt_id.state != "draft" for line in self):
                raise UserError(tr(self.env, "A done goods receipt cannot be changed"))
            self._check_quantity(vals["quantity"])
        return super().write(vals)

    def _check_quantity(self, value):
        quantity = to_qty(value)
        if quantity is None or quantity < 0:
            raise ValidationError(tr(self.env, "A received quantity cannot be negative (got {value})").format(value=value))

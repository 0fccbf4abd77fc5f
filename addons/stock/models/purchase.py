"""Purchase orders: what we ordered from a supplier, when it should arrive, what came in.

The order follows a BPM flow (draft → sent → confirmed → partially received → received,
or cancelled). What is still expected — the confirmed quantity not yet received — is
kept on each line (``qty_expected``) so availability reads it without joins.
"""
import datetime as dt

from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from ..tools import ZERO, created_lines, positive_qty, record_id, to_date, to_qty, tr
from .supplierinfo import _company_currency

OPEN_STATUSES = ("confirmed", "partial")  # the lines of these orders are expected
EDITABLE_STATUSES = ("draft", "sent")
RECEIVE_STATES = [("none", "Nothing received"), ("partial", "Partially received"), ("full", "Fully received")]
LOCKED_LINE_FIELDS = ("product_id", "quantity", "price_unit", "order_id")


class PurchaseOrder(Model):
    _name = "purchase.order"
    _inherit = ["mail.thread", "bpm.document"]
    _description = "Purchase order"
    _order = "date_order desc, id desc"

    name = fields.Char("Number", readonly=True, copy=False, index=True)
    partner_id = fields.Many2one("res.partner", "Supplier", required=True, ondelete="restrict", tracking=True,
                                 domain=[["supplier", "=", True]])
    partner_ref = fields.Char("Supplier reference", help="The supplier's number for this order")
    date_order = fields.Date("Order date", required=True, default=lambda self: dt.date.today())
    date_expected = fields.Date("Expected arrival", tracking=True,
                                help="The default expected arrival of new lines")
    warehouse_id = fields.Many2one("stock.warehouse", "Receive into", required=True, ondelete="restrict",
                                   default=lambda self: self.env["stock.warehouse"].get_default().id)
    currency_id = fields.Many2one("res.currency", "Currency", required=True, ondelete="restrict",
                                  default=lambda self: _company_currency(self))
    line_ids = fields.One2many("purchase.order.line", "order_id", "Lines", copy=True)
    receipt_ids = fields.One2many("stock.receipt", "purchase_id", "Goods receipts")
    amount_untaxed = fields.Monetary("Total before VAT", compute="_compute_amounts", store=True)
    receive_state = fields.Selection(RECEIVE_STATES, "Received", compute="_compute_receive_state", store=True,
                                     index=True)
    notes = fields.Text("Notes")

    @api.depends("line_ids.subtotal")
    def _compute_amounts(self):
        for order in self:
            order.amount_untaxed = sum((line.subtotal or ZERO for line in order.line_ids), ZERO)

    @api.depends("line_ids.quantity", "line_ids.qty_received")
    def _compute_receive_state(self):
        for order in self:
            lines = order.line_ids
            if not lines or not any(line.qty_received for line in lines):
                order.receive_state = "none"
            elif all(line.qty_received >= line.quantity for line in lines):
                order.receive_state = "full"
            else:
                order.receive_state = "partial"

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(v) for v in ([vals_list] if single else vals_list)]
        for vals in vals_list:
            if not vals.get("name"):
                vals["name"] = self.env["ir.sequence"].next_by_code("purchase.order", vals.get("date_order"))
            lines = created_lines(vals.get("line_ids"))
            for line in lines:
                if not line.get("date_expected") and vals.get("date_expected"):
                    line["date_expected"] = vals["date_expected"]
            self.env["purchase.order.line"]._check_values(lines)  # before anything is written
        return super().create(vals_list)

    def write(self, vals):
        lines = created_lines(vals.get("line_ids"))
        if lines:
            self.env["purchase.order.line"]._check_values(lines)
        result = super().write(vals)
        if "date_expected" in vals and vals["date_expected"]:
            # the order's new date moves the lines that still followed it
            self.line_ids.filtered(lambda l: l.qty_expected or l.order_id.status_code in EDITABLE_STATUSES) \
                .write({"date_expected": vals["date_expected"]})
        return result

    # -- buttons (moves of the flow by users go through bpm: groups and conditions apply) --
    @api.ui_callable
    def action_send(self):
        self.move_to("sent")  # an order without lines is refused (hook bpm_before_transition)
        return True

    @api.ui_callable
    def action_confirm(self):
        self.move_to("confirmed")
        return True

    @api.ui_callable
    def action_cancel(self):
        self.move_to("cancelled")
        return True

    @api.ui_callable
    def action_receive(self):
        """A draft goods receipt with everything still expected; opens it."""
        receipt = self.ensure_one()._new_receipt()
        return {"url": f"/web/m/stock.receipt/{receipt.id}"}

    def _new_receipt(self, quantities=None, date=None, confirm_over=False):
        """A draft receipt of this order: ``quantities`` ``{line_id: qty}``, else all still expected."""
        if self.status_code == "received":
            raise UserError(tr(self.env, "Everything ordered on {name} was received").format(name=self.name))
        if self.status_code not in OPEN_STATUSES:
            raise UserError(tr(self.env, "Purchase order {name} is not confirmed: nothing is expected to arrive")
                            .format(name=self.name))
        lines = self.line_ids
        if quantities is None:
            quantities = {line.id: line.quantity - line.qty_received for line in lines
                          if line.quantity > line.qty_received}
            if not quantities:
                raise UserError(tr(self.env, "Everything ordered on {name} was received").format(name=self.name))
        own = set(lines.ids)
        receipt_lines = []
        for line_id, quantity in quantities.items():
            if record_id(line_id) not in own:
                raise UserError(tr(self.env, "The line {line} is not a line of {name}").format(
                    line=line_id, name=self.name))
            receipt_lines.append({"purchase_line_id": record_id(line_id), "quantity": quantity})
        values = {"purchase_id": self.id, "warehouse_id": self.warehouse_id.id, "confirm_over": confirm_over,
                  "line_ids": receipt_lines}
        if date:
            values["date"] = date
        return self.env["stock.receipt"].create(values)

    def receive(self, quantities, date=None, confirm_over=False):
        """Receive ``{line_id: qty}`` of this order now: a done goods receipt (the API of code and tests)."""
        receipt = self.ensure_one()._new_receipt(quantities, date=date, confirm_over=confirm_over)
        receipt.action_done()
        return receipt

    def _update_receive_status(self):
        """After a receipt: partially received or received — a system move of the flow."""
        for order in self:
            target = "received" if order.receive_state == "full" else "partial"
            if order.status_code != target:
                order.sudo().move_to(target)


class PurchaseOrderLine(Model):
    _name = "purchase.order.line"
    _description = "Purchase order line"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("purchase.order", "Purchase order", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer("Sequence", default=10)
    product_id = fields.Many2one("product.product", "Product", required=True, ondelete="restrict", index=True)
    name = fields.Char("Description")
    supplier_code = fields.Char("Supplier item code")
    quantity = fields.Decimal("Quantity", digits=3, required=True, default=1)
    price_unit = fields.Monetary("Unit price", default=0)
    currency_id = fields.Many2one("res.currency", "Currency", related="order_id.currency_id")
    subtotal = fields.Monetary("Subtotal", compute="_compute_subtotal", store=True)
    date_expected = fields.Date("Expected arrival", required=True, index=True,
                                default=lambda self: dt.date.today())
    qty_received = fields.Decimal("Received", digits=3, default=0, readonly=True)
    qty_expected = fields.Decimal("Still expected", digits=3, compute="_compute_qty_expected", store=True,
                                  index=True, help="Confirmed, not yet received")
    warehouse_id = fields.Many2one("stock.warehouse", "Warehouse", related="order_id.warehouse_id", store=True,
                                   index=True)
    order_status = fields.Char("Order status", related="order_id.status_code", store=True)

    _sql_constraints = [("quantity_positive", "check(quantity > 0)", "An ordered quantity must be above zero"),
                        ("price_positive", "check(price_unit >= 0)", "A purchase price cannot be negative")]

    @api.depends("quantity", "price_unit")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = (line.quantity or ZERO) * (line.price_unit or ZERO)

    @api.depends("quantity", "qty_received", "order_status")
    def _compute_qty_expected(self):
        for line in self:
            left = (line.quantity or ZERO) - (line.qty_received or ZERO)
            line.qty_expected = left if line.order_status in OPEN_STATUSES and left > 0 else ZERO

    @api.onchange("product_id")
    def _onchange_product_id(self, values):
        """The supplier's code, price and lead time for this product, when the supplier sells it."""
        product_id, order_id = values.get("product_id"), values.get("order_id")
        if not product_id or not str(product_id).isdigit():
            return {}
        order = self.env["purchase.order"].browse(int(order_id)).exists() if str(order_id or "").isdigit() else None
        partner = order.partner_id.id if order else None
        info = self.env["stock.supplierinfo"].best_for([int(product_id)], partner_id=partner).get(int(product_id))
        if not info:
            return {}
        return {"supplier_code": info.product_code, "price_unit": info.price,
                "date_expected": dt.date.today() + dt.timedelta(days=info.delay_days or 0)}

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(v) for v in ([vals_list] if single else vals_list)]
        orders = self.env["purchase.order"].browse(tuple({record_id(v.get("order_id")) for v in vals_list} - {None}))
        status = {order.id: order.status_code for order in orders.exists()}
        for vals in vals_list:
            if status.get(record_id(vals.get("order_id"))) not in (None,) + EDITABLE_STATUSES:
                raise UserError(tr(self.env, "Lines are added to a purchase order before it is confirmed"))
            if not vals.get("date_expected"):
                vals.pop("date_expected", None)
        self._check_values([dict(vals) for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        if any(name in vals for name in LOCKED_LINE_FIELDS) and not self.env.context.get("stock_receiving"):
            for line in self:
                if line.order_id.status_code not in EDITABLE_STATUSES:
                    raise UserError(tr(self.env, "The lines of a confirmed purchase order keep their product, "
                                                 "quantity and price; cancel and reorder to change them"))
            self._check_values([{"product_id": vals.get("product_id", line.product_id.id),
                                 "quantity": vals.get("quantity", line.quantity),
                                 "price_unit": vals.get("price_unit", line.price_unit)} for line in self])
        if "qty_received" in vals and not self.env.context.get("stock_receiving"):
            raise UserError(tr(self.env, "The received quantity is set by goods receipts"))
        return super().write(vals)

    def unlink(self):
        if any(line.order_id.status_code not in EDITABLE_STATUSES for line in self):
            raise UserError(tr(self.env, "The lines of a confirmed purchase order cannot be deleted"))
        return super().unlink()

    def _check_values(self, vals_list):
        env = self.env
        ids = {record_id(v.get("product_id")) for v in vals_list} - {None}
        products = {p.id: p for p in env["product.product"].sudo().browse(tuple(ids)).exists()}
        for vals in vals_list:
            product = products.get(record_id(vals.get("product_id")))
            if product is None:
                raise ValidationError(tr(env, "A purchase order line needs a product"))
            if product.type == "service":
                raise ValidationError(tr(env, "{product} is a service: purchase orders here buy goods for stock")
                                .format(product=product.display_name))
            positive_qty(env, vals.get("quantity", 1), product.display_name)
            price = to_qty(vals.get("price_unit") or 0)
            if price is None or price < 0:
                raise ValidationError(tr(env, "{product}: a purchase price cannot be negative").format(
                    product=product.display_name))
            if vals.get("date_expected") is not None and to_date(vals["date_expected"]) is None:
                vals.pop("date_expected")

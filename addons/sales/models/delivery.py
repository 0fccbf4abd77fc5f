"""Delivery notes (תעודות משלוח): what left for the customer, from one order, also partly.

Validating a delivery note numbers it, moves its goods out of the order's warehouse (the
stock addon's ``create_done``), releases the order's reservations of what left, and moves
the order on (partially delivered → delivered).
"""
import datetime as dt
from decimal import Decimal

from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from .tools import sequence_of, tr

DELIVERY_STATES = [("draft", "Draft"), ("done", "Delivered"), ("cancelled", "Cancelled")]
DELIVERABLE = ("confirmed", "partial")


class Delivery(Model):
    _name = "sale.delivery"
    _inherit = ["mail.thread", "sale.printable"]
    _description = "Delivery note"
    _order = "date desc, id desc"

    name = fields.Char("Number", readonly=True, copy=False, index=True)
    order_id = fields.Many2one("sale.order", "Order", required=True, ondelete="restrict", index=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one("res.company", "Company", ondelete="restrict")
    date = fields.Date("Date", required=True, default=lambda self: dt.date.today(), index=True)
    warehouse_id = fields.Many2one("stock.warehouse", "Warehouse", ondelete="restrict")
    state = fields.Selection(DELIVERY_STATES, "Status", required=True, default="draft", index=True, copy=False,
                             tracking=True)
    line_ids = fields.One2many("sale.delivery.line", "delivery_id", "Lines", copy=True)
    note = fields.Text("Note")
    invoice_ids = fields.Many2many("account.invoice", "account_invoice_sale_delivery_rel", "delivery_id",
                                   "invoice_id", "Invoices", copy=False)
    print_count = fields.Integer("Prints", default=0, readonly=True, copy=False)

    def create_for_orders(self, orders, quantities=None, date=None):
        """Draft delivery notes, one per order: ``quantities`` ``{order line id: qty}`` or all that is left."""
        not_open = orders.filtered(lambda o: o.status_code not in DELIVERABLE)
        if not_open:
            raise UserError(tr(self.env, "Order {name} is {status}: only confirmed orders are delivered",
                               name=not_open[0].name, status=not_open[0]._status_label()))
        values = []
        for order in orders:
            lines = []
            for line in order.line_ids:
                left = line.quantity - line.qty_delivered
                quantity = left if quantities is None else Decimal(str(quantities.get(line.id, 0)))
                if quantity > 0:
                    lines.append({"order_line_id": line.id, "product_id": line.product_id.id, "name": line.name,
                                  "quantity": quantity, "uom_id": line.uom_id.id})
            if not lines:
                raise UserError(tr(self.env, "Order {name} has nothing left to deliver", name=order.name))
            values.append({"order_id": order.id, "partner_id": order.partner_id.id, "company_id": order.company_id.id,
                           "warehouse_id": order.warehouse_id.id, "date": date or dt.date.today(),
                           "line_ids": lines})
        return self.create(values)

    @api.ui_callable
    def action_validate(self):
        """Number the notes, move the goods out, release reservations, move the orders on."""
        for delivery in self:
            if delivery.state != "draft":
                raise UserError(tr(self.env, "Delivery note {name} is not a draft", name=delivery.name or delivery.id))
        self.mapped("line_ids").filtered(lambda line: not line.quantity).unlink()
        self._check_quantities()
        ordered = self.sorted(lambda d: (d.date, d.id))
        numbers = sequence_of(self.env, "sale.delivery").next_numbers([d.date for d in ordered])
        for delivery, number in zip(ordered, numbers):
            delivery.write({"name": number})
        moves, releases = [], {}
        for delivery in self:
            for line in delivery.line_ids:
                if line.product_id.type != "goods":
                    continue
                moves.append({"product_id": line.product_id.id, "quantity": line.quantity, "kind": "out",
                              "warehouse_id": delivery.warehouse_id.id or None, "res_model": "sale.delivery",
                              "res_id": delivery.id, "origin": delivery.name, "date": delivery.date})
                key = (delivery.order_id.id, line.product_id.id)
                releases[key] = releases.get(key, Decimal(0)) + line.quantity
        if moves:
            self.env["stock.move"].sudo().create_done(moves)
            self.env["stock.reservation"].sudo().release("sale.order", list({k[0] for k in releases}), releases)
        self.write({"state": "done"})
        self.mapped("line_ids.order_line_id")._refresh_quantities()
        self.mapped("order_id")._update_progress()
        return True

    def _check_quantities(self):
        """Every line delivers more than nothing, and no more than is left on its order line."""
        empty = self.filtered(lambda d: not d.line_ids)
        if empty:
            raise UserError(tr(self.env, "Delivery note {name} has no lines", name=empty[0].name or empty[0].id))
        asked = {}
        for line in self.mapped("line_ids"):
            asked[line.order_line_id] = asked.get(line.order_line_id, Decimal(0)) + line.quantity
        for order_line, quantity in asked.items():
            left = order_line.quantity - order_line.qty_delivered
            if quantity > left:
                raise UserError(tr(self.env, "{product}: {quantity} to deliver but only {left} left on order {order}",
                                   product=order_line.name, quantity=quantity, left=left,
                                   order=order_line.order_id.name))

    @api.ui_callable
    def action_cancel(self):
        done = self.filtered(lambda d: d.state != "draft")
        if done:
            raise UserError(tr(self.env, "Delivery note {name} was delivered: goods that left come back with a "
                               "return, not by cancelling", name=done[0].name))
        self.write({"state": "cancelled"})
        return True

    @api.ui_callable
    def action_create_invoice(self):
        invoices = self.env["account.invoice"].create_from_deliveries(self)
        return {"url": f"/web/m/account.invoice/{invoices[0].id}", "invoices": invoices}

    def create_invoices(self, date=None):
        """Draft tax invoices of these delivery notes: one per customer, several notes in one."""
        return self.env["account.invoice"].create_from_deliveries(self, date=date)

    def write(self, vals):
        if not self.env.context.get("sales_system") and set(vals) - {"state", "name", "print_count"}:
            locked = self.filtered(lambda d: d.state != "draft")
            if locked:
                raise UserError(tr(self.env, "Delivery note {name} is no longer a draft: it cannot be changed",
                                   name=locked[0].name))
        return super().write(vals)

    def unlink(self):
        if self.filtered(lambda d: d.state != "draft" or d.name):
            raise UserError(tr(self.env, "Delivered or cancelled delivery notes are kept, never deleted"))
        return super().unlink()

    def _check_editable(self):
        locked = self.filtered(lambda d: d.state != "draft")
        if locked:
            raise UserError(tr(self.env, "Delivery note {name} is no longer a draft: it cannot be changed",
                               name=locked[0].name))


class DeliveryLine(Model):
    _name = "sale.delivery.line"
    _description = "Delivery note line"
    _order = "delivery_id, id"

    delivery_id = fields.Many2one("sale.delivery", "Delivery note", required=True, ondelete="cascade", index=True)
    order_line_id = fields.Many2one("sale.order.line", "Order line", required=True, ondelete="restrict", index=True)
    product_id = fields.Many2one("product.product", "Product", ondelete="restrict")
    name = fields.Text("Description")
    quantity = fields.Decimal("Quantity", digits=3, required=True, default=0)
    uom_id = fields.Many2one("uom.uom", "Unit", ondelete="restrict")
    state = fields.Selection(DELIVERY_STATES, "Status", compute="_compute_state", store=True, index=True)
    invoice_line_ids = fields.One2many("account.invoice.line", "delivery_line_id", "Invoice lines")

    @api.depends("delivery_id.state")
    def _compute_state(self):
        for line in self:
            line.state = line.delivery_id.state

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity is None or line.quantity < 0:
                raise ValidationError(tr(self.env, "A delivered quantity cannot be negative"), field="quantity")

    def create(self, vals_list):
        vals_list = [vals_list] if isinstance(vals_list, dict) else list(vals_list)
        ids = {vals.get("delivery_id") for vals in vals_list} - {None, False}
        self.env["sale.delivery"].browse(tuple(ids))._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.mapped("delivery_id")._check_editable()
        return super().write(vals)

    def unlink(self):
        self.mapped("delivery_id")._check_editable()
        return super().unlink()

    def qty_to_invoice(self):
        """``{line id: quantity}`` delivered and not on a tax invoice of this line yet (drafts count)."""
        return {line.id: max(line.quantity - sum((i.quantity for i in line.invoice_line_ids
                                                   if i.state != "cancelled" and i.kind == "invoice"), Decimal(0)),
                             Decimal(0))
                for line in self}

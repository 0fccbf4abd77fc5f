"""Customer orders: entered directly or from a quote; confirmed, delivered, invoiced, closed."""
from core.exceptions import UserError
from core.i18n import _lt
from core.orm import Model, api, fields

from .tools import tr

ORDER_STATUSES = [("draft", _lt("Draft")), ("confirmed", _lt("Confirmed")),
                  ("partial", _lt("Partially delivered")), ("delivered", _lt("Delivered")),
                  ("invoiced", _lt("Invoiced")), ("closed", _lt("Closed")), ("cancelled", _lt("Cancelled"))]
OPEN_STATUSES = ("confirmed", "partial")
PROGRESS = ("confirmed", "partial", "delivered", "invoiced")


class Order(Model):
    _name = "sale.order"
    _inherit = ["mail.thread", "sale.document", "sale.status"]
    _description = "Customer order"
    _order = "date desc, id desc"
    _sequence_code = "sale.order"
    _STATUSES = ORDER_STATUSES
    _MOVES = {"draft": ("confirmed", "cancelled"), "confirmed": ("partial", "delivered", "cancelled"),
              "partial": ("delivered",), "delivered": ("invoiced",), "invoiced": ("closed",)}

    contact_id = fields.Many2one("res.partner", "Contact person", ondelete="set null")
    quote_id = fields.Many2one("sale.quote", "Quote", ondelete="restrict", index=True, copy=False,
                               help="The price quote this order came from")
    date_promised = fields.Date("Delivery date", help="Availability warnings look at stock expected by this date")
    @api.depends("line_ids.price_subtotal", "date", "company_id")
    def _compute_amounts(self):
        return super()._compute_amounts()

    line_ids = fields.One2many("sale.order.line", "order_id", "Lines", copy=True)
    confirm_warning = fields.Text("Warning at confirmation", readonly=True, copy=False)

    @api.ui_callable
    def action_confirm(self):
        """Confirm draft orders: the confirm check hook may block or warn; stock is reserved."""
        empty = self.filtered(lambda order: not order.line_ids)
        if empty:
            raise UserError(tr(self.env, "Order {name} has no lines: add what the customer orders first",
                               name=empty[0].name))
        self._move_check("confirmed")
        answers = [item for answer in self.env.hooks.sales_order_confirm_check(env=self.env, orders=self)
                   for item in (answer or ())]
        blocked = [item for item in answers if item.get("block")]
        if blocked:
            order = self.browse(blocked[0]["order_id"])
            raise UserError(tr(self.env, "Order {name} cannot be confirmed: {reason}", name=order.name,
                               reason=blocked[0]["message"]))
        self._move("confirmed")
        warnings = {}
        for item in answers:
            warnings.setdefault(item["order_id"], []).append(item["message"])
        for order in self:
            if order.id in warnings:
                text = "\n".join(warnings[order.id])
                order.write({"confirm_warning": text})
                order.message_post(text, message_type="comment")
        self._reserve_stock()
        return True

    @api.ui_callable
    def action_cancel(self):
        """Cancel orders nothing was delivered of; their stock reservations are released."""
        delivered = self.filtered(lambda order: any(line.qty_delivered for line in order.line_ids))
        if delivered:
            raise UserError(tr(self.env, "Order {name} was partly delivered: it cannot be cancelled",
                               name=delivered[0].name))
        self._move("cancelled")
        self._release_stock()
        return True

    @api.ui_callable
    def action_close(self):
        self._move("closed")
        return True

    def _move_check(self, code):
        """Refuse early (before hooks run) when a move is not allowed."""
        for order in self:
            if code not in self._MOVES.get(order.status_code, ()):
                self._move(code)  # raises the common message

    def _update_progress(self):
        """Orders follow their deliveries and invoices: partial → delivered → invoiced."""
        for order in self.filtered(lambda o: o.status_code in PROGRESS):
            lines = order.line_ids
            delivered = all(line.qty_delivered >= line.quantity for line in lines)
            invoiced = delivered and all(line.qty_invoiced >= line.quantity for line in lines)
            target = "invoiced" if invoiced else "delivered" if delivered else \
                "partial" if any(line.qty_delivered for line in lines) else "confirmed"
            path = PROGRESS[PROGRESS.index(order.status_code) + 1:PROGRESS.index(target) + 1] \
                if target in PROGRESS and PROGRESS.index(target) > PROGRESS.index(order.status_code) else ()
            for code in path:
                if code == "partial" and target != "partial":
                    continue
                order._move(code, system=True)

    def _check_editable(self):
        closed = self.filtered(lambda o: o.status_code != "draft")
        if closed:
            raise UserError(tr(self.env, "Order {name} is {status}: its lines can no longer change",
                               name=closed[0].name, status=closed[0]._status_label()))

    # -- stock (the stock addon's reservations) ---------------------------------------
    def _reserve_stock(self):
        """Reserve the goods of these confirmed orders (once the stock addon is there)."""

    def _release_stock(self):
        """Release what these orders still hold reserved."""


class OrderLine(Model):
    _name = "sale.order.line"
    _inherit = ["sale.document.line"]
    _description = "Customer order line"
    _order = "sequence, id"
    _parent_field = "order_id"

    order_id = fields.Many2one("sale.order", "Order", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Customer", compute="_compute_partner", store=True, index=True)
    quote_line_id = fields.Many2one("sale.quote.line", "Quote line", ondelete="set null", index=True, copy=False)
    qty_delivered = fields.Decimal("Quantity delivered", digits=3, default=0, readonly=True, copy=False)
    qty_invoiced = fields.Decimal("Quantity invoiced", digits=3, default=0, readonly=True, copy=False)

    @api.depends("order_id.partner_id")
    def _compute_partner(self):
        for line in self:
            line.partner_id = line.order_id.partner_id

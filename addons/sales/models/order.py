"""Customer orders: entered directly or from a quote; confirmed (stock reserved), delivered
(delivery notes), invoiced (tax invoices) and closed — or cancelled."""
from decimal import Decimal

from core.exceptions import UserError
from core.orm import Model, api, fields

from .rounding import round_agora, with_vat
from .tools import tr

OPEN_STATUSES = ("confirmed", "partial")
ZERO = Decimal("0.00")
PROGRESS = ("confirmed", "partial", "delivered", "invoiced")


class Order(Model):
    _name = "sale.order"
    _inherit = ["mail.thread", "sale.document", "sale.status", "sale.printable"]
    _description = "Customer order"
    _order = "date desc, id desc"
    _sequence_code = "sale.order"

    contact_id = fields.Many2one("res.partner", "Contact person", ondelete="set null")
    quote_id = fields.Many2one("sale.quote", "Quote", ondelete="restrict", index=True, copy=False,
                               help="The price quote this order came from")
    date_promised = fields.Date("Delivery date", help="Availability warnings look at stock expected by this date")
    warehouse_id = fields.Many2one("stock.warehouse", "Warehouse", ondelete="restrict",
                                   help="Stock is reserved in and delivered from this warehouse (empty: the default)")
    line_ids = fields.One2many("sale.order.line", "order_id", "Lines", copy=True)
    delivery_ids = fields.One2many("sale.delivery", "order_id", "Delivery notes")
    confirm_warning = fields.Text("Warning at confirmation", readonly=True, copy=False)

    @api.depends("line_ids.price_subtotal", "vat_rate")
    def _compute_amounts(self):
        return super()._compute_amounts()

    def write(self, vals):
        result = super().write(vals)
        if {"partner_id", "date", "company_id"} & set(vals):
            for order in self:
                order.line_ids.with_context(sales_system=True).write(
                    {"partner_id": order.partner_id.id, "vat_rate": order.vat_rate})
        return result

    # -- confirmation and cancellation: the flow's moves, whether by button or bpm's bar ---
    @api.ui_callable
    def action_confirm(self):
        """Confirm draft orders (the checks and the stock reservation run on the move, see below)."""
        self._move("confirmed")
        return True

    @api.ui_callable
    def action_cancel(self):
        """Cancel orders nothing was delivered or invoiced of; their reservations are released."""
        self._move("cancelled")
        return True

    def _before_status(self, code):
        """A reason to refuse moving these orders to ``code`` (bpm's ``bpm_before_transition``), or None."""
        if code == "confirmed":
            empty = self.filtered(lambda order: not order.line_ids)
            if empty:
                return tr(self.env, "order {name} has no lines: add what the customer orders first",
                          name=empty[0].name)
            answers = [item for answer in self.env.hooks.sales_order_confirm_check(env=self.env, orders=self)
                       for item in (answer or ())]
            blocked = [item for item in answers if item.get("block")]
            if blocked:
                return blocked[0]["message"]
            warnings = {}
            for item in answers:
                warnings.setdefault(item["order_id"], []).append(item["message"])
            for order in self.filtered(lambda o: o.id in warnings):
                text = "\n".join(warnings[order.id])
                order.write({"confirm_warning": text})
                order.message_post(text)
        if code == "cancelled":
            done = self.filtered(lambda o: any(line.qty_delivered or line.qty_invoiced for line in o.line_ids))
            if done:
                return tr(self.env, "order {name} was partly delivered or invoiced", name=done[0].name)
        return None

    def _after_status(self, code):
        """Stock follows the flow (bpm's ``bpm_after_transition``): reserve on confirm, release on cancel."""
        if code == "confirmed":
            self._reserve_stock()
        elif code == "cancelled":
            self._release_stock()

    @api.ui_callable
    def action_close(self):
        self._move("closed")
        return True

    def _check_editable(self):
        closed = self.filtered(lambda o: o.status_code != "draft")
        if closed:
            raise UserError(tr(self.env, "Order {name} is {status}: its lines can no longer change",
                               name=closed[0].name, status=closed[0]._status_label()))

    # -- progress: deliveries and invoices move the order on ------------------------------
    def _update_progress(self):
        """Orders follow their deliveries and invoices: partial → delivered → invoiced."""
        paths = {}
        for order in self.filtered(lambda o: o.status_code in PROGRESS):
            lines = order.line_ids
            delivered = all(line.qty_delivered >= line.quantity for line in lines)
            invoiced = delivered and all(line.qty_invoiced >= line.quantity for line in lines)
            target = "invoiced" if invoiced else "delivered" if delivered else \
                "partial" if any(line.qty_delivered for line in lines) else order.status_code
            start, end = PROGRESS.index(order.status_code), PROGRESS.index(target)
            path = tuple(code for code in PROGRESS[start + 1:end + 1] if code != "partial" or target == "partial")
            if path:
                paths.setdefault(path, []).append(order.id)
        for path, ids in paths.items():
            for code in path:
                self.browse(ids)._move(code, system=True)

    # -- stock --------------------------------------------------------------------------
    def _reserve_stock(self):
        """Reserve the goods of these confirmed orders, in one batch."""
        rows = [{"product_id": line.product_id.id, "quantity": line.quantity,
                 "warehouse_id": order.warehouse_id.id or None, "res_model": "sale.order", "res_id": order.id,
                 "origin": order.name, "date": order.date_promised or order.date}
                for order in self for line in order.line_ids if line.product_id.type == "goods"]
        if rows:
            self.env["stock.reservation"].sudo().reserve(rows)

    def _release_stock(self):
        """Release what these orders still hold reserved."""
        if self:
            self.env["stock.reservation"].sudo().release("sale.order", self.ids)

    # -- delivery and invoicing ----------------------------------------------------------
    @api.ui_callable
    def action_create_delivery(self):
        """A draft delivery note with what is left to deliver (edit quantities, then validate)."""
        self.ensure_one()
        delivery = self.env["sale.delivery"].create_for_orders(self)
        return {"url": f"/web/m/sale.delivery/{delivery.id}", "delivery": delivery}

    def deliver(self, quantities=None, date=None):
        """Deliver and validate at once: ``quantities`` = ``{order line id: qty}`` (None: all that is left)."""
        deliveries = self.env["sale.delivery"].create_for_orders(self, quantities=quantities, date=date)
        deliveries.action_validate()
        return deliveries

    @api.ui_callable
    def action_create_invoice(self):
        """A draft tax invoice of what is ordered and not invoiced yet."""
        self.ensure_one()
        invoice = self.env["account.invoice"].create_from_orders(self)
        return {"url": f"/web/m/account.invoice/{invoice.id}", "invoice": invoice}


class OrderLine(Model):
    _name = "sale.order.line"
    _inherit = ["sale.document.line", "sale.availability.line"]
    _description = "Customer order line"
    _order = "sequence, id"
    _parent_field = "order_id"
    _FREE_FIELDS = frozenset({"qty_delivered", "qty_invoiced", "partner_id", "vat_rate"})

    order_id = fields.Many2one("sale.order", "Order", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True, index=True,
                                 help="The order's customer (kept with the order's)")
    vat_rate = fields.Decimal("VAT (%)", digits=2, readonly=True, help="The order's VAT rate (kept with the order's)")
    quote_line_id = fields.Many2one("sale.quote.line", "Quote line", ondelete="set null", index=True, copy=False)
    delivery_line_ids = fields.One2many("sale.delivery.line", "order_line_id", "Delivery lines")
    invoice_line_ids = fields.One2many("account.invoice.line", "order_line_id", "Invoice lines")
    qty_delivered = fields.Decimal("Quantity delivered", digits=3, default=0, readonly=True, copy=False,
                                   help="On validated delivery notes (kept up to date by their validation)")
    qty_invoiced = fields.Decimal("Quantity invoiced", digits=3, default=0, readonly=True, copy=False,
                                  help="On posted tax invoices (kept up to date by their posting)")
    open_amount = fields.Monetary("Open amount", compute="_compute_amounts_left", store=True,
                                  help="What is left to deliver, with VAT")
    uninvoiced_amount = fields.Monetary("Delivered, not invoiced", compute="_compute_amounts_left",
                                        store=True, help="What was delivered and not invoiced yet, with VAT")

    @api.depends("quantity", "price_subtotal", "qty_delivered", "qty_invoiced", "vat_rate")
    def _compute_amounts_left(self):
        """Open (ordered, not delivered) and uninvoiced (delivered, not invoiced) shares of the
        line total, with VAT: one pass for both, each value read once."""
        for line in self:
            quantity, delivered = line.quantity or 0, line.qty_delivered or 0
            subtotal, rate = line.price_subtotal or 0, line.vat_rate or 0
            line.open_amount = _share_with_vat(subtotal, quantity, quantity - delivered, rate)
            line.uninvoiced_amount = _share_with_vat(subtotal, quantity, delivered - (line.qty_invoiced or 0), rate)

    def _refresh_quantities(self):
        """Delivered (validated notes) and invoiced (posted tax invoices) quantities, written in
        batch: one write per distinct value, not per line."""
        delivered, invoiced = {}, {}
        for line in self:
            done = sum((d.quantity for d in line.delivery_line_ids if d.state == "done"), Decimal(0))
            billed = sum((i.quantity for i in line.invoice_line_ids if i.state == "posted" and i.kind == "invoice"),
                         Decimal(0))
            if done != line.qty_delivered:
                delivered.setdefault(done, []).append(line.id)
            if billed != line.qty_invoiced:
                invoiced.setdefault(billed, []).append(line.id)
        for name, groups in (("qty_delivered", delivered), ("qty_invoiced", invoiced)):
            for value, ids in groups.items():
                self.browse(ids).with_context(sales_system=True).write({name: value})

    def create(self, vals_list):
        vals_list = [dict(v) for v in ([vals_list] if isinstance(vals_list, dict) else vals_list)]
        orders = self.env["sale.order"].browse(tuple({v["order_id"] for v in vals_list if v.get("order_id")}))
        heads = {row["id"]: (row["partner_id"] and row["partner_id"]["id"], row["vat_rate"])
                 for row in orders.read(["partner_id", "vat_rate"])}
        for vals in vals_list:  # kept on the line: its open amounts then depend on the line only
            vals["partner_id"], vals["vat_rate"] = heads.get(vals.get("order_id"), (None, None))
        return super().create(vals_list)

    def write(self, vals):
        if self._FREE_FIELDS & set(vals) and not self.env.context.get("sales_system"):
            raise UserError(tr(self.env, "An order line's customer, VAT rate and delivered and invoiced "
                               "quantities follow its order, delivery notes and invoices"))
        return super().write(vals)

    def _quantity_needed(self):
        return max((self.quantity or 0) - (self.qty_delivered or 0), Decimal(0))

    def _own_reservations(self, lines):
        """What confirmed orders hold reserved already counts for them (one search)."""
        order_ids = list({line.order_id.id for line in lines if line.order_id.status_code != "draft"})
        if not order_ids:
            return {}
        held = {}
        for reservation in self.env["stock.reservation"].sudo().search([
                ("res_model", "=", "sale.order"), ("res_id", "in", order_ids), ("state", "=", "active")]):
            key = (reservation.res_id, reservation.product_id.id)
            held[key] = held.get(key, Decimal(0)) + reservation.quantity
        return held

    def qty_to_invoice(self):
        """``{line id: quantity}`` ordered and not on a tax invoice yet (drafts count)."""
        result = {}
        for line in self:
            on_invoices = sum((i.quantity for i in line.invoice_line_ids
                               if i.state != "cancelled" and i.kind == "invoice"), Decimal(0))
            result[line.id] = max(line.quantity - on_invoices, Decimal(0))
        return result


def _share_with_vat(subtotal, quantity, part, rate):
    """The line total's share for ``part`` of ``quantity`` (none when not above zero), plus
    VAT, each rounded to the agora."""
    if part <= 0 or not quantity:
        return ZERO
    return with_vat(round_agora(subtotal * part / quantity), rate)

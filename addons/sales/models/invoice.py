"""Tax invoices (חשבוניות מס) and credit notes (חשבוניות זיכוי).

A draft is free to change. Posting numbers it (gapless, per kind and year), checks the
allocation number rule, writes the customer ledger and fires ``sales_invoice_posted``.
A posted document never changes: a correction is a credit note. Nothing posted or
cancelled is ever deleted.
"""
import datetime as dt
from decimal import Decimal

from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from .tools import label, sequence_of, tr

KINDS = [("invoice", "Tax invoice"), ("credit_note", "Credit note")]
STATES = [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")]
PAYMENT_STATES = [("not_paid", "Not paid"), ("partial", "Partly paid"), ("paid", "Paid")]
SEQUENCES = {"invoice": "account.invoice", "credit_note": "account.credit_note"}
# fields the system still writes on a posted document (never the user)
SYSTEM_FIELDS = frozenset({"state", "name", "date_due", "allocation_number", "partner_tax_id", "print_count",
                           "posted_uid", "posted_date"})


class Invoice(Model):
    _name = "account.invoice"
    _inherit = ["mail.thread", "sale.document", "sale.printable"]
    _description = "Tax invoice"
    _order = "date desc, id desc"
    _number_on_create = False

    kind = fields.Selection(KINDS, "Kind", required=True, default="invoice", index=True)
    state = fields.Selection(STATES, "Status", required=True, default="draft", index=True, copy=False, tracking=True)
    date_due = fields.Date("Due date", copy=False)
    line_ids = fields.One2many("account.invoice.line", "invoice_id", "Lines", copy=True)
    order_ids = fields.Many2many("sale.order", "account_invoice_sale_order_rel", "invoice_id", "order_id",
                                 "Orders", copy=False)
    delivery_ids = fields.Many2many("sale.delivery", "account_invoice_sale_delivery_rel", "invoice_id",
                                    "delivery_id", "Delivery notes", copy=False)
    origin_invoice_id = fields.Many2one("account.invoice", "Credited invoice", ondelete="restrict", index=True,
                                        copy=False)
    credit_note_ids = fields.One2many("account.invoice", "origin_invoice_id", "Credit notes")
    allocation_number = fields.Char("Allocation number", copy=False,
                                    help="מספר הקצאה of the Tax Authority: needed on tax invoices to licensed "
                                         "dealers above the threshold in force on the invoice date")
    partner_tax_id = fields.Char("Customer tax id", readonly=True, copy=False,
                                 help="The customer's tax id when the document was posted")
    posted_uid = fields.Many2one("res.users", "Posted by", readonly=True, copy=False, ondelete="set null")
    posted_date = fields.Datetime("Posted on", readonly=True, copy=False)
    print_count = fields.Integer("Prints", default=0, readonly=True, copy=False)
    allocation_line_ids = fields.One2many("account.receipt.allocation", "invoice_id", "Payments")
    amount_paid = fields.Monetary("Paid", compute="_compute_payment", store=True)
    amount_residual = fields.Monetary("Left to pay", compute="_compute_payment", store=True)
    payment_state = fields.Selection(PAYMENT_STATES, "Payment", compute="_compute_payment", store=True, index=True)

    @api.depends("line_ids.price_subtotal", "vat_rate")
    def _compute_amounts(self):
        return super()._compute_amounts()

    @api.depends("amount_total", "state", "allocation_line_ids.amount", "allocation_line_ids.state",
                 "credit_note_ids.amount_total",
                 "credit_note_ids.state")
    def _compute_payment(self):
        for invoice in self:
            paid = sum((a.amount for a in invoice.allocation_line_ids if a.state == "posted"), Decimal(0))
            credited = sum((c.amount_total for c in invoice.credit_note_ids if c.state == "posted"), Decimal(0))
            total = invoice.amount_total or Decimal(0)
            residual = max(total - paid - credited, Decimal(0)) if invoice.kind == "invoice" else Decimal(0)
            invoice.amount_paid = paid
            invoice.amount_residual = residual
            invoice.payment_state = "paid" if total and not residual else "partial" if residual < total else "not_paid"

    # -- creating invoices from orders and delivery notes ---------------------------------
    def create_from_orders(self, orders, date=None):
        """Draft invoices, one per order, of what is ordered and not invoiced yet."""
        cancelled = orders.filtered(lambda o: o.status_code in ("draft", "cancelled", "closed"))
        if cancelled:
            raise UserError(tr(self.env, "Order {name} is {status}: only confirmed orders are invoiced",
                               name=cancelled[0].name, status=cancelled[0]._status_label()))
        values = []
        left = orders.mapped("line_ids").qty_to_invoice()
        for order in orders:
            lines = [_line_from(line, left[line.id]) for line in order.line_ids if left[line.id] > 0]
            if not lines:
                raise UserError(tr(self.env, "Order {name} has nothing left to invoice", name=order.name))
            values.append({**_header_from(order, date), "order_ids": [order.id], "line_ids": lines})
        return self.create(values)

    def create_from_deliveries(self, deliveries, date=None):
        """Draft invoices of delivered goods: one per customer, several delivery notes in one."""
        undelivered = deliveries.filtered(lambda d: d.state != "done")
        if undelivered:
            raise UserError(tr(self.env, "Delivery note {name} is not delivered: only delivered notes are invoiced",
                               name=undelivered[0].name or undelivered[0].id))
        groups = {}
        for delivery in deliveries.sorted(lambda d: (d.date, d.id)):
            groups.setdefault((delivery.partner_id.id, delivery.order_id.company_id.id), []).append(delivery)
        all_lines = deliveries.mapped("line_ids")
        left, order_left = all_lines.qty_to_invoice(), all_lines.mapped("order_line_id").qty_to_invoice()
        values = []
        for notes in groups.values():
            lines = []
            for delivery in notes:
                for line in delivery.line_ids:
                    quantity = min(left[line.id], order_left[line.order_line_id.id])
                    if quantity > 0:
                        order_left[line.order_line_id.id] -= quantity
                        lines.append({**_line_from(line.order_line_id, quantity), "delivery_line_id": line.id,
                                      "name": f"{line.name} ({delivery.name})"})
            if not lines:
                raise UserError(tr(self.env, "Delivery note {name} is already invoiced", name=notes[0].name))
            orders = self.env["sale.order"].browse(tuple({d.order_id.id for d in notes}))
            values.append({**_header_from(notes[0].order_id, date), "order_ids": orders.ids,
                           "delivery_ids": [d.id for d in notes], "line_ids": lines})
        return self.create(values)

    # -- posting ------------------------------------------------------------------------
    @api.ui_callable
    def action_post(self):
        """Post drafts: allocation numbers, numbers, due dates, the ledger, then the hook."""
        for invoice in self:
            if invoice.state != "draft":
                raise UserError(tr(self.env, "{document} {name} is not a draft: it was posted or cancelled",
                                   document=label(self.env, dict(KINDS)[invoice.kind]), name=invoice.name or ""))
            if not invoice.line_ids or invoice.amount_total <= 0:
                raise UserError(tr(self.env, "A document without lines or with a zero total cannot be posted"))
        self.filtered(lambda i: i.kind == "credit_note")._check_credit_limits()
        self.env["account.allocation.threshold"].ensure_allocation_numbers(self)
        sequences = {kind: sequence_of(self.env, code) for kind, code in SEQUENCES.items()
                     if any(i.kind == kind for i in self)}
        system = self.with_context(sales_system=True)
        ordered = system.sorted(lambda i: (i.date, i.id))  # numbers in date order
        numbers = {}
        for kind, sequence in sequences.items():
            of_kind = [invoice for invoice in ordered if invoice.kind == kind]
            numbers.update(zip((i.id for i in of_kind), sequence.next_numbers([i.date for i in of_kind])))
        for invoice in ordered:
            term = invoice.payment_term_id
            invoice.write({"name": numbers[invoice.id],
                           "date_due": term.due_date(invoice.date) if term else invoice.date,
                           "partner_tax_id": invoice.partner_id.tax_id})
        system.write({"state": "posted", "posted_uid": self.env.uid or None, "posted_date": fields.now()})
        self.env["account.ledger.entry"].sudo().record_invoices(self)
        self.mapped("line_ids.order_line_id")._refresh_quantities()
        self.mapped("order_ids")._update_progress()
        self.env.hooks.sales_invoice_posted(env=self.env, invoices=self)
        return True

    def _check_credit_limits(self):
        """A credit note credits no more than what is left of its invoice."""
        for note in self:
            origin = note.origin_invoice_id
            if not origin:
                continue
            if origin.state != "posted" or origin.kind != "invoice":
                raise UserError(tr(self.env, "A credit note credits a posted tax invoice"))
            credited = sum((c.amount_total for c in origin.credit_note_ids if c.state == "posted"), Decimal(0))
            if note.amount_total > origin.amount_total - credited:
                raise UserError(tr(self.env, "Credit note of {amount} is more than the {left} left to credit on "
                                   "invoice {name}", amount=note.amount_total,
                                   left=origin.amount_total - credited, name=origin.name))

    @api.ui_callable
    def action_credit_note(self, quantities=None):
        """A draft credit note of this posted invoice: every line, or ``{invoice line id: qty}``."""
        self.ensure_one()
        if self.state != "posted" or self.kind != "invoice":
            raise UserError(tr(self.env, "A credit note credits a posted tax invoice"))
        lines = []
        for line in self.line_ids:
            quantity = line.quantity if quantities is None else quantities.get(line.id)
            if quantity:
                lines.append({"product_id": line.product_id.id, "name": line.name, "quantity": quantity,
                              "uom_id": line.uom_id.id, "price_unit": line.price_unit, "discount": line.discount,
                              "price_explanation": line.price_explanation, "order_line_id": line.order_line_id.id})
        note = self.create({"kind": "credit_note", "origin_invoice_id": self.id, "partner_id": self.partner_id.id,
                            "company_id": self.company_id.id, "currency_id": self.currency_id.id,
                            "date": dt.date.today(), "payment_term_id": self.payment_term_id.id,
                            "client_ref": self.client_ref, "user_id": self.user_id.id, "line_ids": lines})
        return {"url": f"/web/m/account.invoice/{note.id}", "credit_note": note}

    @api.ui_callable
    def action_cancel(self):
        """Cancel drafts (kept, never deleted); a posted document is corrected by a credit note."""
        posted = self.filtered(lambda i: i.state != "draft")
        if posted:
            raise UserError(tr(self.env, "{name} is posted: it cannot be cancelled, issue a credit note instead",
                               name=posted[0].name))
        self.with_context(sales_system=True).write({"state": "cancelled"})
        return True

    # -- immutability ---------------------------------------------------------------------
    def write(self, vals):
        if not (self.env.context.get("sales_system") and set(vals) <= SYSTEM_FIELDS):
            locked = self.filtered(lambda i: i.state != "draft")
            if locked:
                raise UserError(tr(self.env, "{name} is posted or cancelled: it cannot be changed (correct a "
                                   "posted invoice with a credit note)", name=locked[0].name or locked[0].id))
        return super().write(vals)

    def unlink(self):
        if self.filtered(lambda i: i.state != "draft"):
            raise UserError(tr(self.env, "Posted and cancelled documents are kept, never deleted"))
        return super().unlink()

    def _check_editable(self):
        locked = self.filtered(lambda i: i.state != "draft")
        if locked:
            raise UserError(tr(self.env, "{name} is posted or cancelled: it cannot be changed (correct a "
                               "posted invoice with a credit note)", name=locked[0].name or locked[0].id))

    @api.constrains("kind", "origin_invoice_id", "partner_id")
    def _check_origin(self):
        for invoice in self:
            origin = invoice.origin_invoice_id
            if origin and (invoice.kind != "credit_note" or origin.partner_id != invoice.partner_id):
                raise ValidationError(tr(self.env, "Only a credit note of the same customer refers to an invoice"),
                                      field="origin_invoice_id")


class InvoiceLine(Model):
    _name = "account.invoice.line"
    _inherit = ["sale.document.line"]
    _description = "Tax invoice line"
    _order = "sequence, id"
    _parent_field = "invoice_id"

    invoice_id = fields.Many2one("account.invoice", "Invoice", required=True, ondelete="cascade", index=True)
    order_line_id = fields.Many2one("sale.order.line", "Order line", ondelete="restrict", index=True)
    delivery_line_id = fields.Many2one("sale.delivery.line", "Delivery line", ondelete="restrict", index=True)
    state = fields.Selection(STATES, "Status", compute="_compute_parent", store=True, index=True)
    kind = fields.Selection(KINDS, "Kind", compute="_compute_parent", store=True)

    @api.depends("invoice_id.state", "invoice_id.kind")
    def _compute_parent(self):
        for line in self:
            line.state, line.kind = line.invoice_id.state, line.invoice_id.kind


def _header_from(order, date):
    return {"partner_id": order.partner_id.id, "company_id": order.company_id.id,
            "currency_id": order.currency_id.id, "date": date or dt.date.today(),
            "payment_term_id": order.payment_term_id.id, "client_ref": order.client_ref, "user_id": order.user_id.id}


def _line_from(order_line, quantity):
    return {"order_line_id": order_line.id, "product_id": order_line.product_id.id, "name": order_line.name,
            "quantity": quantity, "uom_id": order_line.uom_id.id, "price_unit": order_line.price_unit,
            "discount": order_line.discount, "price_explanation": order_line.price_explanation,
            "sequence": order_line.sequence}

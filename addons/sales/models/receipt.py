"""Receipts (קבלות): payment lines (cash, transfer, card, checks) allocated to invoices.

Posting numbers a receipt, writes one credit to the customer ledger and allocates it:
to the invoices given, or — when none is — to the customer's open invoices, oldest due
first. What is not allocated stays as the customer's credit (the ledger shows it).
"""
import datetime as dt
from decimal import Decimal

from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from .tools import sequence_of, tr

RECEIPT_STATES = [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")]
SYSTEM_FIELDS = frozenset({"state", "name", "print_count"})


class Receipt(Model):
    _name = "account.receipt"
    _inherit = ["mail.thread", "sale.printable"]
    _description = "Receipt"
    _order = "date desc, id desc"

    name = fields.Char("Number", readonly=True, copy=False, index=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one("res.company", "Company", required=True, ondelete="restrict",
                                 default=lambda self: self.env["sale.quote"]._default_company())
    currency_id = fields.Many2one("res.currency", "Currency", required=True, ondelete="restrict",
                                  default=lambda self: self.env.ref("base.ILS"))
    date = fields.Date("Date", required=True, default=lambda self: dt.date.today(), index=True)
    user_id = fields.Many2one("res.users", "Received by", ondelete="set null",
                              default=lambda self: self.env.uid if self.env.uid else None)
    state = fields.Selection(RECEIPT_STATES, "Status", required=True, default="draft", index=True, copy=False,
                             tracking=True)
    payment_ids = fields.One2many("account.payment", "receipt_id", "Payments", copy=True)
    allocation_ids = fields.One2many("account.receipt.allocation", "receipt_id", "Allocated to invoices")
    note = fields.Text("Note")
    print_count = fields.Integer("Prints", default=0, readonly=True, copy=False)
    amount_total = fields.Monetary("Amount", compute="_compute_amounts", store=True)
    amount_allocated = fields.Monetary("Allocated", compute="_compute_amounts", store=True)
    amount_unallocated = fields.Monetary("Customer credit", compute="_compute_amounts", store=True,
                                         help="Not allocated to an invoice: the customer's credit")

    @api.depends("payment_ids.amount", "allocation_ids.amount")
    def _compute_amounts(self):
        for receipt in self:
            total = sum((p.amount for p in receipt.payment_ids), Decimal("0.00"))
            allocated = sum((a.amount for a in receipt.allocation_ids), Decimal("0.00"))
            receipt.amount_total, receipt.amount_allocated = total, allocated
            receipt.amount_unallocated = total - allocated

    def create(self, vals_list):
        vals_list = [dict(v) for v in ([vals_list] if isinstance(vals_list, dict) else vals_list)]
        partners = self.env["res.partner"].browse(tuple({v["partner_id"] for v in vals_list if v.get("partner_id")}))
        if partners:
            merged = {}
            for answer in self.env.hooks.sales_document_defaults(env=self.env, model_name=self._name,
                                                                 partners=partners):
                for partner_id, values in (answer or {}).items():
                    merged.setdefault(partner_id, {}).update(values)
            for vals in vals_list:
                for name, value in merged.get(vals.get("partner_id"), {}).items():
                    if name in self._fields and name not in vals:
                        vals[name] = value
        return super().create(vals_list)

    # -- posting ------------------------------------------------------------------------
    @api.ui_callable
    def action_post(self):
        """Check, number, write the ledger, allocate (the given invoices or the oldest open)."""
        for receipt in self:
            if receipt.state != "draft":
                raise UserError(tr(self.env, "Receipt {name} is not a draft", name=receipt.name))
            if not receipt.payment_ids or receipt.amount_total <= 0:
                raise UserError(tr(self.env, "A receipt needs at least one payment with an amount"))
        self.mapped("payment_ids")._check_details()
        self._check_allocations()
        system = self.with_context(sales_system=True)
        ordered = system.sorted(lambda r: (r.date, r.id))  # numbers in date order
        numbers = sequence_of(self.env, "account.receipt").next_numbers([r.date for r in ordered])
        for receipt, number in zip(ordered, numbers):
            receipt.write({"name": number})
        system.write({"state": "posted"})
        self.filtered(lambda r: not r.allocation_ids)._allocate_oldest()
        self.env["account.ledger.entry"].sudo().record_receipts(self)
        self.env.hooks.sales_receipt_posted(env=self.env, receipts=self)
        return True

    def _check_allocations(self):
        """Allocations go to posted tax invoices of the customer, within what is left to pay."""
        per_invoice = {}
        for receipt in self:
            if receipt.amount_allocated > receipt.amount_total:
                raise UserError(tr(self.env, "Receipt of {total} cannot allocate {allocated}",
                                   total=receipt.amount_total, allocated=receipt.amount_allocated))
            for allocation in receipt.allocation_ids:
                invoice = allocation.invoice_id
                if invoice.state != "posted" or invoice.kind != "invoice" or invoice.partner_id != receipt.partner_id:
                    raise UserError(tr(self.env, "A receipt is allocated to posted tax invoices of its customer"))
                per_invoice[invoice] = per_invoice.get(invoice, Decimal(0)) + allocation.amount
        for invoice, amount in per_invoice.items():
            if amount > invoice.amount_residual:
                raise UserError(tr(self.env, "Invoice {name} has {left} left to pay, not {amount}",
                                   name=invoice.name, left=invoice.amount_residual, amount=amount))

    def _allocate_oldest(self):
        """Allocate to the customers' open invoices, oldest due date first (one search)."""
        if not self:
            return
        invoices = self.env["account.invoice"].sudo().search([
            ("partner_id", "in", self.mapped("partner_id").ids), ("kind", "=", "invoice"), ("state", "=", "posted"),
            ("payment_state", "!=", "paid")], order="date_due, date, id")
        left = {invoice.id: invoice.amount_residual for invoice in invoices}
        rows = []
        for receipt in self:
            money = receipt.amount_total
            for invoice in invoices:
                if money <= 0:
                    break
                if invoice.partner_id != receipt.partner_id or left[invoice.id] <= 0:
                    continue
                amount = min(money, left[invoice.id])
                rows.append({"receipt_id": receipt.id, "invoice_id": invoice.id, "amount": amount})
                left[invoice.id] -= amount
                money -= amount
        if rows:
            self.env["account.receipt.allocation"].sudo().with_context(sales_system=True).create(rows)

    @api.ui_callable
    def action_cancel(self):
        """Cancel: a draft simply; a posted receipt is reversed in the ledger, its invoices open again."""
        if self.mapped("payment_ids").filtered(lambda p: p.check_state in ("deposited", "cleared")):
            raise UserError(tr(self.env, "A receipt with a deposited or cleared check cannot be cancelled"))
        posted = self.filtered(lambda r: r.state == "posted")
        self.with_context(sales_system=True).write({"state": "cancelled"})
        if posted:
            self.env["account.ledger.entry"].sudo().record_receipt_cancellations(posted, dt.date.today())
        return True

    def _bounced_total(self):
        self.ensure_one()
        return sum((p.amount for p in self.payment_ids if p.check_state == "bounced"), Decimal(0))

    def write(self, vals):
        if not (self.env.context.get("sales_system") and set(vals) <= SYSTEM_FIELDS):
            locked = self.filtered(lambda r: r.state != "draft")
            if locked:
                raise UserError(tr(self.env, "Receipt {name} is posted or cancelled: it cannot be changed",
                                   name=locked[0].name))
        return super().write(vals)

    def unlink(self):
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(tr(self.env, "Posted and cancelled documents are kept, never deleted"))
        return super().unlink()

    def _check_editable(self):
        locked = self.filtered(lambda r: r.state != "draft")
        if locked:
            raise UserError(tr(self.env, "Receipt {name} is posted or cancelled: it cannot be changed",
                               name=locked[0].name))


class ReceiptAllocation(Model):
    _name = "account.receipt.allocation"
    _inherit = ["account.receipt.part"]
    _description = "Receipt allocation"
    _order = "id"

    receipt_id = fields.Many2one("account.receipt", "Receipt", required=True, ondelete="cascade", index=True)
    invoice_id = fields.Many2one("account.invoice", "Invoice", required=True, ondelete="restrict", index=True)
    amount = fields.Monetary("Amount", required=True)
    state = fields.Selection(RECEIPT_STATES, "Status", compute="_compute_state", store=True, index=True)

    @api.depends("receipt_id.state")
    def _compute_state(self):
        for allocation in self:
            allocation.state = allocation.receipt_id.state

    @api.constrains("amount")
    def _check_amount(self):
        for allocation in self:
            if allocation.amount is None or allocation.amount <= 0 and not self.env.context.get("sales_system"):
                raise ValidationError(tr(self.env, "An allocated amount must be more than zero"), field="amount")

    def create(self, vals_list):
        vals_list = [vals_list] if isinstance(vals_list, dict) else list(vals_list)
        if not self.env.context.get("sales_system"):  # a bounced check re-allocates a posted receipt
            self._check_receipts_editable(vals_list)
        return super().create(vals_list)

"""The customer ledger (כרטסת לקוח): one entry per posted invoice, credit note, receipt,
bounced check or cancelled receipt, never changed. Debit = the customer owes more.

A balance at any date is one aggregate query for any number of customers; a statement
is the entries in date order with a running balance after the balance carried forward.
"""
from decimal import Decimal

from core.exceptions import UserError
from core.orm import Model, fields

from .tools import sums_by_partner, tr

ENTRY_KINDS = [("invoice", "Tax invoice"), ("credit_note", "Credit note"), ("receipt", "Receipt"),
               ("bounced_check", "Bounced check"), ("receipt_cancelled", "Receipt cancelled")]
ZERO = Decimal("0.00")


class LedgerEntry(Model):
    _name = "account.ledger.entry"
    _description = "Customer ledger entry"
    _order = "date, id"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one("res.company", "Company", ondelete="restrict", index=True)
    currency_id = fields.Many2one("res.currency", "Currency", ondelete="restrict")
    date = fields.Date("Date", required=True, index=True)
    kind = fields.Selection(ENTRY_KINDS, "Kind", required=True)
    name = fields.Char("Document", required=True)
    description = fields.Char("Details")
    debit = fields.Monetary("Debit", required=True, default=0)
    credit = fields.Monetary("Credit", required=True, default=0)
    invoice_id = fields.Many2one("account.invoice", "Invoice", ondelete="restrict", index=True)
    receipt_id = fields.Many2one("account.receipt", "Receipt", ondelete="restrict", index=True)
    payment_id = fields.Many2one("account.payment", "Check", ondelete="restrict", index=True)

    # -- writing: only through the documents that post -------------------------------------
    def create(self, vals_list):
        if not self.env.context.get("sales_ledger"):
            raise UserError(tr(self.env, "Ledger entries are written by posting documents, not by hand"))
        return super().create(vals_list)

    def write(self, vals):
        raise UserError(tr(self.env, "Ledger entries never change: post a correcting document"))

    def unlink(self):
        raise UserError(tr(self.env, "Ledger entries are never deleted"))

    def _add(self, rows):
        return self.sudo().with_context(sales_ledger=True).create(rows) if rows else self.browse()

    def record_invoices(self, invoices):
        return self._add([{
            "partner_id": inv.partner_id.id, "company_id": inv.company_id.id, "currency_id": inv.currency_id.id,
            "date": inv.date, "kind": inv.kind, "name": inv.name, "invoice_id": inv.id,
            "debit": inv.amount_total if inv.kind == "invoice" else ZERO,
            "credit": inv.amount_total if inv.kind == "credit_note" else ZERO,
            "description": inv.origin_invoice_id.name or None} for inv in invoices])

    def record_receipts(self, receipts):
        return self._add([{
            "partner_id": rec.partner_id.id, "company_id": rec.company_id.id, "currency_id": rec.currency_id.id,
            "date": rec.date, "kind": "receipt", "name": rec.name, "receipt_id": rec.id,
            "debit": ZERO, "credit": rec.amount_total} for rec in receipts])

    def record_receipt_cancellations(self, receipts, date):
        return self._add([{
            "partner_id": rec.partner_id.id, "company_id": rec.company_id.id, "currency_id": rec.currency_id.id,
            "date": date, "kind": "receipt_cancelled", "name": rec.name, "receipt_id": rec.id,
            "debit": rec.amount_total - rec._bounced_total(), "credit": ZERO} for rec in receipts])

    def record_bounced(self, payments, date):
        return self._add([{
            "partner_id": pay.receipt_id.partner_id.id, "company_id": pay.receipt_id.company_id.id,
            "currency_id": pay.receipt_id.currency_id.id, "date": date, "kind": "bounced_check",
            "name": pay.receipt_id.name, "receipt_id": pay.receipt_id.id, "payment_id": pay.id,
            "description": pay.check_label(), "debit": pay.amount, "credit": ZERO} for pay in payments])

    # -- reading -----------------------------------------------------------------------
    def balances(self, partner_ids, date=None):
        """``{partner_id: balance}`` (debit − credit) at the end of ``date`` (None: everything), one query."""
        domain = [("date", "<=", fields.Date().convert(date))] if date else []
        sums = sums_by_partner(self.sudo(), ["debit", "credit"], domain, list(partner_ids))
        return {pid: debit - credit for pid, (debit, credit) in sums.items()}

    def statement(self, partner, date_from=None, date_to=None):
        """``{"opening", "lines": [(entry, running balance)], "closing", "debit", "credit"}`` of one customer."""
        partner.ensure_one()
        opening = ZERO
        if date_from:
            day_before = date_from.fromordinal(date_from.toordinal() - 1)
            opening = self.balances([partner.id], day_before)[partner.id]
        domain = [("partner_id", "=", partner.id)]
        domain += [("date", ">=", date_from)] if date_from else []
        domain += [("date", "<=", date_to)] if date_to else []
        entries = self.search(domain, order="date, id")
        lines, running, debit, credit = [], opening, ZERO, ZERO
        for entry in entries:
            running += entry.debit - entry.credit
            debit, credit = debit + entry.debit, credit + entry.credit
            lines.append((entry, running))
        return {"opening": opening, "lines": lines, "closing": running, "debit": debit, "credit": credit}

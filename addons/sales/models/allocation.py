"""Allocation numbers (מספר הקצאה): the dated thresholds and the posting rule.

A tax invoice to a licensed dealer whose amount before VAT is above the threshold in
force on the invoice date cannot be posted without an allocation number. The
thresholds are data (``data/allocation_thresholds.xml``); the number is typed by hand
or obtained through the ``sales_allocation_number`` hook (a provider asks the Tax
Authority).
"""
from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from .tools import tr


class AllocationThreshold(Model):
    _name = "account.allocation.threshold"
    _description = "Allocation number threshold"
    _order = "date_from desc"
    _rec_name = "amount"

    date_from = fields.Date("Valid from", required=True)
    amount = fields.Monetary("Threshold before VAT", required=True,
                             help="Tax invoices above this amount (before VAT) need an allocation number")

    _sql_constraints = [("date_from_uniq", "unique(date_from)", "Another threshold starts on this date")]

    @api.constrains("amount")
    def _check_amount(self):
        for threshold in self:
            if threshold.amount is None or threshold.amount < 0:
                raise ValidationError(tr(self.env, "A threshold cannot be negative"), field="amount")

    def threshold_on(self, dates):
        """``{date: threshold amount or None}`` for many dates, with one query."""
        rows = [(t.date_from, t.amount) for t in self.sudo().search([], order="date_from desc")]
        return {date: next((amount for start, amount in rows if start <= date), None) for date in set(dates)}

    def needs_allocation(self, invoices):
        """The posted-to-be tax invoices of ``invoices`` that need an allocation number."""
        limits = self.threshold_on([invoice.date for invoice in invoices])
        return invoices.filtered(lambda i: i.kind == "invoice" and i.partner_id.commercial_partner().vat_dealer_type
                                 == "licensed" and limits[i.date] is not None and i.amount_untaxed > limits[i.date])

    def ensure_allocation_numbers(self, invoices):
        """Ask the hook for the missing numbers; refuse (nothing written) when one stays missing."""
        needed = self.needs_allocation(invoices)
        missing = needed.filtered(lambda i: not (i.allocation_number or "").strip())
        if missing:
            answer = self.env.hooks.sales_allocation_number(env=self.env, invoices=missing) or {}
            for invoice in missing:
                number = (answer.get(invoice.id) or "").strip()
                if number:
                    invoice.write({"allocation_number": number})
        still = needed.filtered(lambda i: not (i.allocation_number or "").strip())
        if still:
            invoice = still[0]
            raise UserError(tr(self.env, "Invoice to {customer}: {amount} before VAT is above the threshold of "
                               "{threshold} in force on {date}; enter its allocation number first",
                               customer=invoice.partner_id.name, amount=invoice.amount_untaxed,
                               threshold=self.threshold_on([invoice.date])[invoice.date], date=invoice.date))
        no_tax_id = needed.filtered(lambda i: not i.partner_id.commercial_partner().tax_id)
        if no_tax_id:
            raise UserError(tr(self.env, "{customer} is a licensed dealer without a tax id: an invoice with an "
                               "allocation number names the customer's tax id", customer=no_tax_id[0].partner_id.name))

"""Customers get their VAT dealer status and the sales figures other addons read in batch."""
from core.orm import Model, fields

from .order import OPEN_STATUSES
from .payment import postdated_totals
from .tools import sums_by_partner

DEALER_TYPES = [("licensed", "Licensed dealer"), ("exempt", "Exempt dealer"), ("private", "Not a dealer")]


class PartnerSales(Model):
    _inherit = "res.partner"

    vat_dealer_type = fields.Selection(DEALER_TYPES, "VAT status", default="licensed", tracking=True,
                                       help="עוסק מורשה / עוסק פטור: tax invoices to licensed dealers above the "
                                            "threshold need an allocation number")

    # -- the four customer amounts (credit, agents and reports read them), one query each --
    def sales_open_order_amounts(self):
        """``{partner_id: amount}`` left to deliver on confirmed orders, with VAT."""
        return self._sum_by_partner("sale.order.line", "open_amount",
                                    [("order_id.status_code", "in", list(OPEN_STATUSES))])

    def sales_uninvoiced_amounts(self):
        """``{partner_id: amount}`` delivered and not invoiced yet (posted invoices), with VAT."""
        return self._sum_by_partner("sale.order.line", "uninvoiced_amount",
                                    [("uninvoiced_amount", ">", 0), ("order_id.status_code", "!=", "cancelled")])

    def sales_ledger_balances(self, date=None):
        """``{partner_id: balance}`` of the customer ledger at the end of ``date`` (None: today and after)."""
        return self.env["account.ledger.entry"].balances(self.ids, date)

    def sales_postdated_checks(self):
        """``{partner_id: amount}`` of post-dated checks received and not cleared yet."""
        return postdated_totals(self.env, self.ids)

    def _sum_by_partner(self, model, field, domain):
        model = self.env[model].sudo()
        model._check_access("read")
        return {pid: values[0] for pid, values in sums_by_partner(model, [field], domain, self.ids).items()}

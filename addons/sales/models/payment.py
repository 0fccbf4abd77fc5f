"""A receipt's payment lines: cash, bank transfer, credit card, checks.

A check carries its bank, branch, account, number and due date; it is post-dated (צ'ק
דחוי) when due after the receipt date. A check of a posted receipt moves in hand →
deposited → cleared, or bounced (from in hand or deposited): a bounced check is debited
back to the customer's ledger and its amount is taken off the receipt's allocations
(latest first), so the invoices it paid are open again.
"""
import datetime as dt
from decimal import Decimal

from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from .tools import label, sums_by_partner, tr

METHODS = [("cash", "Cash"), ("transfer", "Bank transfer"), ("credit_card", "Credit card"), ("check", "Check")]
CHECK_STATES = [("in_hand", "In hand"), ("deposited", "Deposited"), ("cleared", "Cleared"), ("bounced", "Bounced")]
CHECK_MOVES = {"deposited": ("in_hand",), "cleared": ("deposited",), "bounced": ("in_hand", "deposited")}
CHECK_FIELDS = ("bank", "branch", "account_number", "check_number", "due_date")


class Payment(Model):
    _name = "account.payment"
    _inherit = ["account.receipt.part"]
    _description = "Payment"
    _order = "receipt_id, id"
    _rec_name = "check_number"

    receipt_id = fields.Many2one("account.receipt", "Receipt", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Customer", compute="_compute_receipt", store=True, index=True)
    receipt_date = fields.Date("Receipt date", compute="_compute_receipt", store=True)
    receipt_state = fields.Selection([("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")],
                                     "Receipt status", compute="_compute_receipt", store=True, index=True)
    method = fields.Selection(METHODS, "Payment method", required=True, default="cash", index=True)
    amount = fields.Monetary("Amount", required=True)
    reference = fields.Char("Reference", help="Transfer reference or card approval number")
    bank = fields.Char("Bank")
    branch = fields.Char("Branch")
    account_number = fields.Char("Account")
    check_number = fields.Char("Check no.")
    due_date = fields.Date("Due date", index=True)
    is_postdated = fields.Boolean("Post-dated", compute="_compute_postdated", store=True, index=True)
    check_state = fields.Selection(CHECK_STATES, "Check status", index=True, copy=False)
    check_state_date = fields.Date("Check status since", copy=False)

    @api.depends("receipt_id.partner_id", "receipt_id.date", "receipt_id.state")
    def _compute_receipt(self):
        for payment in self:
            receipt = payment.receipt_id
            payment.partner_id, payment.receipt_date, payment.receipt_state = \
                receipt.partner_id, receipt.date, receipt.state

    @api.depends("method", "due_date", "receipt_date")
    def _compute_postdated(self):
        for payment in self:
            payment.is_postdated = bool(payment.method == "check" and payment.due_date and payment.receipt_date
                                        and payment.due_date > payment.receipt_date)

    @api.constrains("amount")
    def _check_amount(self):
        for payment in self:
            if payment.amount is None or payment.amount <= 0:
                raise ValidationError(tr(self.env, "A payment amount must be more than zero"), field="amount")

    def create(self, vals_list):
        vals_list = [dict(v) for v in ([vals_list] if isinstance(vals_list, dict) else vals_list)]
        self._check_receipts_editable(vals_list)
        for vals in vals_list:  # a new check is in hand; other payments have no check status
            vals["check_state"] = "in_hand" if vals.get("method") == "check" else None
        return super().create(vals_list)

    def _check_details(self):
        """A check names its bank, branch, account, number and due date."""
        for payment in self.filtered(lambda p: p.method == "check"):
            missing = [name for name in CHECK_FIELDS if not payment[name]]
            if missing:
                raise ValidationError(tr(self.env, "A check needs its {field}",
                                         field=label(self.env, payment._fields[missing[0]].string)),
                                      field=missing[0])

    def check_label(self):
        self.ensure_one()
        return tr(self.env, "Check {number}, bank {bank} branch {branch}, due {due}", number=self.check_number,
                  bank=self.bank, branch=self.branch, due=self.due_date)

    # -- the life of a check ---------------------------------------------------------------
    def _move_checks(self, state, date):
        date = fields.Date().convert(date) if date else dt.date.today()
        for payment in self:
            if payment.method != "check" or payment.receipt_state != "posted":
                raise UserError(tr(self.env, "Only checks of posted receipts are deposited, cleared or bounced"))
            if payment.check_state not in CHECK_MOVES[state]:
                raise UserError(tr(self.env, "Check {number} is {old}: it cannot become {new}",
                                   number=payment.check_number, old=self._state_label(payment.check_state),
                                   new=self._state_label(state)))
        self.with_context(sales_system=True).write({"check_state": state, "check_state_date": date})
        return date

    def _state_label(self, state):
        return label(self.env, dict(CHECK_STATES)[state])

    @api.ui_callable
    def action_deposit(self, date=None):
        self._move_checks("deposited", date)
        return True

    @api.ui_callable
    def action_clear(self, date=None):
        self._move_checks("cleared", date)
        return True

    @api.ui_callable
    def action_bounce(self, date=None):
        """The check came back: the debt it paid is open again (ledger debit, allocations reduced)."""
        date = self._move_checks("bounced", date)
        self.env["account.ledger.entry"].sudo().record_bounced(self, date)
        for payment in self:
            left = payment.amount
            for allocation in payment.receipt_id.allocation_ids.sorted(lambda a: -a.id):
                if left <= 0:
                    break
                taken = min(left, allocation.amount)
                allocation.with_context(sales_system=True).write({"amount": allocation.amount - taken})
                left -= taken
        self.env.hooks.sales_check_bounced(env=self.env, payments=self)
        return True


def postdated_totals(env, partner_ids):
    """``{partner_id: amount}`` of post-dated checks of posted receipts not cleared yet (one query)."""
    sums = sums_by_partner(env["account.payment"].sudo(), ["amount"], [
        ("method", "=", "check"), ("is_postdated", "=", True), ("receipt_state", "=", "posted"),
        ("check_state", "in", ["in_hand", "deposited"])], partner_ids)
    return {pid: values[0] for pid, values in sums.items()}

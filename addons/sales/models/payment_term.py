"""Payment terms: net N days, or end of month plus N days (שוטף + 30)."""
import calendar
import datetime as dt

from core.exceptions import ValidationError
from core.orm import Model, api, fields

from .tools import tr


class PaymentTerm(Model):
    _name = "sale.payment.term"
    _description = "Payment terms"
    _order = "sequence, id"

    name = fields.Char("Name", required=True, translate=True)
    sequence = fields.Integer("Sequence", default=10)
    days = fields.Integer("Days", required=True, default=0)
    end_of_month = fields.Boolean("From the end of the month", help="שוטף: count the days from the end of the "
                                  "month of the document")
    active = fields.Boolean("Active", default=True)

    @api.constrains("days")
    def _check_days(self):
        for term in self:
            if (term.days or 0) < 0:
                raise ValidationError(tr(self.env, "Payment terms cannot have a negative number of days"),
                                      field="days")

    def due_date(self, date):
        """The date a document dated ``date`` falls due under these terms."""
        self.ensure_one()
        if self.end_of_month:
            date = date.replace(day=calendar.monthrange(date.year, date.month)[1])
        return date + dt.timedelta(days=self.days or 0)

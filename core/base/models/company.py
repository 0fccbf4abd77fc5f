"""Companies, currencies and the date-effective VAT rates of a company."""
import datetime as dt
from decimal import Decimal

from core.exceptions import UserError, ValidationError
from core.i18n import _
from core.orm import Model, api, fields


class Currency(Model):
    _name = "res.currency"
    _description = "Currency"
    _order = "name"

    name = fields.Char("Code", size=3, required=True, help="ISO 4217 code, e.g. ILS")
    symbol = fields.Char("Symbol", required=True)
    digits = fields.Integer("Decimal places", default=2)
    active = fields.Boolean("Active", default=True)

    _sql_constraints = [("name_uniq", "unique(name)", "A currency with this code already exists")]

    def round(self, amount):
        """``amount`` rounded half-up to this currency's smallest unit."""
        self.ensure_one()
        from decimal import ROUND_HALF_UP
        return Decimal(amount).quantize(Decimal(1).scaleb(-(self.digits or 0)), rounding=ROUND_HALF_UP)


class Company(Model):
    _name = "res.company"
    _description = "Company"
    _order = "name"

    name = fields.Char("Name", required=True)
    currency_id = fields.Many2one("res.currency", "Currency", required=True, ondelete="restrict")
    lang = fields.Selection([("he", "Hebrew"), ("en", "English")], "Language", default="he")
    tax_id = fields.Char("Company number")
    street = fields.Char("Street")
    city = fields.Char("City")
    phone = fields.Char("Phone")
    email = fields.Char("Email")
    vat_rate_ids = fields.One2many("res.vat.rate", "company_id", "VAT rates", copy=True)

    def vat_rate(self, date=None):
        """The VAT rate (a percentage, e.g. Decimal('18.00')) in force on ``date``."""
        self.ensure_one()
        date = fields.Date().convert(date) if date else dt.date.today()
        rates = self.env["res.vat.rate"].search([("company_id", "=", self.id), ("date_from", "<=", date),
                                                 "|", ("date_to", "=", False), ("date_to", ">=", date)],
                                                order="date_from desc", limit=1)
        if not rates:
            raise UserError(_("%(company)s: no VAT rate is defined for %(date)s") % {"company": self.name,
                                                                                    "date": date.isoformat()})
        return rates.rate


class VatRate(Model):
    _name = "res.vat.rate"
    _description = "VAT rate"
    _order = "date_from desc"
    _rec_name = "rate"

    company_id = fields.Many2one("res.company", "Company", required=True, ondelete="cascade")
    date_from = fields.Date("Valid from", required=True)
    date_to = fields.Date("Valid until")
    rate = fields.Decimal("Rate (%)", digits=2, required=True)

    _sql_constraints = [("rate_range", "check(rate >= 0)", "A VAT rate cannot be negative")]

    @api.constrains("date_from", "date_to", "company_id")
    def _check_overlap(self):
        for rate in self:
            if rate.date_to and rate.date_to < rate.date_from:
                raise ValidationError(_("A VAT rate must end after it starts"), field="date_to")
            domain = [("company_id", "=", rate.company_id.id), ("id", "!=", rate.id),
                      "|", ("date_to", "=", False), ("date_to", ">=", rate.date_from)]
            if rate.date_to:
                domain.append(("date_from", "<=", rate.date_to))
            if self.search_count(domain):
                raise ValidationError(_("VAT rates of %(company)s overlap around %(date)s")
                                      % {"company": rate.company_id.name, "date": rate.date_from.isoformat()},
                                      field="date_from")

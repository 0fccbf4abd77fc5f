"""Suppliers' product information: who sells a product to us, under what code, at what price.

Also the base of customer prices "based on the supplier's price list" (pricelist addon):
``best_for(product_ids, ...)`` answers the supplier line that applies, in one query.
"""
import datetime as dt

from core.exceptions import ValidationError
from core.orm import Model, api, fields

from ..tools import to_date, to_qty, tr


class SupplierInfo(Model):
    _name = "stock.supplierinfo"
    _inherit = ["mail.thread"]
    _description = "Supplier price"
    _order = "product_id, sequence, price"
    _rec_name = "product_code"

    partner_id = fields.Many2one("res.partner", "Supplier", required=True, ondelete="cascade", index=True,
                                 domain=[["supplier", "=", True]], tracking=True)
    product_id = fields.Many2one("product.product", "Product", required=True, ondelete="cascade", index=True)
    product_code = fields.Char("Supplier item code", help="The supplier's own code (מק\"ט) for this product")
    product_name = fields.Char("Supplier product name")
    sequence = fields.Integer("Priority", default=10, help="The lowest number is the preferred supplier")
    price = fields.Monetary("Price", required=True, default=0, tracking=True)
    currency_id = fields.Many2one("res.currency", "Currency", required=True, ondelete="restrict",
                                  default=lambda self: _company_currency(self))
    min_qty = fields.Decimal("Minimum quantity", digits=3, default=0)
    delay_days = fields.Integer("Lead time (days)", default=0, help="Days from ordering to arrival")
    date_start = fields.Date("Valid from")
    date_end = fields.Date("Valid until")

    _sql_constraints = [
        ("price_positive", "check(price >= 0)", "A supplier's price cannot be negative"),
        ("min_qty_positive", "check(min_qty >= 0)", "A minimum quantity cannot be negative"),
        ("delay_positive", "check(delay_days >= 0)", "A lead time cannot be negative"),
    ]

    @api.constrains("price", "min_qty", "delay_days", "date_start", "date_end")
    def _check_values(self):
        for info in self:
            if info.price is not None and info.price < 0:
                raise ValidationError(tr(self.env, "A supplier's price cannot be negative"), field="price")
            if info.min_qty is not None and info.min_qty < 0:
                raise ValidationError(tr(self.env, "A minimum quantity cannot be negative"), field="min_qty")
            if info.delay_days is not None and info.delay_days < 0:
                raise ValidationError(tr(self.env, "A lead time cannot be negative"), field="delay_days")
            if info.date_start and info.date_end and info.date_end < info.date_start:
                raise ValidationError(tr(self.env, "The price's validity ends before it starts"), field="date_end")

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [vals_list] if single else list(vals_list)
        for vals in vals_list:
            self._refuse_negative(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._refuse_negative(vals)
        if "date_start" in vals or "date_end" in vals:
            for info in self:
                self._refuse_negative({"date_start": vals.get("date_start", info.date_start),
                                       "date_end": vals.get("date_end", info.date_end)})
        return super().write(vals)

    def _refuse_negative(self, vals):
        """Checked before writing so nothing is written (the constraint above is the last word)."""
        checks = (("price", "A supplier's price cannot be negative"),
                  ("min_qty", "A minimum quantity cannot be negative"),
                  ("delay_days", "A lead time cannot be negative"))
        for name, message in checks:
            value = to_qty(vals.get(name))
            if value is not None and value < 0:
                raise ValidationError(tr(self.env, message), field=name)
        start, end = to_date(vals.get("date_start")), to_date(vals.get("date_end"))
        if start and end and end < start:
            raise ValidationError(tr(self.env, "The price's validity ends before it starts"), field="date_end")

    def best_for(self, product_ids, partner_id=None, quantity=None, date=None):
        """``{product_id: supplierinfo}``: the preferred valid supplier line of each product.

        Valid at ``date`` (default today), of ``partner_id`` when given. With a
        ``quantity``: among the lines whose ``min_qty`` it reaches, the lowest priority
        number, then the lowest price. Without: the lowest priority number, then the
        lowest minimum quantity (the everyday offer, not a bulk price), then the price.
        """
        day = to_date(date) or dt.date.today()
        domain = [("product_id", "in", [int(p) for p in product_ids]),
                  "|", ("date_start", "=", None), ("date_start", "<=", day),
                  "|", ("date_end", "=", None), ("date_end", ">=", day)]
        if partner_id:
            domain.append(("partner_id", "=", int(partner_id)))
        order = "product_id, sequence, min_qty, price, id"
        if quantity is not None:
            domain.append(("min_qty", "<=", to_qty(quantity)))
            order = "product_id, sequence, price, min_qty desc, id"
        best = {}
        for info in self.search(domain, order=order):
            best.setdefault(info.product_id.id, info)
        return best


def _company_currency(model):
    company = model.env.user.company_id if model.env.user else None
    if company and company.currency_id:
        return company.currency_id.id
    currency = model.env["res.currency"].sudo().search([("name", "=", "ILS")], limit=1)
    return currency.id or None

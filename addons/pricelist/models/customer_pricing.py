"""A customer's own prices and discounts: special prices per product, discounts per family."""
from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields

from .pricelist import _company_currency


class SpecialPrice(Model):
    _name = "pricelist.special_price"
    _inherit = ["pricelist.price.tracked"]
    _description = "Special price"
    _order = "partner_id, product_id, min_quantity, id"
    _tracked_prices = ("price",)

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", "Product", required=True, ondelete="cascade", index=True)
    price = fields.Monetary("Price", required=True)
    currency_id = fields.Many2one("res.currency", "Currency", required=True, ondelete="restrict",
                                  default=_company_currency)
    min_quantity = fields.Decimal("Minimum quantity", digits=3, default=0)
    date_start = fields.Date("Valid from")
    date_end = fields.Date("Valid until")
    note = fields.Char("Note")
    name = fields.Char("Special price", compute="_compute_name")

    def _compute_name(self):
        for special in self:
            special.name = f"{special.partner_id.name}: {special.product_id.display_name}"

    @api.constrains("price", "min_quantity", "date_start", "date_end")
    def _check_special_price(self):
        for special in self:
            if special.price < 0:
                raise ValidationError(_("A price cannot be negative"), field="price")
            if (special.min_quantity or 0) < 0:
                raise ValidationError(_("A minimum quantity cannot be negative"), field="min_quantity")
            if special.date_start and special.date_end and special.date_end < special.date_start:
                raise ValidationError(_("A special price must end after it starts"), field="date_end")

    def _history_values(self):
        return {special.id: {"special_price_id": special.id, "partner_id": special.partner_id.id,
                             "product_id": special.product_id.id}
                for special in self}


class FamilyDiscount(Model):
    _name = "pricelist.family_discount"
    _description = "Family discount"
    _order = "partner_id, family_id"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, ondelete="cascade", index=True)
    family_id = fields.Many2one("product.family", "Product family", required=True, ondelete="cascade",
                                help="The family and all its sub-families")
    discount = fields.Decimal("Discount (%)", digits=2, required=True, default=0)
    name = fields.Char("Family discount", compute="_compute_name")

    _sql_constraints = [("partner_family_uniq", "unique(partner_id, family_id)",
                         "This customer already has a discount for this family")]

    def _compute_name(self):
        for line in self:
            line.name = f"{line.partner_id.name}: {line.family_id.complete_name}"

    @api.constrains("discount")
    def _check_discount(self):
        for line in self:
            if not 0 <= line.discount <= 100:
                raise ValidationError(_("A discount is between 0 and 100%"), field="discount")

"""Price lists and their items: which price a product gets from a list, by specificity."""
import sqlalchemy as sa

from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields
from core.orm.fields import now

from ..money import amount_text, number_text

BASES = [("list_price", "Product sales price"), ("cost", "Product cost"),
         ("supplier", "Supplier's price"), ("pricelist", "Another price list")]
COMPUTES = [("fixed", "Fixed price"), ("discount", "Discount on the base (%)"), ("markup", "Markup on the base (%)")]
SCOPES = [("product", "Product"), ("family", "Product family"), ("all", "All products")]


def _company_currency(model):
    company = model.env.user.company_id if model.env.user else None
    if company:
        return company.currency_id.id
    return model.env.ref("base.ILS").id


class Pricelist(Model):
    _name = "pricelist.pricelist"
    _description = "Price list"
    _order = "name"

    name = fields.Char("Name", required=True)
    active = fields.Boolean("Active", default=True)
    currency_id = fields.Many2one("res.currency", "Currency", required=True, ondelete="restrict",
                                  default=_company_currency)
    date_start = fields.Date("Valid from")
    date_end = fields.Date("Valid until")
    base = fields.Selection(BASES, "Based on", required=True, default="list_price",
                            help="The price a discount or markup item is computed from")
    base_pricelist_id = fields.Many2one("pricelist.pricelist", "Base price list", ondelete="restrict",
                                        help="For a price list based on another price list")
    supplier_ids = fields.Many2many("res.partner", "pricelist_supplier_rel", "pricelist_id", "partner_id",
                                    "Suppliers", help="For a price list based on the supplier's price: only these "
                                                      "suppliers (empty: the lowest price of any supplier)")
    item_ids = fields.One2many("pricelist.item", "pricelist_id", "Items", copy=True)
    note = fields.Text("Notes")

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for pricelist in self:
            if pricelist.date_start and pricelist.date_end and pricelist.date_end < pricelist.date_start:
                raise ValidationError(_("A price list must end after it starts"), field="date_end")

    @api.constrains("base", "base_pricelist_id", "currency_id")
    def _check_base(self):
        for pricelist in self:
            if pricelist.base != "pricelist":
                continue
            if not pricelist.base_pricelist_id:
                raise ValidationError(_("A price list based on another price list needs that price list"),
                                      field="base_pricelist_id")
            if pricelist.base_pricelist_id.currency_id != pricelist.currency_id:
                raise ValidationError(_("The base price list must have the same currency"),
                                      field="base_pricelist_id")
            seen, current = {pricelist.id}, pricelist.base_pricelist_id
            while current:
                if current.id in seen:
                    raise ValidationError(_("Price lists cannot be based on each other in a circle"),
                                          field="base_pricelist_id")
                seen.add(current.id)
                current = current.base_pricelist_id if current.base == "pricelist" else current.browse()

    def valid_on(self, date):
        """Whether this price list is active and valid on ``date``."""
        self.ensure_one()
        return bool(self.active and (not self.date_start or self.date_start <= date)
                    and (not self.date_end or date <= self.date_end))

    @api.ui_callable
    def action_new_update(self):
        """Open a new bulk update (raise, lower, add products, copy) of this price list."""
        self.ensure_one()
        update = self.env["pricelist.update"].create({"pricelist_id": self.id})
        return {"url": f"/web/m/pricelist.update/{update.id}"}

    def unlink(self):
        """Items go first, so their deletion is in the price history."""
        self.env["pricelist.item"].sudo().search([("pricelist_id", "in", list(self._ids))]).unlink()
        return super().unlink()

    def copy(self, default=None):
        default = dict(default or {})
        default.setdefault("name", _("{name} (copy)").format(name=self.name))
        return super().copy(default)


class PricelistItem(Model):
    _name = "pricelist.item"
    _inherit = ["pricelist.price.tracked"]
    _description = "Price list item"
    _order = "pricelist_id, applied_on, min_quantity, id"
    _tracked_prices = ("fixed_price", "percent", "surcharge")

    pricelist_id = fields.Many2one("pricelist.pricelist", "Price list", required=True, ondelete="cascade",
                                   index=True)
    currency_id = fields.Many2one("res.currency", "Currency", related="pricelist_id.currency_id")
    applied_on = fields.Selection(SCOPES, "Applies to", required=True, default="product")
    product_id = fields.Many2one("product.product", "Product", ondelete="cascade", index=True)
    family_id = fields.Many2one("product.family", "Product family", ondelete="cascade", index=True,
                                help="The family and all its sub-families")
    min_quantity = fields.Decimal("Minimum quantity", digits=3, default=0)
    date_start = fields.Date("Valid from")
    date_end = fields.Date("Valid until")
    compute_price = fields.Selection(COMPUTES, "Computation", required=True, default="fixed")
    fixed_price = fields.Monetary("Fixed price")
    percent = fields.Decimal("Percentage", digits=2, default=0,
                             help="The discount or the markup, in percent of the base price")
    rounding = fields.Decimal("Round to a multiple of", digits=2, default=0,
                              help="E.g. 1.00 with ending 0.90: prices end in .90 (23.47 becomes 23.90)")
    rounding_ending = fields.Decimal("Rounding ending", digits=2, default=0)
    surcharge = fields.Monetary("Surcharge", default=0, help="Added after the rounding")
    name = fields.Char("Applies to", compute="_compute_name")

    def _compute_name(self):
        for item in self:
            if item.applied_on == "product":
                item.name = item.product_id.display_name
            elif item.applied_on == "family":
                item.name = item.family_id.complete_name
            else:
                item.name = _("All products")

    @api.constrains("applied_on", "product_id", "family_id", "compute_price", "fixed_price", "percent",
                    "min_quantity", "rounding", "rounding_ending", "date_start", "date_end")
    def _check_item(self):
        for item in self:
            if item.applied_on == "product" and not item.product_id:
                raise ValidationError(_("An item for a product needs the product"), field="product_id")
            if item.applied_on == "family" and not item.family_id:
                raise ValidationError(_("An item for a product family needs the family"), field="family_id")
            if item.compute_price == "fixed" and item.fixed_price is None:
                raise ValidationError(_("A fixed-price item needs its price"), field="fixed_price")
            if (item.fixed_price or 0) < 0:
                raise ValidationError(_("A price cannot be negative"), field="fixed_price")
            if item.compute_price == "discount" and not 0 <= (item.percent or 0) <= 100:
                raise ValidationError(_("A discount is between 0 and 100%"), field="percent")
            if item.compute_price == "markup" and (item.percent or 0) < 0:
                raise ValidationError(_("A markup cannot be negative: use a discount"), field="percent")
            if (item.min_quantity or 0) < 0:
                raise ValidationError(_("A minimum quantity cannot be negative"), field="min_quantity")
            check_rounding(item.rounding, item.rounding_ending)
            if item.date_start and item.date_end and item.date_end < item.date_start:
                raise ValidationError(_("An item must end after it starts"), field="date_end")

    def _history_worthy(self, name, value):
        """A percentage or a surcharge of zero is no price: only a fixed price may be zero."""
        return value is not None and (name == "fixed_price" or value != 0)

    def _history_values(self):
        """What the price history says about each item: its list, product and family."""
        return {item.id: {"pricelist_id": item.pricelist_id.id, "item_id": item.id,
                          "product_id": item.product_id.id, "family_id": item.family_id.id}
                for item in self}

    def _write_prices(self, changes):
        """The bulk path: write ``[(item id, field, new value)]``, one statement per field.

        Each item gets its own value (a raise of 5% gives every product another price), so
        ``write`` (the same values on all records) would cost one statement per item. The
        constraints run and the price history is written as for ``write``.
        """
        items = self.browse(tuple(dict.fromkeys(change[0] for change in changes)))
        items._check_access("write")
        items._check_rules("write")
        before = items._tracked_values()
        table, stamp, uid = type(self)._table, now(), self.env.uid
        by_field = {}
        for item_id, name, value in changes:
            by_field.setdefault(name, []).append({"b_id": item_id, "b_value": self._fields[name].convert(value, self)})
        for name, params in by_field.items():
            statement = sa.update(table).where(table.c.id == sa.bindparam("b_id")).values(
                {name: sa.bindparam("b_value"), "write_date": stamp, "write_uid": uid, "version": table.c.version + 1})
            self.env.execute(statement, params)
        touched = [self._fields[name] for name in [*by_field, "write_date", "write_uid", "version"]]
        self.env.cache.invalidate(touched, items._ids)
        items._validate(list(by_field))
        after = items._tracked_values()
        items._record_history([(rid, name, before[rid][name], after[rid][name]) for rid in before
                               for name in by_field], self.env.context.get("pricelist_history_change", "bulk"),
                              self.env.context.get("pricelist_history_reference"))

    def describe(self):
        """A short text of what this item computes, e.g. 'fixed price 20.00' (for lists and previews)."""
        self.ensure_one()
        if self.compute_price == "fixed":
            return _("fixed price {price}").format(price=amount_text(self.fixed_price))
        if self.compute_price == "discount":
            return _("discount {percent}%").format(percent=number_text(self.percent))
        return _("markup {percent}%").format(percent=number_text(self.percent))


def check_rounding(step, ending):
    """Refuse a rounding whose ending is not smaller than its step (or negative)."""
    step, ending = step or 0, ending or 0
    if step < 0 or ending < 0:
        raise ValidationError(_("A rounding and its ending cannot be negative"), field="rounding")
    if ending and ending >= step:
        raise ValidationError(_("The rounding ending must be smaller than the rounding step"),
                              field="rounding_ending")

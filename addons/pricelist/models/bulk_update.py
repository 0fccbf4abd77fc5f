"""Bulk maintenance of a price list, always previewed before it is applied.

An update is a document: choose the operation (add products, raise or lower prices,
copy the list) and its scope, press Preview to see every price it will write (old and
new), then Apply. Apply writes exactly the previewed lines, and refuses when a price
changed since the preview; changing a parameter sends the update back to draft.
"""
import datetime as dt
import json

from core.exceptions import DomainError, UserError, ValidationError
from core.i18n import _
from core.orm import Model, api, fields
from core.orm.fields import now

from ..bulk_compute import comparable, preview_rows
from .pricelist import check_rounding

OPERATIONS = [("add", "Add products"), ("change", "Raise or lower prices"), ("copy", "Copy the price list")]
SCOPES = [("all", "All products"), ("family", "A product family"), ("domain", "Products matching a filter")]
FORMULA_BASES = [("list_price", "Product sales price"), ("cost", "Product cost"), ("supplier", "Supplier's price"),
                 ("current", "Current price in this price list")]
STATES = [("draft", "Draft"), ("preview", "Previewed"), ("done", "Applied")]
PARAMETERS = ("pricelist_id", "operation", "scope", "family_id", "product_domain", "formula_base", "percent",
              "rounding", "rounding_ending", "min_quantity", "new_name", "date")


class PricelistUpdate(Model):
    _name = "pricelist.update"
    _description = "Price list update"
    _order = "id desc"

    name = fields.Char("Reference", readonly=True, copy=False)
    pricelist_id = fields.Many2one("pricelist.pricelist", "Price list", required=True, ondelete="cascade")
    operation = fields.Selection(OPERATIONS, "Operation", required=True, default="change")
    scope = fields.Selection(SCOPES, "Products", required=True, default="all")
    family_id = fields.Many2one("product.family", "Product family", ondelete="restrict",
                                help="The family and all its sub-families")
    product_domain = fields.Char("Product filter",
                                 help='A filter on products, e.g. [["name", "ilike", "paper"]]')
    formula_base = fields.Selection(FORMULA_BASES, "Price from", default="list_price",
                                    help="For added products: the price the change applies to")
    percent = fields.Decimal("Change (%)", digits=2, default=0, help="Positive raises prices, negative lowers them")
    rounding = fields.Decimal("Round to a multiple of", digits=2, default=0)
    rounding_ending = fields.Decimal("Rounding ending", digits=2, default=0)
    min_quantity = fields.Decimal("Minimum quantity", digits=3, default=0, help="Of the items added")
    date = fields.Date("Prices of", required=True, default=lambda model: dt.date.today(),
                       help="The day whose supplier prices and price list prices added products start from")
    new_name = fields.Char("Name of the copy")
    state = fields.Selection(STATES, "Status", required=True, default="draft", readonly=True, copy=False)
    line_ids = fields.One2many("pricelist.update.line", "update_id", "Preview", readonly=True)
    result_pricelist_id = fields.Many2one("pricelist.pricelist", "New price list", readonly=True,
                                          ondelete="set null", copy=False)
    done_uid = fields.Many2one("res.users", "Applied by", readonly=True, ondelete="set null", copy=False)
    done_date = fields.Datetime("Applied on", readonly=True, copy=False)

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(vals) for vals in ([vals_list] if single else vals_list)]
        sequences = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            vals.setdefault("name", sequences.next_by_code("pricelist.update"))
        records = super().create(vals_list)
        return records

    def write(self, vals):
        changed = [name for name in PARAMETERS if name in vals]
        if changed and not self.env.context.get("pricelist_update_internal"):
            for update in self:
                if update.state == "done":
                    raise UserError(_("{name} is applied: it cannot be changed").format(name=update.name))
            vals = {**vals, "state": "draft"}
            self.env["pricelist.update.line"].search([("update_id", "in", list(self._ids))]).unlink()
        return super().write(vals)

    @api.constrains("percent", "rounding", "rounding_ending", "scope", "family_id", "min_quantity")
    def _check_parameters(self):
        for update in self:
            if (update.percent or 0) <= -100:
                raise ValidationError(_("A price decrease must be less than 100%"), field="percent")
            check_rounding(update.rounding, update.rounding_ending)
            if update.scope == "family" and not update.family_id:
                raise ValidationError(_("Choose the product family"), field="family_id")
            if (update.min_quantity or 0) < 0:
                raise ValidationError(_("A minimum quantity cannot be negative"), field="min_quantity")

    # -- scope ------------------------------------------------------------------------------
    def product_scope_domain(self):
        """The domain of the products this update is about."""
        self.ensure_one()
        if self.scope == "family":
            return [("family_id", "child_of", self.family_id.id)]
        if self.scope == "domain":
            try:
                domain = json.loads(self.product_domain or "")
            except ValueError:
                domain = None
            if not isinstance(domain, list) or not domain:
                raise ValidationError(_('The product filter must be a list of conditions, e.g. '
                                        '[["name", "ilike", "paper"]]'), field="product_domain")
            try:
                self.env["product.product"].search_count(domain)
            except DomainError as exc:
                raise ValidationError(_("The product filter is not valid: {error}").format(error=exc),
                                      field="product_domain") from None
            return domain
        return []

    # -- buttons ----------------------------------------------------------------------------
    @api.ui_callable
    def action_preview(self):
        """Compute every price the update will write and show them; nothing else changes."""
        for update in self:
            if update.state == "done":
                raise UserError(_("{name} is applied already").format(name=update.name))
            rows = preview_rows(update)
            if not rows:
                raise UserError(_("Nothing to change: no product or item in this scope"))
            lines = self.env["pricelist.update.line"]
            lines.search([("update_id", "=", update.id)]).unlink()
            lines.create([{**row, "update_id": update.id} for row in rows])
            super(PricelistUpdate, update).write({"state": "preview"})
        return True

    @api.ui_callable
    def action_apply(self):
        """Write the previewed prices, exactly; refused when a price changed since the preview."""
        for update in self:
            if update.state != "preview":
                raise UserError(_("Preview {name} before applying it").format(name=update.name))
            lines = update.line_ids
            if comparable(preview_rows(update)) != comparable([line.as_row() for line in lines]):
                raise UserError(_("The price list changed since the preview of {name}: preview it again")
                                .format(name=update.name))
            result = update._apply_lines(lines.filtered(lambda line: line.action != "skip"))
            super(PricelistUpdate, update).write({"state": "done", "done_uid": self.env.uid, "done_date": now(),
                                                  "result_pricelist_id": result.id if result else None})
        return True

    @api.ui_callable
    def action_draft(self):
        """Back to draft: the preview is dropped."""
        for update in self:
            if update.state == "done":
                raise UserError(_("{name} is applied: it cannot be changed").format(name=update.name))
        self.env["pricelist.update.line"].search([("update_id", "in", list(self._ids))]).unlink()
        super().write({"state": "draft"})
        return True

    def _apply_lines(self, lines):
        items = self.env["pricelist.item"].with_context(pricelist_history_change="bulk",
                                                        pricelist_history_reference=self.name)
        if self.operation == "copy":
            copy = self.pricelist_id.with_context(pricelist_history_change="copy",
                                                  pricelist_history_reference=self.name).copy({
                "name": self.new_name or _("{name} (copy)").format(name=self.pricelist_id.name), "item_ids": []})
            items.with_context(pricelist_history_change="copy").create(
                [line.item_values(copy.id) for line in lines])
            return copy
        creates = [line.item_values(self.pricelist_id.id) for line in lines if line.action == "create"]
        if creates:
            items.create(creates)
        updates = [(line.item_id.id, line.field, line.new_value) for line in lines if line.action == "update"]
        if updates:
            items._write_prices(updates)
        return None


class PricelistUpdateLine(Model):
    _name = "pricelist.update.line"
    _description = "Price list update line"
    _order = "update_id, id"

    update_id = fields.Many2one("pricelist.update", "Update", required=True, ondelete="cascade", index=True)
    action = fields.Selection([("create", "Add"), ("update", "Change"), ("skip", "Skipped")], "Action",
                              required=True)
    item_id = fields.Many2one("pricelist.item", "Item", ondelete="set null")
    product_id = fields.Many2one("product.product", "Product", ondelete="cascade")
    family_id = fields.Many2one("product.family", "Product family", ondelete="cascade")
    applied_on = fields.Selection([("product", "Product"), ("family", "Product family"), ("all", "All products")],
                                  "Applies to")
    min_quantity = fields.Decimal("Minimum quantity", digits=3, default=0)
    field = fields.Selection([("fixed_price", "Fixed price"), ("percent", "Percentage")], "What changes")
    old_value = fields.Decimal("Old value", digits=2)
    new_value = fields.Decimal("New value", digits=2)
    note = fields.Char("Note")

    ROW_FIELDS = ("action", "item_id", "product_id", "family_id", "applied_on", "min_quantity", "field",
                  "old_value", "new_value", "note")

    def as_row(self):
        """This line as the dict ``preview_rows`` makes (to compare a preview with the present)."""
        self.ensure_one()
        return {name: (self[name].id or None) if self._fields[name].type == "many2one" else self[name]
                for name in self.ROW_FIELDS}

    def item_values(self, pricelist_id):
        """The values of the item this line creates (in ``pricelist_id``)."""
        self.ensure_one()
        source = self.item_id
        values = {"pricelist_id": pricelist_id, "applied_on": self.applied_on, "min_quantity": self.min_quantity,
                  "product_id": self.product_id.id or None, "family_id": self.family_id.id or None,
                  "compute_price": "fixed", "fixed_price": self.new_value}
        if source:  # a copied item keeps everything but the changed value
            values.update({name: source[name] for name in ("compute_price", "fixed_price", "percent", "rounding",
                                                          "rounding_ending", "surcharge", "date_start",
                                                          "date_end")})
            values[self.field] = self.new_value
        return values

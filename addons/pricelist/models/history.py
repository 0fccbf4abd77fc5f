"""Price history: every change of a price (who, when, old, new), whatever made it.

Models whose prices are tracked inherit ``pricelist.price.tracked`` and name their price
fields in ``_tracked_prices``; creating, changing and deleting such a record writes one
history row per price that changed, in one insert for the whole batch.
"""
from core.i18n import translate_label
from core.orm import AbstractModel, Model, fields
from core.orm.fields import now

FIELDS = [("fixed_price", "Fixed price"), ("percent", "Percentage"), ("surcharge", "Surcharge"),
          ("price", "Special price")]
CHANGES = [("create", "Created"), ("write", "Changed"), ("unlink", "Deleted"),
           ("bulk", "Bulk update"), ("copy", "Copied")]


class PriceHistory(Model):
    _name = "pricelist.history"
    _description = "Price history"
    _order = "date desc, id desc"

    date = fields.Datetime("Date", required=True, default=lambda model: now(), index=True)
    user_id = fields.Many2one("res.users", "Changed by", ondelete="set null")
    change = fields.Selection(CHANGES, "Change", required=True)
    reference = fields.Char("Reference", help="The bulk update or the price list copy that made the change")
    pricelist_id = fields.Many2one("pricelist.pricelist", "Price list", ondelete="set null", index=True)
    item_id = fields.Many2one("pricelist.item", "Price list item", ondelete="set null", index=True)
    special_price_id = fields.Many2one("pricelist.special_price", "Special price", ondelete="set null", index=True)
    partner_id = fields.Many2one("res.partner", "Customer", ondelete="set null", index=True)
    product_id = fields.Many2one("product.product", "Product", ondelete="set null", index=True)
    family_id = fields.Many2one("product.family", "Product family", ondelete="set null")
    field = fields.Selection(FIELDS, "What changed", required=True)
    old_value = fields.Decimal("Old value", digits=2)
    new_value = fields.Decimal("New value", digits=2)
    name = fields.Char("Price change", compute="_compute_name")

    def _compute_name(self):
        labels = dict(FIELDS)
        for row in self:
            what = row.product_id.display_name or row.family_id.complete_name or ""
            old = "—" if row.old_value is None else f"{row.old_value:f}"
            new = "—" if row.new_value is None else f"{row.new_value:f}"
            row.name = f"{what} {translate_label(self.env.lang, labels[row.field])}: {old} → {new}".strip()


class PriceTracked(AbstractModel):
    """Records whose price fields are kept in the price history."""

    _name = "pricelist.price.tracked"
    _description = "Price-tracked record"
    _tracked_prices = ()

    def _history_values(self):
        """``{id: {history field: value}}``: what links each record's history rows."""
        return {rid: {} for rid in self._ids}

    def _record_history(self, changes, change, reference=None):
        """Write ``changes`` = ``[(record id, field, old, new)]`` to the history in one insert."""
        changes = [c for c in changes if c[2] != c[3]]
        if not changes:
            return
        links = self.browse(tuple({c[0] for c in changes}))._history_values()
        uid = self.env.uid
        stamp = now()
        self.env["pricelist.history"].sudo().create([
            {**links.get(rid, {}), "date": stamp, "user_id": uid, "change": change, "reference": reference,
             "field": name, "old_value": old, "new_value": new}
            for rid, name, old, new in changes])

    def _history_worthy(self, name, value):
        """Whether a created or deleted record's ``value`` of ``name`` is worth a history row."""
        return value is not None

    def _tracked_values(self):
        return {record.id: {name: record[name] for name in self._tracked_prices} for record in self}

    def create(self, vals_list):
        records = super().create(vals_list)
        context = self.env.context
        change = context.get("pricelist_history_change", "create")
        changes = [(rid, name, None, value) for rid, values in records._tracked_values().items()
                   for name, value in values.items() if records._history_worthy(name, value)]
        records._record_history(changes, change, context.get("pricelist_history_reference"))
        return records

    def write(self, vals):
        names = [name for name in self._tracked_prices if name in vals]
        before = self._tracked_values() if names and self._ids else {}
        result = super().write(vals)
        if before:
            after = self._tracked_values()
            changes = [(rid, name, before[rid][name], after[rid][name]) for rid in before for name in names]
            context = self.env.context
            self._record_history(changes, context.get("pricelist_history_change", "write"),
                                 context.get("pricelist_history_reference"))
        return result

    def unlink(self):
        if self._ids and self._tracked_prices:
            self._record_history([(rid, name, value, None) for rid, values in self._tracked_values().items()
                                  for name, value in values.items() if self._history_worthy(name, value)],
                                 "unlink", self.env.context.get("pricelist_history_reference"))
        return super().unlink()

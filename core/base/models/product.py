"""Products, product families (a tree) and units of measure."""
from core.orm import Model, api, fields


class Uom(Model):
    _name = "uom.uom"
    _description = "Unit of measure"
    _order = "name"

    name = fields.Char("Unit", required=True, translate=True)
    code = fields.Char("Code")
    active = fields.Boolean("Active", default=True)


class ProductFamily(Model):
    _name = "product.family"
    _description = "Product family"
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    parent_id = fields.Many2one("product.family", "Parent family", ondelete="restrict")
    child_ids = fields.One2many("product.family", "parent_id", "Sub-families")
    complete_name = fields.Char("Full name", compute="_compute_complete_name", store=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for family in self:
            parent = family.parent_id
            family.complete_name = f"{parent.complete_name} / {family.name}" if parent else family.name


class Product(Model):
    _name = "product.product"
    _inherit = ["mail.thread"]
    _description = "Product"
    _order = "default_code, name"
    _rec_names_search = ["default_code", "name", "barcode"]

    default_code = fields.Char("Item code", index=True, help="מק\"ט: your code for this item")
    name = fields.Char("Name", required=True, index=True, tracking=True)
    description = fields.Text("Description")
    barcode = fields.Char("Barcode")
    family_id = fields.Many2one("product.family", "Family", ondelete="restrict")
    uom_id = fields.Many2one("uom.uom", "Unit", ondelete="restrict")
    type = fields.Selection([("goods", "Goods"), ("service", "Service")], "Type", required=True, default="goods")
    list_price = fields.Monetary("Sales price", default=0, tracking=True)
    cost = fields.Monetary("Cost", default=0)
    active = fields.Boolean("Active", default=True)

    _sql_constraints = [("default_code_uniq", "unique(default_code)", "Another product already has this item code")]

    @property
    def display_name(self):
        return f"[{self.default_code}] {self.name}" if self.default_code else (self.name or "")

    def _display_names(self):
        import sqlalchemy as sa
        entity = type(self)._entity
        rows = self.env.execute(sa.select(entity.id, entity.default_code, entity.name)
                                .where(entity.id.in_(self._ids))).all() if self._ids else []
        return {rid: (f"[{code}] {name}" if code else name or "") for rid, code, name in rows}

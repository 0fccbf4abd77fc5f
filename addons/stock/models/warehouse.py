"""Warehouses: where stock is kept. One of them is the default for documents that name none."""
from core.exceptions import UserError
from core.orm import Model, fields

from ..tools import tr


class Warehouse(Model):
    _name = "stock.warehouse"
    _inherit = ["mail.thread"]
    _description = "Warehouse"
    _order = "sequence, name"

    name = fields.Char("Warehouse", required=True, tracking=True)
    code = fields.Char("Short code", required=True, size=10, tracking=True)
    sequence = fields.Integer("Sequence", default=10)
    is_default = fields.Boolean("Default warehouse", tracking=True,
                                help="Documents that name no warehouse use this one")
    active = fields.Boolean("Active", default=True, tracking=True)
    company_id = fields.Many2one("res.company", "Company", ondelete="restrict")
    address = fields.Char("Address")
    level_ids = fields.One2many("stock.level", "warehouse_id", "Stock")

    _sql_constraints = [("code_uniq", "unique(code)", "Another warehouse already has this code")]

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [vals_list] if single else list(vals_list)
        records = super().create(vals_list)
        defaults = records.filtered(lambda w: w.is_default)
        if defaults:
            (self.search([("is_default", "=", True)]) - defaults[-1:]).write({"is_default": False})
        return records

    def write(self, vals):
        if vals.get("is_default") and self._ids:
            self.ensure_one()  # one default at a time
            (self.search([("is_default", "=", True)]) - self).write({"is_default": False})
        return super().write(vals)

    def get_default(self):
        """The default warehouse (else the first active one); an error when there is none."""
        warehouse = self.sudo().search([("is_default", "=", True)], limit=1) or self.sudo().search([], limit=1)
        if not warehouse:
            raise UserError(tr(self.env, "No warehouse is defined: create one first"))
        return warehouse.with_env(self.env)

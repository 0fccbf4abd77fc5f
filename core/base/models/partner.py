"""Partners: customers, suppliers, contact persons and head offices."""
from core.orm import Model, fields


class Partner(Model):
    _name = "res.partner"
    _description = "Partner"
    _order = "name"

    name = fields.Char("Name", required=True, index=True)
    active = fields.Boolean("Active", default=True)
    parent_id = fields.Many2one("res.partner", "Parent company", ondelete="cascade")
    child_ids = fields.One2many("res.partner", "parent_id", "Contacts")

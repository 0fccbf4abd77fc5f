"""test.life gets an extra column (dropped again by ``uninstall --purge``)."""
from core.orm import Model, fields


class LifeExtra(Model):
    _inherit = "test.life"

    extra = fields.Char("Extra", default="b")

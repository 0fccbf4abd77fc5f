"""test.life may point to a test.thing."""
from core.orm import Model, fields


class LifeThingLink(Model):
    _inherit = "test.life"

    thing_id = fields.Many2one("test.thing", "Thing", ondelete="set null")

"""test.views.thing gets a colour."""
from core.orm import Model, fields


class ThingColor(Model):
    _inherit = "test.views.thing"

    color = fields.Char("Colour")

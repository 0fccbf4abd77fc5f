"""test.thing gets a colour, and its description mentions it."""
from core.orm import Model, fields


class ThingColour(Model):
    _inherit = "test.thing"

    colour = fields.Char("Colour", default="blue")

    def describe(self):
        return f"{super().describe()} in {self.colour}"

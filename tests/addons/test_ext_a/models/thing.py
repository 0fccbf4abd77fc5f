"""A thing with a name and a method that extensions override."""
from core.orm import Model, fields


class Thing(Model):
    _name = "test.thing"
    _description = "Test thing"

    name = fields.Char("Name", required=True)

    def describe(self):
        return f"thing {self.name}"

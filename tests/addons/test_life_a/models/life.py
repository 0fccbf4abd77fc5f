"""A record with a name and a code: the subject of the addon lifecycle tests."""
from core.orm import Model, fields


class Life(Model):
    _name = "test.life"
    _description = "Test life"

    name = fields.Char("Name", required=True)
    code = fields.Char("Code")

"""Notes about a life: a table owned by test_life_b."""
from core.orm import Model, fields


class LifeNote(Model):
    _name = "test.life.note"
    _description = "Test life note"

    life_id = fields.Many2one("test.life", "Life", required=True, ondelete="cascade")
    text = fields.Char("Text")

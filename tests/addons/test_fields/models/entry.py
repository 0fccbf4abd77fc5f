"""Ledger entries: amounts by partner and date, for aggregates."""
from core.orm import Model, fields


class Entry(Model):
    _name = "test.entry"
    _description = "Test ledger entry"

    name = fields.Char("Label")
    partner_id = fields.Many2one("res.partner", "Partner")
    day = fields.Date("Day")
    amount = fields.Monetary("Amount")
    quantity = fields.Integer("Quantity")

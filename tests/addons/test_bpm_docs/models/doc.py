"""test.bpm.doc: a document with a customer, an amount and a reference, following the demo flow."""
from core.orm import Model, fields


class BpmDoc(Model):
    _name = "test.bpm.doc"
    _inherit = ["mail.thread", "bpm.document"]
    _description = "Test document"

    name = fields.Char("Name", required=True)
    partner_id = fields.Many2one("res.partner", "Customer")
    amount = fields.Decimal("Amount", digits=2, default=0)
    reference = fields.Char("Reference")
    note = fields.Char("Note")
    confidential = fields.Boolean("Confidential")
    stamped = fields.Boolean("Stamped")

"""Documents with an owner; a user sees the documents of the owners he is allowed."""
from core.orm import Model, api, fields


class SecureTag(Model):
    _name = "test.secure.tag"
    _description = "Secure tag"

    name = fields.Char("Name", required=True)


class SecureDoc(Model):
    _name = "test.secure.doc"
    _description = "Secure document"

    name = fields.Char("Name", required=True)
    owner_id = fields.Many2one("res.users", "Owner", required=True)
    partner_id = fields.Many2one("res.partner", "Partner")
    date = fields.Date("Date")
    amount = fields.Monetary("Amount", default=0)
    secret_note = fields.Char("Margin note", groups="test_secure.group_secure_manager")
    line_ids = fields.One2many("test.secure.line", "doc_id", "Lines")
    tag_ids = fields.Many2many("test.secure.tag", string="Tags")
    total = fields.Monetary("Total", compute="_compute_total", store=True)

    @api.depends("line_ids.amount")
    def _compute_total(self):
        for doc in self:
            doc.total = sum((line.amount for line in doc.line_ids), 0)


class SecureLine(Model):
    _name = "test.secure.line"
    _description = "Secure line"

    doc_id = fields.Many2one("test.secure.doc", "Document", required=True, ondelete="cascade")
    amount = fields.Monetary("Amount", default=0)


class SecureGrant(Model):
    _name = "test.secure.grant"
    _description = "Owner grant"

    user_id = fields.Many2one("res.users", "User", required=True, ondelete="cascade")
    owner_id = fields.Many2one("res.users", "May see the documents of", required=True, ondelete="cascade")

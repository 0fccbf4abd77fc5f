"""The message log: one line per event on a record (comment, tracked change, email, audit)."""
from core.orm import Model, fields


class MailMessage(Model):
    _name = "mail.message"
    _description = "Message"
    _order = "date desc, id desc"
    _rec_name = "subject"
    _document_link = ("model", "res_id")  # a document's log is seen by who may see the document

    model = fields.Char("Document model", required=True, index=True)
    res_id = fields.Integer("Document id", required=True, index=True)
    message_type = fields.Selection(
        [("comment", "Comment"), ("tracking", "Change"), ("email", "Email"), ("audit", "Audit")],
        "Type", required=True, default="comment")
    subject = fields.Char("Subject")
    body = fields.Text("Body")
    tracking = fields.Json("Changed fields")
    author_id = fields.Many2one("res.users", "Author", ondelete="set null")
    date = fields.Datetime("Date", required=True, default=lambda self: fields.now())

    def records(self):
        """The documents these messages are about, as ``{model: recordset}``."""
        grouped = {}
        for message in self:
            grouped.setdefault(message.model, []).append(message.res_id)
        return {model: self.env[model].browse(tuple(ids)) for model, ids in grouped.items()}


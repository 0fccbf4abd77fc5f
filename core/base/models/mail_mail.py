"""The outbox: every outgoing email is a row first, sent later by a cron worker.

Queuing in the database makes sending part of the business transaction (a rolled-back
quotation sends nothing) and lets delivery be retried without ever losing a message.
"""
from email.utils import make_msgid, parseaddr

from core.exceptions import UserError
from core.i18n import _
from core.orm import Model, fields




class MailMail(Model):
    _name = "mail.mail"
    _description = "Outgoing email"
    _order = "id desc"
    _rec_name = "subject"

    subject = fields.Char("Subject")
    body_text = fields.Text("Text body")
    body_html = fields.Text("HTML body")
    email_from = fields.Char("From", default=lambda self: self._default_from())
    email_to = fields.Char("To", help="Comma-separated addresses")
    email_cc = fields.Char("Cc", help="Comma-separated addresses")
    reply_to = fields.Char("Reply to")
    message_id = fields.Char("Message-ID", readonly=True, copy=False,
                             help="Made at creation and kept across retries, so a resend is recognisable")
    res_model = fields.Char("Document model", index=True)
    res_id = fields.Integer("Document id", index=True)
    state = fields.Selection([("outgoing", "Queued"), ("sent", "Sent"), ("exception", "Delivery failed"),
                              ("cancel", "Cancelled")], "Status", required=True, default="outgoing", index=True,
                             copy=False)
    attempts = fields.Integer("Delivery attempts", default=0, readonly=True, copy=False)
    last_error = fields.Text("Last error", readonly=True, copy=False)
    sent_date = fields.Datetime("Sent on", readonly=True, copy=False)
    next_try = fields.Datetime("Next attempt", default=lambda self: fields.now(), index=True, copy=False)

    def _default_from(self):
        config = self.env.registry.config
        return config.get("smtp", "from") if config else ""

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        prepared = [dict(vals) for vals in ([vals_list] if single else vals_list)]
        for vals in prepared:
            if not vals.get("message_id"):
                sender = vals.get("email_from") or self._default_from()
                # An explicit domain avoids make_msgid's slow reverse-DNS lookup of the host.
                vals["message_id"] = make_msgid(domain=parseaddr(sender or "")[1].rpartition("@")[2] or "kesher.local")
        return super().create(prepared[0] if single else prepared)

    def retry(self):
        """Queue failed or cancelled emails again, with a fresh count of attempts."""
        if any(mail.state == "sent" for mail in self):
            raise UserError(_("An email that was sent cannot be queued again"))
        self.write({"state": "outgoing", "attempts": 0, "next_try": fields.now(), "last_error": None})

    def cancel(self):
        """Keep these emails but never send them."""
        if any(mail.state == "sent" for mail in self):
            raise UserError(_("An email that was sent cannot be cancelled"))
        self.write({"state": "cancel"})

    def process_outbox(self, limit=100):
        """Send due emails; called by cron. Runs its own transactions, not the caller's."""
        from core.mail.outbox import process_outbox
        if self.env.registry.dialect == "sqlite" and self.env.session.in_transaction():
            raise UserError(_("The outbox commits each email on its own: run it outside an open transaction "
                              "(SQLite would wait for this transaction's write lock)"))
        return process_outbox(self.env.registry, limit=limit)

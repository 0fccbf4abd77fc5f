"""Email templates: subject, bodies and recipients written by administrators in Jinja2.

Rendering never sends: ``send_mail`` queues one ``mail.mail`` per record in the caller's
transaction, so an email leaves only if the business change that caused it commits.
"""
from core.exceptions import UserError, ValidationError
from core.i18n.translate import _, use_lang
from core.mail.outbox import addresses
from core.mail.render import render
from core.orm import Model, api, fields

RELATIONAL = ("many2one", "one2many", "many2many")


class RecordView:
    """What a template sees of records: field values and names, never methods.

    A recordset itself would let a template call ``write()``/``unlink()`` or walk
    ``env.registry.config`` to the SMTP password; the sandbox only hides ``_`` names.
    Field groups are enforced as for ``read()``; empty values render as ''.
    """

    __slots__ = ("_records",)

    def __init__(self, records):
        self._records = records

    def __getattr__(self, name):
        records = self._records
        if name == "id":
            return records.id if records else ""
        if name == "display_name":
            return records.display_name if records else ""
        field = records._fields.get(name)
        if field is None:
            raise AttributeError(name)
        records._check_field_access(records.env, field)
        value = records[name]
        if field.type in RELATIONAL:
            return RecordView(value)
        return "" if value is None else value

    def __iter__(self):
        return (RecordView(record) for record in self._records)

    def __len__(self):
        return len(self._records)

    def __bool__(self):
        return bool(self._records)

    def __str__(self):
        return ", ".join(record.display_name for record in self._records)


class MailTemplate(Model):
    _name = "mail.template"
    _description = "Email template"
    _order = "model, name"

    name = fields.Char("Name", required=True, translate=True)
    model = fields.Char("Applies to", required=True, index=True, help="Model name, e.g. sale.order")
    # the subject and bodies are written per template, in the language(s) the author wants:
    # Jinja with {{ object... }} in them is not a message for the catalogs
    subject = fields.Char("Subject")
    body_text = fields.Text("Text body")
    body_html = fields.Text("HTML body")
    email_to = fields.Char("To", help="Comma-separated addresses, e.g. {{ object.email }}")
    email_cc = fields.Char("Cc")
    lang = fields.Char("Language", help="Expression giving the recipient's language, e.g. {{ object.lang }}")

    @api.constrains("model")
    def _check_model(self):
        for template in self:
            if template.model not in self.env.registry.models:
                raise ValidationError(_("Email template %(template)r: unknown model %(model)r")
                                      % {"template": template.name, "model": template.model}, field="model")

    def render_for(self, record):
        """``{subject, body_text, body_html, email_to, email_cc, lang}`` for one record."""
        self.ensure_one()
        record.ensure_one()
        if record._name != self.model:
            raise UserError(_("Email template %(template)r is for %(model)s, not %(other)s")
                            % {"template": self.name, "model": self.model, "other": record._name})
        lang = self._render_lang(record)
        template, record = self.with_context(lang=lang), record.with_context(lang=lang)
        values = {"object": RecordView(record), "lang": lang}
        line = lambda source: " ".join(render(source or "", values, html=False).split())  # noqa: E731
        with use_lang(lang):  # labels translated by code (``_lt``) follow the recipient too
            return {
                "subject": line(template.subject),
                "body_text": render(template.body_text or "", values, html=False),
                "body_html": render(template.body_html, values, html=True) if template.body_html else None,
                "email_to": ", ".join(addresses(line(template.email_to))),
                "email_cc": ", ".join(addresses(line(template.email_cc))),
                "lang": lang,
            }

    def _render_lang(self, record):
        if self.lang:
            lang = render(self.lang, {"object": RecordView(record)}, html=False).strip()
            if lang:
                return lang
        return record.env.lang

    def send_mail(self, records):
        """Queue one email per record and log it on records that keep a message log."""
        self.ensure_one()
        rendered = [(record, self.render_for(record)) for record in records]
        for record, values in rendered:
            recipients = addresses(values["email_to"]) + addresses(values["email_cc"])
            wrong = [address for address in recipients if "@" not in address]
            if not recipients or wrong:
                names = {"template": self.name, "record": record.display_name, "address": wrong[0] if wrong else ""}
                message = _("Email template %(template)r for %(record)s: the address %(address)r is not valid") \
                    if wrong else _("Email template %(template)r for %(record)s: it gives no recipient")
                raise UserError(message % names)
        mails = self.env["mail.mail"].sudo().create([
            {"subject": values["subject"], "body_text": values["body_text"], "body_html": values["body_html"],
             "email_to": values["email_to"], "email_cc": values["email_cc"] or None,
             "res_model": record._name, "res_id": record.id}
            for record, values in rendered])
        thread = self.env.registry.models.get("mail.thread")
        if thread is not None and isinstance(records, thread):
            for record, values in rendered:
                record.message_post(values["body_text"] or values["body_html"] or "", subject=values["subject"],
                                    message_type="email")
        return mails.with_env(self.env)

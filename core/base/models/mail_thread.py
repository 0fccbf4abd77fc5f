"""The message-log mixin: models that inherit ``mail.thread`` log who changed what, when.

Fields declared with ``tracking=True`` are compared before and after each write; one
``mail.message`` per changed record is created for the whole batch in one insert.
"""
from core.orm import AbstractModel


class MailThread(AbstractModel):
    _name = "mail.thread"
    _description = "Message log mixin"

    def _tracked_fields(self):
        return [f for f in self._fields.values() if f.tracking]

    # creation is already on every record (create_uid, create_date); models whose creation
    # belongs in the audit trail (users, groups, access rows, rules) log it as a message too
    _log_create = False

    def create(self, vals_list):
        records = super().create(vals_list)
        if self._log_create and not self.env.context.get("loading_data"):
            records._log_messages([(rec.id, "tracking", "Created", None) for rec in records])
        return records

    def write(self, vals):
        tracked = [f for f in self._tracked_fields() if f.name in vals]
        if not tracked or not self._ids:
            return super().write(vals)
        before = {rec.id: {f.name: rec._tracking_value(f) for f in tracked} for rec in self}
        result = super().write(vals)
        entries = []
        for rec in self:
            changes = []
            for field in tracked:
                new = rec._tracking_value(field)
                if new != before[rec.id][field.name]:
                    changes.append({"field": field.name, "label": field.string,
                                    "old": before[rec.id][field.name], "new": new})
            if changes:
                entries.append((rec.id, "tracking", None, changes))
        self._log_messages(entries)
        return result

    def _tracking_value(self, field):
        value = self[field.name]
        if field.type == "many2one":
            return value.display_name if value else None
        if field.type in ("one2many", "many2many"):
            return sorted(value.ids)
        return None if value is None else str(value)

    def _log_messages(self, entries):
        """Create messages ``(res_id, type, body, tracking)`` for this model in one batch."""
        if not entries:
            return
        author = self.env.uid if "res.users" in self.env.registry.models else None
        self.env["mail.message"].sudo().create([
            {"model": self._name, "res_id": res_id, "message_type": kind, "body": body,
             "tracking": tracking, "author_id": author}
            for res_id, kind, body, tracking in entries])

    def message_post(self, body, subject=None, message_type="comment"):
        """Add a message to each of these records' log."""
        return self.env["mail.message"].sudo().create([
            {"model": self._name, "res_id": rec.id, "body": body, "subject": subject,
             "message_type": message_type, "author_id": self.env.uid} for rec in self])

    def message_ids(self):
        """The log of this record, newest first."""
        self.ensure_one()
        return self.env["mail.message"].search([("model", "=", self._name), ("res_id", "=", self.id)])

    def _before_unlink(self):
        """The log outlives the record: deletion is itself logged (an audit trail)."""
        super()._before_unlink()
        self._log_messages([(rec_id, "tracking", "Deleted", None) for rec_id in self._ids])

"""Attachments: files linked to any record (contracts, photos, signed quotes)."""
import hashlib
import mimetypes

from core.orm import Model, fields


class Attachment(Model):
    _name = "ir.attachment"
    _description = "Attachment"
    _order = "id desc"
    _document_link = ("res_model", "res_id")  # the file of a document is seen by who may see the document

    name = fields.Char("File name", required=True)
    res_model = fields.Char("Document model", index=True)
    res_id = fields.Integer("Document id", index=True)
    mimetype = fields.Char("Type")
    datas = fields.Binary("Content")
    file_size = fields.Integer("Size (bytes)", readonly=True)
    checksum = fields.Char("SHA-256", readonly=True)

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        prepared = [self._file_values(dict(vals)) for vals in ([vals_list] if single else vals_list)]
        records = super().create(prepared)
        return records

    def write(self, vals):
        return super().write(self._file_values(dict(vals)) if "datas" in vals else vals)

    def _file_values(self, vals):
        content = vals.get("datas")
        if content is not None:
            content = content.encode() if isinstance(content, str) else bytes(content)
            vals.update(datas=content, file_size=len(content), checksum=hashlib.sha256(content).hexdigest())
        if not vals.get("mimetype") and vals.get("name"):
            vals["mimetype"] = mimetypes.guess_type(vals["name"])[0] or "application/octet-stream"
        return vals

    def for_record(self, record):
        """Attachments of one record, newest first."""
        return self.search([("res_model", "=", record._name), ("res_id", "=", record.id)])

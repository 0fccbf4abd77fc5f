"""Printing: every print of a document is logged; the first print of a posted tax
document (invoice, credit note, receipt, delivery note) is its "original", every later
print a "copy"; a draft prints as "draft". Quotes and orders print without such a mark.
"""
from core.exceptions import UserError
from core.orm import AbstractModel, Model, api, fields

from .tools import tr

LABELS = [("original", "Original"), ("copy", "Copy"), ("draft", "Draft"), ("plain", "Document")]
LEGAL = {"account.invoice": "posted", "account.receipt": "posted", "sale.delivery": "done"}


class PrintLog(Model):
    _name = "sale.print.log"
    _description = "Document print"
    _order = "id desc"
    _rec_name = "document"

    res_model = fields.Char("Document model", required=True, index=True)
    res_id = fields.Integer("Document id", required=True, index=True)
    document = fields.Char("Document")
    label = fields.Selection(LABELS, "Printed as", required=True)
    number = fields.Integer("Print number", help="1 for the original, then 2, 3... for the copies")
    user_id = fields.Many2one("res.users", "Printed by", ondelete="set null")
    lang = fields.Char("Language")

    def record(self):
        """The printed document, as the current user (who must be allowed to read it)."""
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).exists()


class Printable(AbstractModel):
    _name = "sale.printable"
    _description = "Printable sales document"

    @api.ui_callable
    def action_print(self):
        """Log a print of each document and open the print page of the first one."""
        logs = self.print_documents()
        return {"url": f"/web/sales/print/{logs[0].id}", "logs": logs}

    def print_documents(self, lang=None):
        """One ``sale.print.log`` per document; posted tax documents count their prints."""
        if not self:
            raise UserError(tr(self.env, "Nothing to print"))
        self._check_access("read")
        self._check_rules("read")
        rows = []
        posted_state = LEGAL.get(self._name)
        for doc in self:
            if posted_state and doc.state == posted_state:
                number = (doc.print_count or 0) + 1
                doc.with_context(sales_system=True).sudo().write({"print_count": number})
                label = "original" if number == 1 else "copy"
            else:
                number, label = None, "draft" if posted_state else "plain"
            rows.append({"res_model": self._name, "res_id": doc.id, "document": doc.name, "label": label,
                         "number": number, "user_id": self.env.uid or None, "lang": lang or self.env.lang})
        return self.env["sale.print.log"].sudo().create(rows)

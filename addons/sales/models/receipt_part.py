"""What a receipt's payment lines and allocations share: they change only with a draft receipt."""
from core.orm import AbstractModel


class ReceiptPart(AbstractModel):
    _name = "account.receipt.part"
    _description = "Line of a receipt"

    def _check_receipts_editable(self, vals_list):
        """New lines: their receipts must be drafts."""
        ids = {vals.get("receipt_id") for vals in vals_list} - {None, False}
        self.env["account.receipt"].browse(tuple(ids))._check_editable()

    def write(self, vals):
        if not self.env.context.get("sales_system"):  # posting, bouncing: the receipt's own moves
            self.mapped("receipt_id")._check_editable()
        return super().write(vals)

    def unlink(self):
        self.mapped("receipt_id")._check_editable()
        return super().unlink()

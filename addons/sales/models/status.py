"""Quotes and orders follow status flows of the bpm addon (``data/flows.xml``).

``_move`` is the one way sales code changes a status: a user's move checks the flow's
transitions and groups; ``system=True`` moves (deliveries, invoices, the expiry job)
skip the groups, as bpm's ``sudo().move_to`` does.
"""
from core.orm import AbstractModel

from .tools import label


class SalesStatus(AbstractModel):
    _name = "sale.status"
    _inherit = ["bpm.document"]
    _description = "Sales document status"

    def _status_label(self):
        return label(self.env, self.status_id.name) if self.status_id else ""

    def _move(self, code, system=False):
        """Move all these documents to ``code`` (refused whole, with bpm's message, when one may not)."""
        if self:
            (self.sudo() if system else self).move_to(code)
        return self

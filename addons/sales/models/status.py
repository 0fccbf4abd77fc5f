"""The status of quotes and orders (``status_code``), moved only through ``_move``.

Each document model lists its statuses in ``_STATUSES`` and the moves it allows in
``_MOVES``; a refused move raises one clear error and writes nothing.
"""
from core.exceptions import UserError
from core.orm import AbstractModel, fields

from .tools import label, tr


class SalesStatus(AbstractModel):
    _name = "sale.status"
    _description = "Sales document status"

    _STATUSES = [("draft", "Draft")]
    _MOVES = {}

    status_code = fields.Selection("_status_options", "Status", default="draft", index=True, copy=False,
                                   tracking=True)

    @classmethod
    def _status_options(cls):
        return cls._STATUSES

    def _status_label(self):
        return self._label_of(self.status_code)

    def _move(self, code, system=False):
        """Move all these documents to status ``code`` (refused whole when one may not)."""
        for doc in self:
            if code not in self._MOVES.get(doc.status_code, ()):
                raise UserError(tr(self.env, "{document} {name} cannot go from {old} to {new}",
                                   document=label(self.env, self._description), name=doc.name,
                                   old=doc._status_label(), new=self._label_of(code)))
        if self:
            self.write({"status_code": code})
        return self

    def _label_of(self, code):
        return label(self.env, dict(self._STATUSES).get(code, code or ""))

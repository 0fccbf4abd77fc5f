"""A status of a flow: where a document is, and what its time limit is there."""
from core.exceptions import UserError
from core.i18n import _
from core.orm import Model, fields

from ..spec import TranslatedNames, forget_specs


class Status(TranslatedNames, Model):
    _name = "bpm.status"
    _description = "Status"
    _order = "flow_id, sequence, id"

    flow_id = fields.Many2one("bpm.flow", "Flow", required=True, ondelete="cascade")
    code = fields.Char("Code", required=True, help="Stable identifier used by code and domains, e.g. confirmed")
    name = fields.Char("Name", required=True, translate=True)
    sequence = fields.Integer("Sequence", default=10)
    is_initial = fields.Boolean("Initial", help="New documents start in this status")
    is_closed = fields.Boolean("Closed", help="A final status: the document is no longer open")
    fold = fields.Boolean("Folded in kanban")
    color = fields.Char("Colour", help="A CSS colour, e.g. #2e7d32")
    time_limit_hours = fields.Decimal("Time limit (hours)", digits=2,
                                      help="A document staying longer is escalated by the scheduled job")
    action_ids = fields.One2many("bpm.action", "status_id", "Automatic actions")

    _sql_constraints = [("code_uniq", "unique(flow_id, code)", "Two statuses of a flow cannot have the same code")]

    def create(self, vals_list):
        records = super().create(vals_list)
        forget_specs(self.env)
        return records

    def write(self, vals):
        moved = {"code", "is_closed"} & set(vals)
        result = super().write(vals)
        forget_specs(self.env)
        if moved:
            self._sync_documents()
        return result

    def unlink(self):
        from ..engine import speaking
        with speaking(self.env):
            self._refuse_if_used()
        forget_specs(self.env)
        return super().unlink()

    def _documents(self):
        """``{model name: documents}`` of every flow-driven model with documents in these statuses."""
        from .document import document_models
        found = {}
        for name in document_models(self.env):
            documents = self.env[name].sudo().with_context(active_test=False).search(
                [("status_id", "in", list(self._ids))])
            if documents:
                found[name] = documents
        return found

    def _refuse_if_used(self):
        for model_name, documents in self._documents().items():
            statuses = documents.mapped("status_id") & self
            raise UserError(_("The status '{status}' of the flow '{flow}' still holds {count} document(s) "
                              "({model}): move them to another status before removing it.").format(
                status=_(statuses[:1].name), flow=_(statuses[:1].flow_id.name), count=len(documents),
                model=model_name))

    def _sync_documents(self):
        """A renamed code or a status closed later: documents already there follow."""
        for _model, documents in self._documents().items():
            for status in self:
                mine = documents.filtered(lambda d, s=status: d.status_id.id == s.id)
                mine.with_context(bpm_moving=True).write({"status_code": status.code, "is_closed": status.is_closed})

"""A status flow: the statuses of one document model and the transitions between them."""
from core.exceptions import ValidationError
from core.orm import Model, api, fields

from ..spec import TranslatedNames, forget_specs
from .. import validation


class Flow(TranslatedNames, Model):
    _name = "bpm.flow"
    _description = "Status flow"
    _order = "model, id"

    name = fields.Char("Name", required=True, translate=True)
    model = fields.Char("Document model", required=True, index=True,
                        help="Technical name of the model whose documents follow this flow, e.g. sale.order")
    note = fields.Text("Description")
    status_ids = fields.One2many("bpm.status", "flow_id", "Statuses", copy=True)
    transition_ids = fields.One2many("bpm.transition", "flow_id", "Transitions", copy=True)
    action_ids = fields.One2many("bpm.action", "flow_id", "Automatic actions", copy=True)

    _sql_constraints = [("model_uniq", "unique(model)", "A document model follows one status flow only")]

    def create(self, vals_list):
        flows = super().create(vals_list)
        forget_specs(self.env)
        if not self.env.context.get("loading_data"):
            flows.check_flow()
        return flows

    def write(self, vals):
        result = super().write(vals)
        forget_specs(self.env)
        if not self.env.context.get("loading_data"):
            self.check_flow()
        return result

    def unlink(self):
        forget_specs(self.env)
        return super().unlink()

    @api.constrains("model")
    def _check_model(self):
        for flow in self:
            validation.check_model(self.env, flow)

    @api.ui_callable
    def check_flow(self):
        """Refuse a broken flow with one message naming it (the flow form's button, and every load)."""
        from ..engine import speaking
        with speaking(self.env):
            for flow in self:
                problems = validation.problems(self.env, flow)
                if problems:
                    raise ValidationError(validation.message(flow, problems))
        return True

    def run_escalations(self):
        """The scheduled job: documents past their deadline run their status's escalation actions."""
        from ..escalation import run_escalations
        return run_escalations(self.env)

"""A transition: the way from one status to another, with who may take it and on which conditions."""
from core.exceptions import ValidationError
from core.orm import Model, api, fields

from ..spec import forget_specs


class Transition(Model):
    _name = "bpm.transition"
    _description = "Transition"
    _order = "flow_id, sequence, id"

    flow_id = fields.Many2one("bpm.flow", "Flow", required=True, ondelete="cascade")
    name = fields.Char("Label", required=True, translate=True, help="The text of the button")
    help = fields.Char("Explanation", translate=True,
                       help="Shown on the button, and as the reason when the condition is not met")
    sequence = fields.Integer("Sequence", default=10)
    from_status_id = fields.Many2one("bpm.status", "From", required=True, ondelete="cascade")
    to_status_id = fields.Many2one("bpm.status", "To", required=True, ondelete="cascade")
    group_ids = fields.Many2many("res.groups", "bpm_transition_group_rel", "transition_id", "group_id",
                                 "Allowed groups", help="Empty: every user who may change the document")
    condition = fields.Json("Condition", help='A domain the document must match, e.g. [["amount", ">", 0]]')
    required_field_names = fields.Char("Required fields", help="Comma-separated field names, e.g. partner_id,date")
    comment_required = fields.Boolean("Comment required")

    def create(self, vals_list):
        records = super().create(vals_list)
        forget_specs(self.env)
        return records

    def write(self, vals):
        result = super().write(vals)
        forget_specs(self.env)
        return result

    def unlink(self):
        forget_specs(self.env)
        return super().unlink()

    @api.constrains("condition")
    def _check_condition(self):
        for transition in self:
            if transition.condition is not None and not isinstance(transition.condition, list):
                raise ValidationError(f"Transition {transition.name!r}: the condition must be a list (a domain)",
                                      field="condition")

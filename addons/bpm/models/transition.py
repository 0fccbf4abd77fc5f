"""A transition: the way from one status to another, with who may take it and on which conditions."""
import json

from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields

from ..spec import TranslatedNames, forget_specs


class Transition(TranslatedNames, Model):
    _name = "bpm.transition"
    _description = "Transition"
    _order = "flow_id, sequence, id"

    flow_id = fields.Many2one("bpm.flow", "Flow", required=True, ondelete="cascade")
    name = fields.Char("Label", required=True, translate=True, help="The text of the button")
    help = fields.Char("Explanation", translate=True,
                       help="Shown on the button, and as the reason when the condition is not met")
    sequence = fields.Integer("Sequence", default=10)
    from_status_id = fields.Many2one("bpm.status", "From status", required=True, ondelete="cascade")
    to_status_id = fields.Many2one("bpm.status", "To status", required=True, ondelete="cascade")
    group_ids = fields.Many2many("res.groups", "bpm_transition_group_rel", "transition_id", "group_id",
                                 "Allowed groups", help="Empty: every user who may change the document")
    condition = fields.Text("Condition", help='A domain (JSON) the document must match, e.g. [["amount", ">", 0]]')
    required_field_names = fields.Char("Required fields", help="Comma-separated field names, e.g. partner_id,date")
    comment_required = fields.Boolean("Comment required")

    def create(self, vals_list):
        vals_list = [_json_condition(vals) for vals in ([vals_list] if isinstance(vals_list, dict) else vals_list)]
        records = super().create(vals_list)
        forget_specs(self.env)
        return records

    def write(self, vals):
        result = super().write(_json_condition(vals))
        forget_specs(self.env)
        return result

    def unlink(self):
        forget_specs(self.env)
        return super().unlink()

    def domain(self):
        """The condition as a domain (a list), or None."""
        self.ensure_one()
        return parse_condition(self.condition)

    @api.constrains("condition")
    def _check_condition(self):
        for transition in self:
            try:
                parse_condition(transition.condition)
            except ValueError as exc:
                raise ValidationError(_("Transition '{transition}': {problem}").format(
                    transition=transition.name, problem=exc), field="condition") from None


def parse_condition(text):
    """The domain a condition's JSON text holds (None when empty); ValueError says what is wrong."""
    if text is None or not str(text).strip():
        return None
    try:
        domain = json.loads(text)
    except ValueError:
        raise ValueError(_("the condition is not valid JSON, e.g. [[\"amount\", \">\", 0]]")) from None
    if not isinstance(domain, list):
        raise ValueError(_("the condition must be a list (a domain)"))
    return domain or None


def _json_condition(vals):
    """Conditions given as lists (code, tests) are stored as their JSON text."""
    if isinstance(vals.get("condition"), (list, tuple)):
        return {**vals, "condition": json.dumps(list(vals["condition"]))}
    return vals

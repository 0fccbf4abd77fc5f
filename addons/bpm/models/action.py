"""Automatic actions: what runs when a document enters or leaves a status, or is late there."""
import json

from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields

from ..spec import forget_specs

TRIGGERS = [("enter", "On entering the status"), ("leave", "On leaving the status"),
            ("escalate", "On escalation (time limit passed)")]
KINDS = [("task", "Create a task"), ("email", "Send an email"), ("write", "Set field values"),
         ("hook", "Call a named hook"), ("deadline", "Set a deadline"), ("reassign", "Reassign the owner"),
         ("move", "Move to another status")]
PROTECTED = ("status_id", "status_code", "status_date", "is_closed", "bpm_escalated", "id")


class FlowAction(Model):
    _name = "bpm.action"
    _description = "Automatic action"
    _order = "flow_id, sequence, id"

    flow_id = fields.Many2one("bpm.flow", "Flow", required=True, ondelete="cascade")
    status_id = fields.Many2one("bpm.status", "Status", required=True, ondelete="cascade")
    trigger = fields.Selection(TRIGGERS, "When", required=True, default="enter")
    kind = fields.Selection(KINDS, "Action", required=True, default="task")
    sequence = fields.Integer("Sequence", default=10)
    active = fields.Boolean("Active", default=True)
    name = fields.Char("Task title", translate=True)
    user_id = fields.Many2one("res.users", "User", ondelete="set null",
                              help="Who gets the task, or the new owner; empty: the document's owner")
    template_id = fields.Many2one("mail.template", "Email template", ondelete="restrict")
    values = fields.Text("Values", help='Field values to set, as JSON, e.g. {"priority": "high"}')
    hook_name = fields.Char("Hook action name", help="Passed to the bpm_action hook as its name")
    hours = fields.Decimal("Hours", digits=2, help="Deadline of the task or of the document, from now")
    target_status_id = fields.Many2one("bpm.status", "Move to", ondelete="cascade")

    def create(self, vals_list):
        vals_list = [_json_values(vals) for vals in ([vals_list] if isinstance(vals_list, dict) else vals_list)]
        records = super().create(vals_list)
        forget_specs(self.env)
        return records

    def write(self, vals):
        result = super().write(_json_values(vals))
        forget_specs(self.env)
        return result

    def unlink(self):
        forget_specs(self.env)
        return super().unlink()

    @api.constrains("kind", "template_id", "values", "hook_name", "hours", "target_status_id", "status_id", "name")
    def _check_settings(self):
        for action in self:
            problem = action._problem()
            if problem:
                raise ValidationError(_("Automatic action of the flow '{flow}', status '{status}': {problem}").format(
                    flow=_(action.flow_id.name or ""), status=_(action.status_id.name or ""), problem=problem))

    def field_values(self):
        """The values a ``write`` action sets, as a dict (None when they are not a JSON object)."""
        try:
            values = json.loads(self.values or "null")
        except ValueError:
            return None
        return values if isinstance(values, dict) else None

    def _problem(self):
        """What is wrong with this action's settings, as one sentence (None: nothing)."""
        model = self.flow_id.model
        if self.status_id.flow_id != self.flow_id:
            return _("its status belongs to another flow")
        if self.kind == "task" and not self.name:
            return _("a task needs a title")
        if self.kind == "email":
            if not self.template_id:
                return _("an email needs a template")
            if self.template_id.model != model:
                return _("the template '{template}' is for {model}, not for {flow_model}").format(
                    template=self.template_id.name, model=self.template_id.model, flow_model=model)
        if self.kind == "write":
            values = self.field_values()
            if not isinstance(values, dict) or not values:
                return _("set field values needs the values, as a JSON object")
            fields_of = self.env.registry.models[model]._fields if model in self.env.registry.models else {}
            for name in values:
                if name in PROTECTED:
                    return _("the field '{field}' is set by the flow itself").format(field=name)
                if name not in fields_of:
                    return _("the model {model} has no field '{field}'").format(model=model, field=name)
        if self.kind == "hook" and not (self.hook_name or "").strip():
            return _("a hook action needs a name")
        if self.kind == "deadline" and not (self.hours and self.hours > 0):
            return _("a deadline needs a number of hours")
        if self.kind == "reassign" and not self.user_id:
            return _("reassigning needs a user")
        if self.kind == "move":
            if not self.target_status_id or self.target_status_id.flow_id != self.flow_id:
                return _("moving needs a status of the same flow")
            if self.trigger != "escalate":
                return _("an automatic move runs on escalation only")
        return None


def _json_values(vals):
    """Values given as a dict (code, tests) are stored as their JSON text."""
    if isinstance(vals.get("values"), dict):
        return {**vals, "values": json.dumps(vals["values"])}
    return vals

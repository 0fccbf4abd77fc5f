"""The mixin a document model inherits to follow a status flow.

``_inherit = ["mail.thread", "bpm.document"]`` gives a model a status, an owner, the
moment it entered its status, a deadline and a history. The status only changes
through ``move_to`` (a write of ``status_id`` is routed there, with all its checks).
"""
from core.exceptions import UserError, ValidationError
from core.i18n import _
from core.orm import AbstractModel, fields

from .. import clock, engine
from ..spec import flow_spec

STATUS_FIELDS = ("status_id", "status_code")
SYSTEM_FIELDS = ("status_date", "is_closed", "bpm_escalated")


def document_models(env):
    """Names of the installed models that follow a flow (inherit ``bpm.document``)."""
    mixin = env.registry.models["bpm.document"]
    return sorted(name for name, cls in env.registry.models.items()
                  if not cls._abstract and issubclass(cls, mixin))


class BpmDocument(AbstractModel):
    _name = "bpm.document"
    _description = "Document with a status flow"

    status_id = fields.Many2one("bpm.status", "Status", ondelete="restrict", copy=False)
    status_code = fields.Char("Status code", index=True, copy=False)
    owner_id = fields.Many2one("res.users", "Owner", default=lambda self: self.env.uid, ondelete="set null")
    status_date = fields.Datetime("In status since", readonly=True, copy=False)
    deadline = fields.Datetime("Deadline", copy=False, index=True)
    is_closed = fields.Boolean("Closed", readonly=True, copy=False, index=True)
    bpm_escalated = fields.Boolean("Escalated", readonly=True, copy=False)

    # -- creation: the flow's initial status --------------------------------------------
    def create(self, vals_list):
        with engine.speaking(self.env):
            return self._bpm_create(vals_list)

    def _bpm_create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(vals) for vals in ([vals_list] if single else vals_list)]
        spec = flow_spec(self.env, self._name)
        if spec is None:
            return super().create(vals_list)
        moment, entered = clock.now(), []
        for vals in vals_list:
            status = self._bpm_status_of(spec, vals)
            if not status.is_initial and not self.env.su:
                raise UserError(_("A new document starts in the status '{status}'; it is moved on afterwards.")
                                .format(status=_(spec.initial.name)))
            vals.update(engine.arrival_values(status, moment))
            entered.append(status)
        records = super().create(vals_list)
        engine.record_creation(records, spec, entered, moment)
        return records

    def _bpm_status_of(self, spec, vals):
        code = vals.pop("status_code", None)
        status_id = vals.pop("status_id", None)
        if hasattr(status_id, "_ids"):
            status_id = status_id.id
        if status_id:
            status = spec.statuses.get(int(status_id))
            if status is None:
                raise ValidationError(_("This status does not belong to the flow '{flow}'.").format(
                    flow=_(spec.name)), field="status_id")
            return status
        if code:
            if code not in spec.by_code:
                raise ValidationError(_("The flow '{flow}' has no status '{code}'.").format(
                    flow=_(spec.name), code=code), field="status_code")
            return spec.by_code[code]
        if spec.initial is None:
            raise UserError(_("The flow '{flow}' has no initial status.").format(flow=_(spec.name)))
        return spec.initial

    # -- writing: a status change is a move ----------------------------------------------
    def write(self, vals):
        if self.env.context.get("bpm_moving") or not self._ids:
            return super().write(vals)
        with engine.speaking(self.env):
            return self._bpm_write(vals)

    def _bpm_write(self, vals):
        vals = dict(vals)
        system = [name for name in SYSTEM_FIELDS if name in vals]
        if system:
            field = self._fields[system[0]]
            raise ValidationError(_("'{field}' is set by the status flow and cannot be written.").format(
                field=_(field.string)), field=system[0])
        if not set(STATUS_FIELDS) & set(vals):
            return super().write(vals)
        spec = flow_spec(self.env, self._name)
        if spec is None:
            raise UserError(_("{model} has no status flow: its status cannot be set.").format(model=self._name))
        target = self._bpm_status_of(spec, vals)
        comment = self.env.context.get("bpm_comment")
        if vals:
            super().write(vals)
        moving = self.browse(tuple(rid for rid, current in engine.current_status_ids(self).items()
                                   if current != target.id))
        if moving:
            moving.move_to(target.code, comment=comment)
        return True

    # -- the public API ------------------------------------------------------------------
    def move_to(self, code, comment=None, transition=None):
        """Move these documents to the status ``code`` through the flow's transition from
        each one's status; every rule is checked for all before anything is written.

        Raises ``UserError`` (one clear message) on refusal; returns the records.
        ``records.sudo().move_to(code)`` is a system move: groups are not checked.
        ``transition`` (a ``bpm.transition`` or its id) picks one when several lead there.
        """
        transition_id = transition.id if hasattr(transition, "_ids") else transition
        with engine.speaking(self.env):
            engine.move(self, code, comment, transition_id=int(transition_id) if transition_id else None)
        return self

    def allowed_transitions(self):
        """``{record id: [bpm.transition records]}``: what the current user may do with each document
        now (transition, groups, condition; required fields and comments are asked when taken)."""
        return engine.allowed(self)

    def bpm_history(self):
        """The history of this document, newest first (readable by whoever may read the document)."""
        self.ensure_one()
        self._check_access("read")
        self._check_rules("read")
        return self.env["bpm.history"].sudo().search([("res_model", "=", self._name), ("res_id", "=", self.id)])

    def _group_expand_status_id(self):
        """The columns of a board grouped by status: this model's statuses, in flow order."""
        spec = flow_spec(self.env, self._name)
        return self.env["bpm.status"].sudo().browse(tuple(spec.statuses) if spec else ())

    def bpm_flow(self):
        """The flow of this model (a ``bpm.flow`` record, empty when none)."""
        spec = flow_spec(self.env, self._name)
        return self.env["bpm.flow"].sudo().browse(spec.id if spec else ())

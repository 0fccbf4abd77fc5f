"""The history of a document's statuses: who moved it, when, from where to where, and why."""
from core.orm import Model, fields

KINDS = [("create", "Created"), ("move", "Moved"), ("escalation", "Escalated")]


class History(Model):
    _name = "bpm.history"
    _description = "Status history"
    _order = "date desc, id desc"
    _rec_name = "res_model"

    res_model = fields.Char("Document model", required=True, index=True)
    res_id = fields.Integer("Document", required=True, index=True)
    kind = fields.Selection(KINDS, "Event", required=True, default="move")
    from_status_id = fields.Many2one("bpm.status", "From status", ondelete="set null")
    to_status_id = fields.Many2one("bpm.status", "To status", ondelete="set null")
    from_name = fields.Char("From status name", help="The status name when it happened (kept if the status goes)")
    to_name = fields.Char("To status name")
    transition_id = fields.Many2one("bpm.transition", "Transition", ondelete="set null")
    user_id = fields.Many2one("res.users", "User", ondelete="set null")
    date = fields.Datetime("Date", required=True)
    comment = fields.Text("Comment")

"""Tasks the flow gives people: "review this quote", created by an automatic action."""
from core.orm import Model, api, fields

STATES = [("open", "Open"), ("done", "Done")]


class Task(Model):
    _name = "bpm.task"
    _description = "Flow task"
    _order = "state, date_deadline, id"

    name = fields.Char("Task", required=True, translate=True)
    user_id = fields.Many2one("res.users", "Assigned to", required=True, index=True, ondelete="cascade")
    res_model = fields.Char("Document model", index=True)
    res_id = fields.Integer("Document", index=True)
    document_name = fields.Char("Document")
    status_id = fields.Many2one("bpm.status", "Status", ondelete="set null")
    action_id = fields.Many2one("bpm.action", "Created by", ondelete="set null")
    date_deadline = fields.Datetime("Deadline")
    state = fields.Selection(STATES, "State", required=True, default="open", index=True)
    note = fields.Text("Note")

    @api.ui_callable
    def action_done(self):
        self.write({"state": "done"})
        return True

    @api.ui_callable
    def action_open_document(self):
        self.ensure_one()
        return {"url": f"/web/m/{self.res_model}/{self.res_id}"}

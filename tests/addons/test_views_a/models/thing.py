"""A thing with lines and a state: the subject of the view tests."""
from core.orm import Model, fields


class Thing(Model):
    _name = "test.views.thing"
    _description = "Test thing"

    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    date = fields.Date("Date")
    amount = fields.Decimal("Amount", digits=2)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], "Status", default="draft")
    partner_id = fields.Many2one("res.partner", "Partner")
    line_ids = fields.One2many("test.views.line", "thing_id", "Lines")
    secret = fields.Char("Secret", groups="base.group_system")

    def action_done(self):
        self.write({"state": "done"})


class ThingLine(Model):
    _name = "test.views.line"
    _description = "Test thing line"

    thing_id = fields.Many2one("test.views.thing", "Thing", required=True, ondelete="cascade")
    name = fields.Char("Description", required=True)
    quantity = fields.Integer("Quantity", default=1)

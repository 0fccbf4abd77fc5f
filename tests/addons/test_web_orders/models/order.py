"""test.order gets a state (kanban columns), a note, an onchange, a constraint and buttons;
its lines a checkbox (edited inline)."""
from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields


class WebOrder(Model):
    _inherit = "test.order"

    state = fields.Selection([("draft", "Draft"), ("confirmed", "Confirmed"), ("done", "Done")], "Status",
                             default="draft")
    note = fields.Char("Note")
    number = fields.Char("Number", readonly=True)
    priority = fields.Selection([("low", "Low"), ("high", "High")], "Priority", default="low")  # not a kanban column

    @api.constrains("name")
    def _check_name(self):
        for order in self:
            if order.name and "!" in order.name:
                raise ValidationError("A reference cannot contain '!'", field="name")

    @api.onchange("partner_id")
    def _onchange_partner_id(self, values):
        """The note follows the customer's city (a round trip the form makes when the customer changes)."""
        raw = values.get("partner_id")
        if not raw or not str(raw).isdigit():
            return {}
        partner = self.env["res.partner"].browse(int(raw)).exists()
        return {"note": f"Deliver to {partner.city}" if partner and partner.city else None}

    @api.ui_callable
    def action_confirm(self):
        self.write({"state": "confirmed"})
        if self.note == "refuse":  # a refusal after a write: the button's whole work is undone
            raise UserError("This order cannot be confirmed: its note says so")
        return True

    def action_secret(self):
        """Not callable from the UI or the API."""
        self.write({"state": "done"})


class WebOrderLine(Model):
    _inherit = "test.order.line"

    gift = fields.Boolean("Gift wrap")

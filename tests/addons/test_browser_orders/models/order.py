"""test.order gets a state: the kanban columns a card is dragged between."""
from core.orm import Model, fields


class BrowserOrder(Model):
    _inherit = "test.order"

    state = fields.Selection([("draft", "Draft"), ("confirmed", "Confirmed"), ("done", "Done")], "Status",
                             default="draft")

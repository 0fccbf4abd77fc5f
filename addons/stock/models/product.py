"""Products show their stock (all warehouses), their expected arrivals and their suppliers."""
from core.exceptions import ValidationError
from core.orm import Model, api, fields

from ..tools import ZERO, tr


class ProductStock(Model):
    _inherit = "product.product"

    qty_on_hand = fields.Decimal("On hand", digits=3, compute="_compute_stock")
    qty_reserved = fields.Decimal("Reserved", digits=3, compute="_compute_stock")
    qty_available = fields.Decimal("Available", digits=3, compute="_compute_stock",
                                   help="On hand minus reserved for confirmed orders")
    qty_incoming = fields.Decimal("Expected incoming", digits=3, compute="_compute_stock",
                                  help="Confirmed on purchase orders, not yet received")
    next_arrival_date = fields.Date("Next expected arrival", compute="_compute_stock")
    stock_level_ids = fields.One2many("stock.level", "product_id", "Stock per warehouse")
    supplierinfo_ids = fields.One2many("stock.supplierinfo", "product_id", "Suppliers")

    def write(self, vals):
        if vals.get("type") == "service":
            moved = self.env["stock.move"].sudo().search([("product_id", "in", self.ids), ("state", "!=", "cancelled")],
                                                         limit=1)
            if moved:
                raise ValidationError(tr(self.env, "{product} has stock moves: it cannot become a service").format(
                    product=moved.product_id.display_name), field="type")
        return super().write(vals)

    def _compute_stock(self):
        """One availability call for every product being shown."""
        answer = self.env["stock.availability"].get(self._ids)
        for product in self:
            values = answer.get(product.id)
            incoming = sum((qty for _when, qty in values["incoming"]), ZERO) if values else ZERO
            product.qty_on_hand = values["on_hand"] if values else ZERO
            product.qty_reserved = values["reserved"] if values else ZERO
            product.qty_available = values["available"] if values else ZERO
            product.qty_incoming = incoming
            product.next_arrival_date = values["next_arrival"][0] if values and values["next_arrival"] else None

    @api.ui_callable
    def action_view_availability(self):
        """The availability screen: stock per warehouse and the projected stock over time."""
        return {"url": f"/web/stock/availability/{self.ensure_one().id}"}

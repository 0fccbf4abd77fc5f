"""Partners earn points; their tier follows from the points (a stored computed field)."""
from core.exceptions import ValidationError
from core.orm import Model, api, fields


class PartnerLoyalty(Model):
    _inherit = "res.partner"

    loyalty_points = fields.Integer("Loyalty points", default=0, tracking=True)
    loyalty_tier_id = fields.Many2one("loyalty.tier", "Loyalty tier", compute="_compute_tier", store=True)

    @api.depends("loyalty_points")
    def _compute_tier(self):
        tiers = self.env["loyalty.tier"].search([], order="min_points desc")
        for partner in self:
            partner.loyalty_tier_id = next((t for t in tiers if partner.loyalty_points >= t.min_points), None)

    @api.constrains("loyalty_points")
    def _check_points(self):
        for partner in self:
            if partner.loyalty_points < 0:
                raise ValidationError(f"{partner.name}: loyalty points cannot be negative", field="loyalty_points")

    def add_points(self, points):
        """Give each of these partners ``points`` more points (one write per partner)."""
        for partner in self:
            partner.write({"loyalty_points": partner.loyalty_points + points})

"""Loyalty tiers: how many points make a customer silver or gold."""
from core.orm import Model, fields


class LoyaltyTier(Model):
    _name = "loyalty.tier"
    _description = "Loyalty tier"
    _order = "min_points"

    name = fields.Char("Tier", required=True)
    min_points = fields.Integer("From points", required=True, default=0)
    discount = fields.Decimal("Discount (%)", digits=2, default=0)

    _sql_constraints = [("min_points_positive", "check(min_points >= 0)", "Points cannot be negative")]

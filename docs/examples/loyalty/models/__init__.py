"""The model classes of the loyalty addon, read by the registry in this order."""
from .loyalty_tier import LoyaltyTier
from .res_partner import PartnerLoyalty

MODELS = [LoyaltyTier, PartnerLoyalty]

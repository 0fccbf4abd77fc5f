"""The models of the pricelist addon, in the order the loader reads them."""
from .bulk_update import PricelistUpdate, PricelistUpdateLine
from .customer_pricing import FamilyDiscount, SpecialPrice
from .history import PriceHistory, PriceTracked
from .pricelist import Pricelist, PricelistItem
from .pricing import Pricing
from .res_partner import PartnerPricing

MODELS = [
    PriceTracked, PriceHistory, Pricelist, PricelistItem, SpecialPrice, FamilyDiscount, PartnerPricing, Pricing,
    PricelistUpdate, PricelistUpdateLine,
]

"""The models of the base addon, in the order the loader reads them."""
from .partner import Partner

MODELS = [Partner]

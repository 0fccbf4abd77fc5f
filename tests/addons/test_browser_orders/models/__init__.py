from .order import BrowserOrder

MODELS = [BrowserOrder]

from .order import WebOrder, WebOrderLine

MODELS = [WebOrder, WebOrderLine]

from .order import Order, OrderLine

MODELS = [Order, OrderLine]

from .invoice import Invoice, InvoiceLine
from .order import Order, OrderLine

MODELS = [Order, OrderLine, Invoice, InvoiceLine]

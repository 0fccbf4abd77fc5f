"""The models of the sales addon, mixins first."""
from .document import SalesDocument, SalesDocumentLine
from .order import Order, OrderLine
from .payment_term import PaymentTerm
from .quote import Quote, QuoteLine
from .status import SalesStatus

MODELS = [
    SalesDocument, SalesDocumentLine, SalesStatus, PaymentTerm,
    Quote, QuoteLine, Order, OrderLine,
]

"""The models of the sales addon, mixins first."""
from .allocation import AllocationThreshold
from .availability import AvailabilityLine
from .delivery import Delivery, DeliveryLine
from .document import SalesDocument, SalesDocumentLine
from .invoice import Invoice, InvoiceLine
from .ledger import LedgerEntry
from .order import Order, OrderLine
from .payment import Payment
from .payment_term import PaymentTerm
from .printing import Printable, PrintLog
from .quote import Quote, QuoteLine
from .receipt import Receipt, ReceiptAllocation
from .receipt_part import ReceiptPart
from .res_partner import PartnerSales
from .status import SalesStatus

MODELS = [
    SalesDocument, SalesDocumentLine, SalesStatus, AvailabilityLine, Printable, PaymentTerm, PartnerSales, PrintLog,
    Quote, QuoteLine, Order, OrderLine, Delivery, DeliveryLine, Invoice, InvoiceLine,
    ReceiptPart, Receipt, ReceiptAllocation, Payment, LedgerEntry, AllocationThreshold,
]

"""The models of the base addon, in the order the loader reads them."""
from .attachment import Attachment
from .company import Company, Currency, VatRate
from .mail_message import MailMessage
from .mail_thread import MailThread
from .partner import Partner
from .product import Product, ProductFamily, Uom
from .sequence import Sequence, SequenceCounter
from .users import Groups, Users

MODELS = [
    MailThread, MailMessage, Currency, Company, VatRate, Groups, Users, Partner,
    Uom, ProductFamily, Product, Attachment, Sequence, SequenceCounter,
]

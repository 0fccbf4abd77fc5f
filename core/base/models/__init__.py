"""The models of the base addon, in the order the loader reads them."""
from .access import AccessCacheMixin, ModelAccess, RecordRule
from .attachment import Attachment
from .auth import ApiKey, LoginAttempt, UsersAuth
from .company import Company, Currency, VatRate
from .ir_actions import WindowAction
from .ir_cron import Cron
from .ir_ui_menu import Menu
from .ir_ui_view import View
from .mail_mail import MailMail
from .mail_message import MailMessage
from .mail_template import MailTemplate
from .mail_thread import MailThread
from .partner import Partner
from .product import Product, ProductFamily, Uom
from .sequence import Sequence, SequenceCounter
from .session import Session
from .ui_cache import UiCacheMixin
from .users import Groups, Users

MODELS = [
    MailThread, AccessCacheMixin, MailMessage, MailTemplate, MailMail, Currency, Company, VatRate, Groups, Users,
    Partner, Uom, ProductFamily, Product, Attachment, Sequence, SequenceCounter,
    ModelAccess, RecordRule, LoginAttempt, UsersAuth, ApiKey, Session, Cron,
    UiCacheMixin, View, WindowAction, Menu,
]

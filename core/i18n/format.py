"""Locale formatting helpers shared by templates, reports and exports.

Kesher languages map to full Babel locales: ``he`` is ``he_IL`` (weeks start on Sunday,
₪ after the amount), ``en`` is ``en_US``. Every helper takes ``lang=None`` meaning the
current language (``core.i18n.use_lang`` / the web request). Stored datetimes are UTC
(naive ones are taken as UTC) and shown in the user's time zone.
"""
import copy
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date, format_datetime as _babel_datetime, get_timezone
from babel.numbers import format_currency as _babel_currency, format_decimal as _babel_decimal, get_currency_precision

# Babel inserts these invisible direction marks (e.g. around "₪" in he_IL) so the
# text renders right in a browser; in a plain-text subject or body many mail
# clients show them as garbage or break copy/paste, so we remove them there.
BIDI_MARKS = "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"
_BIDI_TABLE = str.maketrans("", "", BIDI_MARKS)

LOCALES = {"he": "he_IL", "en": "en_US"}
DEFAULT_TZ = "Asia/Jerusalem"


def strip_bidi(text):
    """Return ``text`` without invisible bidi marks (LRM, RLM, ALM and isolates)."""
    return text.translate(_BIDI_TABLE)


def for_export(text):
    """Text for CSV/Excel exports and plain-text mail: formatted, but without bidi marks."""
    return strip_bidi(text) if isinstance(text, str) else text


def babel_locale(lang=None):
    """The Babel ``Locale`` of a Kesher language (``he`` → he_IL, ``en`` → en_US; ``he_IL`` as is)."""
    if isinstance(lang, Locale):
        return lang
    if lang is None:
        from .translate import get_lang
        lang = get_lang()
    code = LOCALES.get(lang, lang).replace("-", "_")
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(LOCALES["en"])


def format_amount(value, currency="ILS", lang=None, digits=None):
    """An amount of money with its currency symbol, e.g. ``‏1,234.50 ‏₪`` in Hebrew.

    ``digits`` forces the number of decimals (default: the currency's, 2 for ILS).
    The result holds bidi marks for display; pass it through ``for_export`` for files.
    """
    if value is None or value is False:
        return ""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    locale = babel_locale(lang)
    places = get_currency_precision(currency) if digits is None else digits
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # money: half up, not even
    if digits is not None:
        pattern = copy.copy(locale.currency_formats["standard"])
        pattern.frac_prec = (digits, digits)
        return pattern.apply(amount, locale, currency=currency, currency_digits=False)
    return _babel_currency(amount, currency, locale=locale)


def format_decimal(value, lang=None, digits=None):
    """A number with the locale's grouping and decimal separators (``digits`` decimals if given)."""
    if value is None or value is False:
        return ""
    number = value if isinstance(value, (Decimal, int)) else Decimal(str(value))
    if digits is None:
        return _babel_decimal(number, locale=babel_locale(lang))
    number = Decimal(number).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _babel_decimal(number, format=pattern, locale=babel_locale(lang), decimal_quantization=True)


def format_date(value, lang=None, format="short"):
    """A date as the locale writes it (``short``: 9.3.2025 in Hebrew, 3/9/25 in English)."""
    if value is None or value is False or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_date(value, format=format, locale=babel_locale(lang))


def format_datetime(value, tz=None, lang=None, format="short"):
    """A stored (UTC) moment shown in time zone ``tz`` (default Asia/Jerusalem)."""
    if value is None or value is False or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return _babel_datetime(value, format=format, tzinfo=get_timezone(tz or DEFAULT_TZ), locale=babel_locale(lang))


def first_week_day(lang=None):
    """The first day of the week in ``lang``: 0 is Monday, 6 is Sunday (he_IL and en_US)."""
    return babel_locale(lang).first_week_day

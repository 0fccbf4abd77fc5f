"""Small helpers shared by the stock models: translated messages, quantities, dates."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.exceptions import ValidationError
from core.i18n.translate import current_lang, gettext

QTY_DIGITS = 3
QUANTUM = Decimal(1).scaleb(-QTY_DIGITS)
ZERO = Decimal("0.000")


def tr(env, text):
    """``text`` in the language of ``env`` (the web user's), else the language current now.

    The web layer puts the user's language in the env's context; ``_()`` alone would
    answer in the process-wide language there.
    """
    lang = env.context.get("lang") or current_lang.get()
    return gettext(lang, text, env.registry.addons)


def to_qty(value):
    """A quantity as an exact Decimal with the stock precision; None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        number = number.quantize(QUANTUM, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def positive_qty(env, value, label, field="quantity"):
    """``value`` as a quantity above zero, else a translated ValidationError naming ``label``."""
    number = to_qty(value)
    if number is None:
        raise ValidationError(tr(env, "{what}: the quantity {value} is not a number").format(
            what=label, value=value), field=field)
    if number <= 0:
        raise ValidationError(tr(env, "{what}: the quantity must be above zero (got {value})").format(
            what=label, value=value), field=field)
    return number


def created_lines(commands):
    """The values of the lines an x2many value creates (dicts or ``("create", values)``)."""
    found = []
    for item in commands or ():
        if isinstance(item, dict):
            found.append(item)
        elif isinstance(item, (list, tuple)) and item and item[0] == "create" and len(item) == 2:
            found.append(item[1])
    return found


def to_date(value):
    """A date from a date, datetime or ISO text (None stays None)."""
    if value is None or value is False or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def record_id(value):
    """An id from a record, a dict with an id or an int (None stays None)."""
    if value is None or value is False:
        return None
    if hasattr(value, "_ids"):
        return value._ids[0] if value._ids else None
    return int(value)

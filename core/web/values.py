"""Field values for people: display by type with Babel, and parsing of form input."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from ..exceptions import ValidationError
from ..i18n.format import babel_locale, strip_bidi
from ..i18n.translate import _

try:
    from babel.dates import format_date as _bdate, format_datetime as _bdatetime
    from babel.numbers import format_currency as _bcurrency, format_decimal as _bdecimal
except ImportError:  # pragma: no cover - Babel is a dependency
    raise


def display(field, value, lang, record=None):
    """The text a person reads for ``value`` of ``field`` (language-aware)."""
    if value is None or value is False and field.type != "boolean":
        return ""
    kind = field.type
    if kind in ("char", "text"):
        if field.translate:  # a data value in English (a unit, a status): its catalog translation
            from ..i18n.translate import gettext
            return gettext(lang, str(value))
        return str(value)  # most cells of a list: no Babel locale to build for them
    locale = babel_locale(lang)
    if kind == "boolean":
        from ..i18n.translate import gettext
        return gettext(lang, "Yes") if value else gettext(lang, "No")
    if kind == "monetary":
        currency = _currency_code(field, record)
        return _bcurrency(value, currency, locale=locale)
    if kind == "decimal":
        return _bdecimal(value, format="#,##0." + "0" * field.digits, locale=locale)
    if kind == "float":
        return _bdecimal(value, locale=locale)
    if kind == "integer":
        return str(value) if field.name in ("id", "year") else _bdecimal(value, locale=locale)
    if kind == "date":
        return _bdate(value, format="short", locale=locale)
    if kind == "datetime":
        tz = "Asia/Jerusalem"
        return _bdatetime(value, format="short", tzinfo=_tz(tz), locale=locale)
    if kind == "selection":
        from ..i18n.translate import gettext
        labels = dict(field.options(record))
        return gettext(lang, labels.get(value, str(value)))
    if kind == "many2one":
        if hasattr(value, "_ids"):
            if not value:
                return ""
            if getattr(value._fields.get(value._rec_name), "translate", False):
                from ..i18n.translate import gettext
                return gettext(lang, value.display_name)
            return value.display_name
        return str(value)
    if kind in ("one2many", "many2many"):
        return ", ".join(value._display_names().values()) if hasattr(value, "_ids") else ""
    if kind == "binary":
        return f"{len(value)} B"
    return str(value)


def group_label(model, spec, value, lang):
    """The text of a group of ``read_group`` by ``spec`` (a selection shows its label)."""
    if isinstance(value, dict):
        return value["name"]
    if value is None:
        return "—"
    field = model._fields.get(spec.split(":")[0])
    if field is not None and field.type == "selection" and ":" not in spec:
        return display(field, value, lang, model)
    return str(value)


def plain(field, value, lang, record=None):
    """``display`` without the invisible direction marks (CSV, XLSX, JSON)."""
    return strip_bidi(display(field, value, lang, record))


def _currency_code(field, record):
    if record is not None:
        currency_field = getattr(field, "currency_field", None)
        if currency_field and currency_field in record._fields:
            currency = record[currency_field]
            if currency:
                return currency.name
    return "ILS"


def _tz(name):
    from babel.dates import get_timezone
    return get_timezone(name)


def parse(field, text):
    """The value of a form input for ``field``; ValidationError names the field."""
    if field.type == "boolean":
        return text in ("on", "1", "true", "True")
    text = (text or "").strip()
    if text == "":
        return None
    try:
        if field.type in ("decimal", "monetary"):
            return Decimal(strip_bidi(text).replace(",", "").replace("₪", "").strip())
        if field.type == "integer":
            return int(text.replace(",", ""))
        if field.type == "float":
            return float(text.replace(",", ""))
        if field.type == "date":
            return dt.date.fromisoformat(text)
        if field.type == "datetime":
            return dt.datetime.fromisoformat(text)
        if field.type == "many2one":
            return int(text)
    except (ValueError, InvalidOperation):
        raise ValidationError(_("'%(field)s': %(value)r is not a valid value")
                              % {"field": _(field.string), "value": text}, field=field.name) from None
    return text

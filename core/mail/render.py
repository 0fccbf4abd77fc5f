"""Render user-editable email templates safely.

Templates are written by administrators through the UI, so they run in Jinja2's
sandbox and any attempt to reach Python internals is an error rather than a
silently empty string. Missing values render empty, so a template survives a
record that lacks an optional field.
"""

import datetime
import functools
from decimal import Decimal

import jinja2
from babel.core import UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from core.exceptions import UserError
from core.i18n.format import strip_bidi
from core.i18n.translate import _lt


class TemplateError(UserError):
    """An email template is malformed, unsafe or fails while rendering.

    The message (an ``_lt``) is translated when shown, with ``values`` filled in: a
    template renders in its recipient's language, the error is for the sender.
    """

    def __init__(self, message, **values):
        super().__init__(message)
        self.values = values

    def __str__(self):
        return str(self.args[0]) % self.values if self.values else str(self.args[0])


class _StrictSandbox(SandboxedEnvironment):
    """A sandbox that refuses unsafe attributes loudly instead of rendering ''."""

    def unsafe_undefined(self, obj, attribute):
        raise SecurityError(
            f"access to attribute {attribute!r} of a {type(obj).__name__!r} value is not allowed"
        )


def format_amount(value, currency="ILS", locale="he_IL"):
    """Format a money amount the local way, e.g. 1234.5 -> '1,234.50 ₪' in he_IL."""
    if value is None or isinstance(value, jinja2.Undefined) or value == "":
        return ""
    return format_currency(Decimal(str(value)), currency, locale=locale)


def format_date(value, locale="he_IL", format="medium"):
    """Format a date (or ISO date string) in ``locale``, e.g. '5 במרץ 2024'."""
    if not value or isinstance(value, jinja2.Undefined):
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return babel_format_date(value, format=format, locale=locale)


def _plain(func):
    """Wrap a filter so its result loses the bidi marks meant for HTML rendering."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return strip_bidi(func(*args, **kwargs))

    return wrapper


def _environment(html):
    env = _StrictSandbox(autoescape=html, undefined=jinja2.ChainableUndefined)
    filters = {"format_amount": format_amount, "format_date": format_date}
    env.filters.update(filters if html else {k: _plain(f) for k, f in filters.items()})
    return env


_ENVIRONMENTS = {True: _environment(True), False: _environment(False)}


@functools.lru_cache(maxsize=256)
def _compile(source, html):
    return _ENVIRONMENTS[html].from_string(source)


def render(source, values, html):
    """Render ``source`` with ``values``; ``html`` turns on autoescaping.

    Use ``html=False`` for subjects and text bodies. Raises ``TemplateError``.
    """
    try:
        template = _compile(source, bool(html))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_lt("Email template syntax error on line %(line)s: %(error)s"),
                            line=exc.lineno, error=exc.message) from None
    try:
        return template.render(values)
    except SecurityError as exc:
        raise TemplateError(_lt("Email template tried an unsafe operation: %(error)s"), error=exc) from None
    except (jinja2.TemplateError, UnknownLocaleError, ArithmeticError, LookupError,
            TypeError, ValueError) as exc:
        raise TemplateError(_lt("Email template failed to render: %(error)s"),
                            error=f"{type(exc).__name__}: {exc}") from None

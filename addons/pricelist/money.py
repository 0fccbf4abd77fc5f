"""Money arithmetic of prices: Decimal only, half-up, exact to the agora."""
from decimal import ROUND_HALF_UP, Decimal

AGORA = Decimal("0.01")
HUNDRED = Decimal(100)


def to_decimal(value):
    """``value`` as a Decimal (a float through its shortest text, never its binary value)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def round_money(amount, digits=2):
    return to_decimal(amount).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def round_step(price, step, ending=0):
    """The nearest price of the form ``k * step + ending`` (k >= 0); unchanged without a step.

    ``round_step(23.47, 1, 0.90)`` is 23.90, ``round_step(23.30, 1, 0.90)`` is 22.90,
    ``round_step(23.47, 0.10)`` is 23.50. Halfway rounds up.
    """
    if not step:
        return price
    ending = ending or Decimal(0)
    steps = ((price - ending) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(steps, Decimal(0)) * step + ending


def apply_percent(amount, percent):
    """``amount`` raised by ``percent`` (a negative percent lowers it)."""
    return amount * (HUNDRED + percent) / HUNDRED


def amount_text(amount, digits=2):
    """An amount as users read it in an explanation: 24.90."""
    return "" if amount is None else f"{round_money(amount, digits):f}"


def number_text(value):
    """A quantity or a percentage without trailing zeros: 10, 2.5."""
    value = to_decimal(value or 0).normalize()
    return f"{value.quantize(Decimal(1)) if value == value.to_integral_value() else value:f}"

"""Answers of the pricelist addon to other addons' questions."""
from core.hooks import hookimpl


@hookimpl
def sales_line_prices(env, partner, lines, date, currency):
    """The prices of a sales document's lines, all in one batch (README: the resolution rule)."""
    if not partner or not lines:
        return None
    results = env["pricelist.pricing"].compute(partner, lines, date=date, currency=currency or None)
    return {key: {"price_unit": result["price_unit"], "discount": result["discount"],
                  "explanation": result["explanation"]} for key, result in results.items()}

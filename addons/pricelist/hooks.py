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


@hookimpl
def kesher_web_form_sections(env, ctx, model, record):
    """Quotes and orders: the customer's pricing policy in force and why each line has its price."""
    from .web import DOCUMENTS, why_prices_section
    if model._name not in DOCUMENTS or not record:
        return None
    return why_prices_section(ctx, record)


@hookimpl
def kesher_addon_uninstalling(env, addon):
    """Customers let go of their price lists, so the price lists can go (the columns stay)."""
    if addon != "pricelist":
        return
    partners = env["res.partner"].sudo().with_context(active_test=False)
    partners.search([("pricelist_id", "!=", False)]).write({"pricelist_id": False})

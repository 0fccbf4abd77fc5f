"""'Why these prices' on quotes and orders: the customer's policy in force and each line's explanation."""
from markupsafe import Markup

from core.i18n import format_decimal

TEMPLATE = "pricelist/why_prices.html"
DOCUMENTS = ("sale.quote", "sale.order")


def why_prices_section(ctx, record):
    """A panel under the document's header; None for documents without lines."""
    lines = record.line_ids.filtered(lambda line: line.product_id)
    if not lines:
        return None
    customer = record.partner_id.commercial_partner()
    chain = customer.pricing_chain()
    pricelist_owner = next((p for p in chain if p.pricelist_id), None)
    discount_owner = next((p for p in chain if p.general_discount is not None), None)
    lang = ctx.lang
    return Markup(ctx.app.jinja.get_template(TEMPLATE).render(
        lang=lang, customer=customer, lines=lines, pricelist_owner=pricelist_owner, discount_owner=discount_owner,
        number=lambda value, digits=2: format_decimal(value, lang, digits)))

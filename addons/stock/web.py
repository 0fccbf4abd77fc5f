"""The availability screen of a product and the stock summary shown on product forms."""
from markupsafe import Markup
from werkzeug.exceptions import NotFound
from werkzeug.routing import Rule

from core.i18n import format_date, format_decimal

from .tools import QTY_DIGITS, to_date

TEMPLATE = "stock/availability.html"


def rules():
    return [Rule("/web/stock/availability/<int:product_id>", endpoint=availability_page)]


def availability_page(ctx, product_id):
    """On hand, reserved and available per warehouse, and the projected stock over time (table and bars)."""
    env = ctx.require_user()
    product = env["product.product"].browse(product_id).exists()
    if not product:
        raise NotFound("This product does not exist (or was deleted)")
    warehouses = env["stock.warehouse"].search([])
    chosen = ctx.request.args.get("warehouse", "")
    warehouse = warehouses.browse(int(chosen)).exists() if chosen.isdigit() else warehouses.browse(())
    availability = env["stock.availability"]
    totals = availability.get([product.id], warehouse_id=warehouse.id or None)[product.id]
    per_warehouse = [(wh, availability.get([product.id], warehouse_id=wh.id)[product.id]) for wh in warehouses] \
        if not warehouse else []
    rows = availability.projection(product.id, warehouse_id=warehouse.id or None,
                                   date_from=to_date(ctx.request.args.get("from")))
    peak = max([abs(r[2]) for r in rows] + [abs(totals["on_hand"])] + [1])
    return ctx.render(TEMPLATE, product=product, totals=totals, per_warehouse=per_warehouse, rows=rows,
                      warehouses=warehouses, warehouse=warehouse, peak=peak,
                      title=product.display_name, **formatters(ctx.lang),
                      breadcrumbs=[{"label": "Products", "url": "/web/m/product.product"},
                                   {"label": product.display_name, "url": f"/web/m/product.product/{product.id}"},
                                   {"label": "Stock availability", "url": ""}])


def product_section(ctx, record):
    """A line of figures under the product form's header, with a link to the availability screen."""
    if record.type == "service":
        return None
    values = record.env["stock.availability"].get([record.id])[record.id]
    return Markup(ctx.app.jinja.get_template("stock/product_section.html").render(
        lang=ctx.lang, product=record, values=values, **formatters(ctx.lang)))


def formatters(lang):
    """Quantities and dates as the user's language writes them."""
    return {"fqty": lambda value: format_decimal(value, lang, QTY_DIGITS),
            "fdate": lambda value: format_date(value, lang)}

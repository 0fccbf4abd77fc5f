"""The web extension points, answered by a test addon: a route of its own and a form section."""
from markupsafe import Markup, escape
from werkzeug.routing import Rule

from core.hooks import hookimpl


def order_summary(ctx, rid):
    """An addon page rendered from the addon's own template, inside the core layout."""
    env = ctx.require_user()
    order = env["test.order"].browse(rid).exists()
    return ctx.render("test_web_orders/summary.html", order=order, title="Order summary")


@hookimpl
def kesher_web_routes(env):
    return [Rule("/web/test_web_orders/summary/<int:rid>", endpoint=order_summary)]


@hookimpl
def kesher_web_form_sections(env, ctx, model, record):
    if model._name != "test.order" or not record:
        return None
    return Markup('<p class="order-section">') + escape(f"Section of {record.name}") + Markup("</p>")

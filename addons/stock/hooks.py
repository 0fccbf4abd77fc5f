"""Hook implementations of the stock addon."""
from core.hooks import hookimpl


@hookimpl
def stock_availability(env, product_ids, warehouse_id, date):
    return env["stock.availability"].get(product_ids, warehouse_id=warehouse_id, date=date)


@hookimpl
def kesher_addon_installed(env, addon):
    """The administrator manages stock from the start (added to the group, nothing replaced)."""
    if addon != "stock":
        return
    admin = env.ref("base.user_admin", raise_if_not_found=False)
    if admin:
        admin.sudo().write({"group_ids": [("link", env.ref("stock.group_stock_manager").id)]})


@hookimpl
def bpm_before_transition(env, records, transition):
    """A purchase order is sent or confirmed with lines only."""
    if records._name != "purchase.order" or transition.to_status_id.code not in ("sent", "confirmed"):
        return None
    empty = records.filtered(lambda order: not order.line_ids)
    if empty:
        from .tools import tr
        return tr(env, "Purchase order {name} has no line").format(name=empty[0].name)
    return None


@hookimpl
def kesher_web_routes(env):
    from .web import rules
    return rules()


@hookimpl
def kesher_web_form_sections(env, ctx, model, record):
    """Products: on hand, reserved, available, next arrival, and a link to the availability screen."""
    if model._name != "product.product" or not record:
        return None
    from .web import product_section
    return product_section(ctx, record)


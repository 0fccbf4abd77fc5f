"""Hook implementations of the sales addon."""
from core.hooks import hookimpl


@hookimpl
def kesher_addon_installed(env, addon):
    """The administrator manages sales from the start (added to the group, nothing replaced)."""
    if addon != "sales":
        return
    admin = env.ref("base.user_admin", raise_if_not_found=False)
    if admin:
        admin.sudo().write({"group_ids": [("link", env.ref("sales.group_sales_manager").id)]})


@hookimpl
def bpm_before_transition(env, records, transition):
    """Orders check their lines and the confirm hook (credit) whichever way they are moved."""
    if records._name == "sale.order":
        return records._before_status(transition.to_status_id.code)
    return None


@hookimpl
def bpm_after_transition(env, records, transition):
    if records._name == "sale.order":
        records._after_status(transition.to_status_id.code)


@hookimpl
def kesher_web_routes(env):
    from .web import rules
    return rules()


@hookimpl
def kesher_web_form_sections(env, ctx, model, record):
    """A customer's open orders, shipped-not-invoiced, balance and post-dated checks on its form."""
    if model._name != "res.partner" or not record or not ctx.env["account.ledger.entry"].check_access_quiet("read"):
        return None
    from .web import partner_section
    return partner_section(ctx, record)


"""The menu tree a user sees (only menus of installed addons he may open)."""


def menu_tree(ctx):
    env = ctx.env
    if env is None or "ir.ui.menu" not in env.registry.models:
        return []
    cache = getattr(ctx, "_menus", None)
    if cache is None:
        cache = ctx._menus = env["ir.ui.menu"].sudo().visible_tree(env.user)
    return cache

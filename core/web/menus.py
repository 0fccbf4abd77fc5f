"""The menu tree a user sees (only menus of installed addons he may open)."""


def menu_tree(ctx):
    env = ctx.env
    if env is None or "ir.ui.menu" not in env.registry.models:
        return []
    cache = getattr(ctx, "_menus", None)
    if cache is None:
        cache = ctx._menus = _with_urls(env["ir.ui.menu"].sudo().visible_tree(env.user))
    return cache


def _with_urls(nodes):
    """Each entry with an action gets the ``url`` the templates link to (``/web/action/<id>``)."""
    for node in nodes:
        node["url"] = f"/web/action/{node['action_id']}" if node.get("action_id") else None
        _with_urls(node["children"])
    return nodes

"""The menu tree a user sees (only menus of installed addons he may open), kept across
requests until a menu, action, view or access right changes."""
from ..addons.shared_cache import shared


def menu_tree(ctx):
    env = ctx.env
    if env is None or "ir.ui.menu" not in env.registry.models:
        return []
    cache = shared(env, "views", "security")
    key = ("menus", env.uid, ctx.lang)
    if key not in cache:
        cache[key] = _with_urls(env["ir.ui.menu"].sudo().visible_tree(env.user))
    return cache[key]


def _with_urls(nodes):
    """Each entry with an action gets the ``url`` the templates link to (``/web/action/<id>``)."""
    for node in nodes:
        node["url"] = f"/web/action/{node['action_id']}" if node.get("action_id") else None
        _with_urls(node["children"])
    return nodes

"""Hook implementations of the base addon."""
from core.hooks import hookimpl
from core.views.loader import data_tags


@hookimpl
def kesher_data_tags(env):
    """``<view>``, ``<action>`` and ``<menuitem>`` in data files."""
    return data_tags()


@hookimpl
def kesher_registry_ready(env):
    """Every view, combined with all its extensions, is checked once all data is loaded.

    The per-file checks see only the addons loaded so far; this catches an extension
    broken by an upgrade of the view it extends.
    """
    env["ir.ui.view"].sudo().check_all_views()

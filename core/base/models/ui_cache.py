"""Records the web UI keeps in a cache shared by every request of a process."""
from core.addons.shared_cache import changed
from core.orm import AbstractModel


class UiCacheMixin(AbstractModel):
    """Views, menus and actions: a change bumps the ``views`` signal, so every worker
    drops its combined views and menu trees at its next request."""

    _name = "ir.ui.cache.mixin"
    _description = "UI cache mixin"

    def create(self, vals_list):
        changed(self.env, "views")
        return super().create(vals_list)

    def write(self, vals):
        changed(self.env, "views")
        return super().write(vals)

    def unlink(self):
        changed(self.env, "views")
        return super().unlink()

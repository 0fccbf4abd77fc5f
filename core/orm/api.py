"""Decorators that declare how methods relate to fields: validated when a registry builds."""


def depends(*paths):
    """Declare the dotted field paths a compute method reads (``"line_ids.subtotal"``)."""
    def decorate(method):
        method._depends = paths
        return method
    return decorate


def constrains(*names):
    """Declare a Python constraint checked after create/write of any of ``names``."""
    def decorate(method):
        method._constrains = names
        return method
    return decorate


def onchange(*names):
    """Declare a method the UI calls when one of ``names`` changes in a form."""
    def decorate(method):
        method._onchange = names
        return method
    return decorate


def ui_callable(method):
    """Mark a method as callable from the UI and the JSON API (buttons, actions)."""
    method._ui_callable = True
    return method

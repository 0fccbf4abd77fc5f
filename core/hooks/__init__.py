"""The hook bus: pluggy markers and one plugin manager per registry.

``hookspec`` marks a documented question or event (in ``core/hooks/specs.py`` or an
addon's ``hookspecs.py``); ``hookimpl`` marks an answer in an addon's ``hooks.py``.
"""
import pluggy

PROJECT = "kesher"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

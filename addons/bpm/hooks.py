"""Hook implementations of the bpm addon: the <flow> data tag, flow checks at load, the web UI."""
from core.hooks import hookimpl


@hookimpl
def kesher_data_tags(env):
    """``<flow>`` in data files (see ``xmlflow``)."""
    from .xmlflow import load_flow
    return {"flow": load_flow}


@hookimpl
def kesher_registry_ready(env):
    """Once every addon's data is loaded (install, upgrade): refuse a broken flow, naming it."""
    from .validation import check_all
    check_all(env)

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


@hookimpl
def kesher_web_routes(env):
    from .web import rules
    return rules()


@hookimpl
def kesher_web_form_sections(env, ctx, model, record):
    """The flow's status bar, buttons, history and diagram on a document's form; the diagram on a flow's."""
    if not record:
        return None
    if model._name == "bpm.flow":
        from .web import flow_section
        return flow_section(ctx, record)
    if not isinstance(record, env.registry.models["bpm.document"]):
        return None
    from .web import form_section
    return form_section(ctx, record)

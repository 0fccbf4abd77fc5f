"""Is a flow sound? One initial status, transitions inside the flow, every status reachable,
conditions and required fields that exist on the model. Checked at every load and save."""
from core.exceptions import DomainError, ValidationError
from core.i18n import _
from core.orm.domain import DomainCompiler


def check_model(env, flow):
    """The flow's model must be installed and inherit ``bpm.document``."""
    cls = env.registry.models.get(flow.model)
    if cls is None:
        raise ValidationError(_("Flow '{flow}': unknown model '{model}'.").format(flow=flow.name, model=flow.model),
                              field="model")
    if cls._abstract or not issubclass(cls, env.registry.models["bpm.document"]):
        raise ValidationError(_("Flow '{flow}': the model '{model}' does not inherit bpm.document.").format(
            flow=flow.name, model=flow.model), field="model")


def problems(env, flow):
    """What is wrong with ``flow``, as sentences (empty: nothing)."""
    env = env.sudo()
    found = []
    statuses = env["bpm.status"].search([("flow_id", "=", flow.id)])
    transitions = env["bpm.transition"].search([("flow_id", "=", flow.id)])
    initial = statuses.filtered("is_initial")
    if not statuses:
        return [_("it has no status.")]
    if not initial:
        found.append(_("it has no initial status."))
    elif len(initial) > 1:
        found.append(_("it has several initial statuses ({codes}).").format(codes=", ".join(initial.mapped("code"))))
    cls = env.registry.models.get(flow.model)
    for transition in transitions:
        found += _transition_problems(env, flow, cls, transition)
    edges = {}
    for transition in transitions:
        edges.setdefault(transition.from_status_id.id, set()).add(transition.to_status_id.id)
    for action in env["bpm.action"].search([("flow_id", "=", flow.id), ("kind", "=", "move")]):
        edges.setdefault(action.status_id.id, set()).add(action.target_status_id.id)
    if len(initial) == 1:
        reached, todo = set(), [initial.id]
        while todo:
            current = todo.pop()
            if current not in reached:
                reached.add(current)
                todo.extend(edges.get(current, ()))
        unreachable = [s.code for s in statuses if s.id not in reached]
        if unreachable:
            found.append(_("no transition leads to the status(es) {codes} from the initial status.").format(
                codes=", ".join(unreachable)))
    return found


def _transition_problems(env, flow, cls, transition):
    found = []
    label = transition.name
    for end, status in (("from", transition.from_status_id), ("to", transition.to_status_id)):
        if status.flow_id.id != flow.id:
            found.append(_("the transition '{transition}' {end} a status of another flow ({code}).").format(
                transition=label, end=_("comes from") if end == "from" else _("leads to"), code=status.code))
    if cls is None:
        return found
    from .spec import split_names
    for name in split_names(transition.required_field_names):
        if name not in cls._fields:
            found.append(_("the transition '{transition}' requires the field '{field}', which {model} does not "
                           "have.").format(transition=label, field=name, model=flow.model))
    if transition.condition:
        try:
            DomainCompiler(env.registry).compile(cls, transition.domain() or [])
        except (DomainError, ValueError, TypeError) as exc:
            found.append(_("the condition of the transition '{transition}' is not valid: {error}").format(
                transition=label, error=exc))
    return found


def message(flow, found):
    """One message naming the flow and listing its problems."""
    return _("The status flow '{flow}' ({model}) is not valid: {problems}").format(
        flow=flow.name, model=flow.model, problems=" ".join(found))


def check_all(env):
    """Check every flow (after addons' data is loaded) and give documents without a status the initial one."""
    env = env.sudo()
    from .models.document import document_models
    for flow in env["bpm.flow"].search([]):
        check_model(env, flow)
        found = problems(env, flow)
        if found:
            raise ValidationError(message(flow, found))
    for name in document_models(env):
        waiting = env[name].with_context(active_test=False).search([("status_id", "=", None)])
        if waiting:
            from .spec import flow_spec
            spec = flow_spec(env, name)
            if spec is not None and spec.initial is not None:
                from . import clock, engine
                moment = clock.now()
                waiting.with_context(bpm_moving=True).write(engine.arrival_values(spec.initial, moment))
                engine.record_creation(waiting, spec, [spec.initial] * len(waiting), moment)

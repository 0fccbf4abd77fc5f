"""The flow in the web UI: the status bar and buttons on forms, history, diagram, board, "my documents".

Buttons post (with the CSRF token) to ``/web/bpm/move/<model>/<id>``, which calls
``move_to`` as the user: every rule applies; a refusal shows the form again with the
reason above it.
"""
from markupsafe import Markup
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import Rule

from core.exceptions import UserError
from core.i18n import _lt
from core.i18n.translate import gettext
from core.web.values import display

from .diagram import flow_svg
from .models.document import document_models
from .spec import flow_spec


BOARD = _lt("Board")


def is_document(env, model_name):
    cls = env.registry.models.get(model_name)
    return cls is not None and not cls._abstract and issubclass(cls, env.registry.models["bpm.document"])


def _document(ctx, model_name, rid):
    env = ctx.require_user()
    if not is_document(env, model_name):
        raise NotFound(f"There is no document model {model_name!r} with a status flow")
    record = env[model_name].browse(rid).exists()
    if not record:
        raise NotFound(f"{model_name} {rid} does not exist (or was deleted)")
    return record


# -- the form section --------------------------------------------------------------------
def form_section(ctx, record):
    """The status bar, the transition buttons, the history and the diagram of one document."""
    env = record.env
    spec = flow_spec(env, record._name)
    if spec is None:
        return None
    current = record.status_id.id
    statuses = [s for s in sorted(spec.statuses.values(), key=lambda s: (s.sequence, s.id))
                if s.id == current or not s.fold]
    transitions = record.allowed_transitions()[record.id]
    history = record.bpm_history()
    svg = flow_svg(spec, ctx.lang, current, uid=f"bpm-{record._name.replace('.', '-')}-{record.id}")
    html = ctx.app.jinja.get_template("bpm/section.html").render(
        lang=ctx.lang, csrf_token=ctx.csrf_token, record=record, statuses=statuses, current=current,
        transitions=transitions, history=history, svg=svg, display=display, spec=spec,
        action=f"/web/bpm/move/{record._name}/{record.id}")
    return Markup(html)


def flow_section(ctx, flow):
    """On the flow's own form (administrators): its diagram."""
    spec = flow_spec(flow.env, flow.model)
    if spec is None or spec.id != flow.id:
        return None
    svg = flow_svg(spec, ctx.lang, None, uid=f"bpm-flow-{flow.id}")
    return Markup('<section class="bpm-section" aria-label="{label}"><h2>{label}</h2>{svg}</section>').format(
        label=gettext(ctx.lang, "Flow diagram"), svg=svg)


# -- routes ----------------------------------------------------------------------------------
def move(ctx, model_name, rid):
    """A transition button: move the document, or show its form again with the reason."""
    ctx.check_csrf()
    record = _document(ctx, model_name, rid)
    form = ctx.request.form
    try:
        transition = record.env["bpm.transition"].browse(int(form.get("transition", ""))).exists()
    except ValueError:
        raise BadRequest("Bad transition") from None
    if not transition or transition.flow_id.model != model_name:
        raise BadRequest("This transition is not one of this document's flow")
    try:
        if transition.from_status_id != record.status_id:
            raise UserError(gettext(ctx.lang, "The document is no longer in the status '{status}': it was "
                                              "moved meanwhile.").format(
                status=gettext(ctx.lang, transition.from_status_id.name)))
        record.move_to(transition.to_status_id.code, comment=form.get("comment") or None, transition=transition)
    except UserError as refusal:
        record.env.rollback()
        from core.web.formview import _render
        return _render(ctx, record.browse(()).with_env(record.env), record, errors={"__all__": str(refusal)},
                       status=422)
    return ctx.redirect(f"/web/m/{model_name}/{rid}")


def diagram(ctx, model_name, rid):
    """The diagram of one document as an SVG file."""
    record = _document(ctx, model_name, rid)
    spec = flow_spec(record.env, model_name)
    record.status_id  # noqa: B018 - reading it checks the user may read the document
    body = str(flow_svg(spec, ctx.lang, record.status_id.id, uid="bpm"))
    from werkzeug.wrappers import Response
    return ctx.finish(Response(body, mimetype="image/svg+xml"))


def my_documents(ctx):
    """Open documents the user owns, across every flow-driven model he may read, with his open tasks."""
    env = ctx.require_user()
    groups = []
    for name in document_models(env):
        model = env[name]
        if not model.check_access_quiet("read"):
            continue
        documents = model.search([("owner_id", "=", env.uid), ("is_closed", "=", False)],
                                 order="deadline, id", limit=200)
        if documents:
            groups.append({"model": model, "title": model._description or name, "documents": documents})
    tasks = env["bpm.task"].search([("user_id", "=", env.uid), ("state", "=", "open")], limit=200)
    title = "My documents"
    from . import clock
    return ctx.render("bpm/my_documents.html", title=title, groups=groups, tasks=tasks, display=display,
                      now=clock.now(), breadcrumbs=[{"label": title, "url": ""}])


def board(ctx, model_name):
    """Kanban of a flow-driven model, one column per status of its flow (closed ones folded)."""
    env = ctx.require_user()
    if not is_document(env, model_name):
        raise NotFound(f"There is no document model {model_name!r} with a status flow")
    model = env[model_name]
    spec = flow_spec(env, model_name)
    if spec is None:
        raise NotFound(f"{model_name} has no status flow")
    documents = model.search([], order="status_date desc, id", limit=500)
    by_status = {}
    for document in documents:
        by_status.setdefault(document.status_id.id, []).append(document)
    columns = [{"status": status, "records": by_status.get(status.id, [])}
               for status in sorted(spec.statuses.values(), key=lambda s: (s.sequence, s.id))]
    title = model._description or model_name
    return ctx.render("bpm/board.html", title=title, model_name=model_name, columns=columns, display=display,
                      breadcrumbs=[{"label": title, "url": f"/web/m/{model_name}"},
                                   {"label": BOARD, "url": ""}])


def rules():
    return [
        Rule("/web/bpm/move/<model_name>/<int:rid>", endpoint=move, methods=["POST"]),
        Rule("/web/bpm/diagram/<model_name>/<int:rid>.svg", endpoint=diagram),
        Rule("/web/bpm/board/<model_name>", endpoint=board),
        Rule("/web/bpm/my", endpoint=my_documents),
    ]

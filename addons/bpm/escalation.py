"""Escalation: documents past their deadline run the ``escalate`` actions of their status, once per stay."""
from . import automation, clock
from .engine import current_status_ids
from .spec import flow_spec


def run_escalations(env):
    """Escalate every late open document of every flow-driven model; returns how many were escalated."""
    from .models.document import document_models
    env = env.sudo()
    moment = clock.now()
    count = 0
    for name in document_models(env):
        spec = flow_spec(env, name)
        if spec is None:
            continue
        late = env[name].with_context(active_test=False).search([
            ("deadline", "<=", moment), ("is_closed", "=", False), ("bpm_escalated", "=", False),
            ("status_id", "!=", None)])
        if late:
            escalate(late, spec, moment)
            count += len(late)
    return count


def escalate(documents, spec, moment):
    """Mark ``documents`` escalated, log it, and run their statuses' escalation actions."""
    by_status = {}
    for rid, status_id in current_status_ids(documents).items():
        by_status.setdefault(status_id, []).append(rid)
    documents.with_context(bpm_moving=True).write({"bpm_escalated": True})
    rows = []
    for status_id, ids in by_status.items():
        status = spec.statuses[status_id]
        rows += [{"res_model": documents._name, "res_id": rid, "kind": "escalation", "from_status_id": status.id,
                  "to_status_id": status.id, "from_name": status.name, "to_name": status.name, "date": moment,
                  "user_id": None, "comment": None} for rid in ids]
    documents.env["bpm.history"].create(rows)
    for status_id, ids in by_status.items():
        automation.run(documents.browse(tuple(ids)), spec, status_id, "escalate", None)

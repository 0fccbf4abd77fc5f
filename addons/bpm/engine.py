"""Moving documents: every rule checked for the whole batch, then one write, one history insert, the actions.

A refusal raises ``UserError`` with one sentence naming the document, the status it was
to go to and the reason; it happens before anything is written.
"""
import contextlib
import datetime as dt

import sqlalchemy as sa

from core.exceptions import MissingError, UserError
from core.i18n import _, use_lang

from . import automation, clock
from .spec import flow_spec


# -- small helpers -----------------------------------------------------------------------
def speaking(env):
    """Messages in the language of ``env`` (a web request's user) when its context names one."""
    lang = env.context.get("lang")
    return use_lang(lang) if lang else contextlib.nullcontext()


def current_status_ids(records):
    """``{record id: status id}`` of the records that exist, in one query."""
    if not records._ids:
        return {}
    entity = type(records)._entity
    statement = sa.select(entity.id, entity.status_id).where(records._id_in(entity.id, list(set(records._ids))))
    return dict(records.env.execute(statement).all())


def user_groups(env):
    """Ids of the current user's groups, implied ones included (shared with the access checker)."""
    checker = env.registry.access_checker
    if checker is None:
        return set()
    return checker.state(env).groups_of(env, env.uid)


def arrival_values(status, moment):
    """The columns a document gets when it enters ``status`` at ``moment``."""
    hours = status.time_limit_hours
    return {"status_id": status.id, "status_code": status.code, "status_date": moment, "is_closed": status.is_closed,
            "bpm_escalated": False, "deadline": moment + dt.timedelta(hours=hours) if hours else None}


def spec_of(records):
    spec = flow_spec(records.env, records._name)
    if spec is None:
        raise UserError(_("{model} has no status flow.").format(model=records._description or records._name))
    return spec


def refuse(records, ids, status, reason):
    """The one message of a refusal: which document, to which status, why."""
    names = records.browse(tuple(ids[:1])).sudo()._display_names()
    document = names.get(ids[0]) or f"{records._name} {ids[0]}"
    if len(ids) > 1:
        document = _("{document} and {count} more").format(document=document, count=len(ids) - 1)
    raise UserError(_("Cannot move {document} to '{status}': {reason}").format(
        document=document, status=_(status.name), reason=reason))


# -- moving ------------------------------------------------------------------------------
def move(records, code, comment=None, transition_id=None):
    """Check and apply the move of ``records`` to the status ``code`` (see ``move_to``).

    When several transitions join the same two statuses (e.g. one per group), the first
    that passes every check is taken; ``transition_id`` asks for one of them.
    """
    if not records._ids:
        return
    env = records.env
    spec = spec_of(records)
    target = spec.by_code.get(code)
    if target is None:
        raise UserError(_("The flow '{flow}' has no status '{code}'.").format(flow=_(spec.name), code=code))
    records = records.browse(tuple(dict.fromkeys(records._ids)))
    if not env.su:
        records._check_access("read")
        records._check_rules("read")
    current = current_status_ids(records)
    gone = [rid for rid in records._ids if rid not in current]
    if gone:
        raise MissingError(_("{model} {id} does not exist (any more).").format(model=records._name, id=gone[0]))
    by_source = {}
    for rid in records._ids:
        by_source.setdefault(current[rid], []).append(rid)
    batches = {}  # transition id -> (TransitionSpec, [record ids])
    for source_id, ids in by_source.items():
        transition = choose(records.browse(tuple(ids)), spec, source_id, target, comment, transition_id)
        batches[transition.id] = (transition, ids)
    apply(records, spec, batches, target, comment)


def choose(records, spec, source_id, target, comment, transition_id=None):
    """The transition ``records`` (all in ``source_id``) take to ``target``: the first that passes."""
    candidates = [t for t in spec.outgoing.get(source_id, ()) if t.to_id == target.id
                  and (transition_id is None or t.id == transition_id)]
    if not candidates:
        source = spec.statuses.get(source_id)
        if source is not None and source.id == target.id:
            refuse(records, list(records._ids), target, _("it is already there."))
        refuse(records, list(records._ids), target, _("there is no transition from '{status}' in the flow "
                                                      "'{flow}'.").format(status=_(source.name) if source else "—",
                                                                          flow=_(spec.name)))
    first_refusal = None
    for transition in candidates:
        try:
            check(records, spec, transition, target, comment)
            return transition
        except UserError as refusal:
            first_refusal = first_refusal or refusal
    raise first_refusal


def check(records, spec, transition, target, comment):
    """Refuse unless ``records`` may all take ``transition`` now (groups, condition, fields, comment, hooks)."""
    env = records.env
    ids = list(records._ids)
    if transition.group_ids and not env.su and not transition.group_ids & user_groups(env):
        groups = env["res.groups"].sudo().browse(tuple(sorted(transition.group_ids)))
        refuse(records, ids, target, _("the transition '{transition}' is for {groups} only.").format(
            transition=_(transition.name), groups=", ".join(_(g.name) for g in groups)))
    if transition.condition:
        failing = [rid for rid in ids if rid not in matching(records, transition.condition)]
        if failing:
            reason = _(transition.help) if transition.help else _("the condition of '{transition}' is not met.").format(
                transition=_(transition.name))
            refuse(records, failing, target, reason)
    if transition.required:
        check_required(records, transition, target)
    if transition.comment_required and not (comment or "").strip():
        refuse(records, ids, target, _("a comment is required for '{transition}'.").format(
            transition=_(transition.name)))
    record = env["bpm.transition"].browse(transition.id)
    for reason in env.hooks.bpm_before_transition(env=env, records=records, transition=record):
        if reason:
            refuse(records, ids, target, str(reason))


def matching(records, domain):
    """Ids of ``records`` that match ``domain`` (one query; archived records included)."""
    model = records.sudo().with_context(active_test=False)
    return set(model.search([("id", "in", list(records._ids))] + list(domain))._ids)


def check_required(records, transition, target):
    """Refuse the first document with an empty required field (stored columns in one query)."""
    names = [name for name in transition.required if name in records._fields]
    fields = records._fields
    columns = [name for name in names if fields[name].has_column]
    values = {rid: {} for rid in records._ids}
    if columns:
        entity = type(records)._entity
        statement = sa.select(entity.id, *(getattr(entity, name) for name in columns)).where(
            records._id_in(entity.id, list(records._ids)))
        for row in records.env.execute(statement):
            values[row[0]].update(zip(columns, row[1:]))
    others = [name for name in names if name not in columns]
    if others:
        for row in records.sudo().read(others):
            values[row["id"]].update((name, row[name]) for name in others)
    for rid in records._ids:
        empty = [name for name in names if values[rid].get(name) in (None, False, "", [])]
        if empty:
            labels = ", ".join(f"'{_(fields[name].string)}'" for name in empty)
            refuse(records, [rid], target, _("fill in {fields} first.").format(fields=labels))


def apply(records, spec, batches, target, comment):
    """Write the new status on all, insert the history, run leave and enter actions, tell the hooks."""
    env = records.env
    moment = clock.now()
    for transition, ids in batches.values():
        automation.run(records.browse(tuple(ids)), spec, transition.from_id, "leave", transition)
    records.with_context(bpm_moving=True).write(arrival_values(target, moment))
    rows = []
    for transition, ids in batches.values():
        source = spec.statuses[transition.from_id]
        rows += [{"res_model": records._name, "res_id": rid, "kind": "move", "from_status_id": source.id,
                  "to_status_id": target.id, "from_name": source.name, "to_name": target.name,
                  "transition_id": transition.id, "user_id": env.uid, "date": moment, "comment": comment or None}
                 for rid in ids]
    env["bpm.history"].sudo().create(rows)
    for transition, ids in batches.values():
        automation.run(records.browse(tuple(ids)), spec, target.id, "enter", transition)
    for transition, ids in batches.values():
        env.hooks.bpm_after_transition(env=env, records=records.browse(tuple(ids)),
                                       transition=env["bpm.transition"].browse(transition.id))


def record_creation(records, spec, statuses, moment):
    """New documents: a history line each, and the enter actions of the initial status (a document
    the system creates directly in a later status, an import, runs none)."""
    env = records.env
    env["bpm.history"].sudo().create([
        {"res_model": records._name, "res_id": rid, "kind": "create", "to_status_id": status.id,
         "to_name": status.name, "user_id": env.uid, "date": moment}
        for rid, status in zip(records._ids, statuses)])
    by_status = {}
    for rid, status in zip(records._ids, statuses):
        by_status.setdefault(status.id, []).append(rid)
    for status_id, ids in by_status.items():
        if spec.statuses[status_id].is_initial:
            automation.run(records.browse(tuple(ids)), spec, status_id, "enter", None)


# -- what a user may do --------------------------------------------------------------------
def allowed(records):
    """``{record id: [bpm.transition]}`` for the current user, in a few queries for any number."""
    env = records.env
    result = {rid: [] for rid in records._ids}
    spec = flow_spec(env, records._name)
    if spec is None or not records._ids:
        return result
    if not env.su:
        records._check_access("read")
        records._check_rules("read")
        if not records.check_access_quiet("write"):
            return result
    groups = set() if env.su else user_groups(env)
    by_status = {}
    for rid, status_id in current_status_ids(records).items():
        by_status.setdefault(status_id, []).append(rid)
    transitions = env["bpm.transition"]
    for status_id, ids in by_status.items():
        for transition in spec.outgoing.get(status_id, ()):
            if transition.group_ids and not env.su and not transition.group_ids & groups:
                continue
            passing = matching(records.browse(tuple(ids)), transition.condition) if transition.condition else ids
            record = transitions.browse(transition.id)
            for rid in ids:
                if rid in passing:
                    result[rid].append(record)
    return result

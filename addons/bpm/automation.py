"""Automatic actions of a status, run for a batch of documents (one create or write per action).

They run as the system (an administrator configured them) in the caller's transaction:
an email is queued in the outbox and leaves only if the move commits.
"""
import datetime as dt

import sqlalchemy as sa

from core.i18n import _

from . import clock


def run(records, spec, status_id, trigger, transition):
    """Run the actions of ``status_id`` for ``trigger`` (enter/leave/escalate) on ``records``."""
    action_ids = spec.actions.get((status_id, trigger))
    if not action_ids or not records._ids:
        return
    env = records.env.sudo()
    documents = records.with_env(env)
    record = env["bpm.transition"].browse(transition.id) if transition is not None else None
    for action in env["bpm.action"].browse(tuple(action_ids)):
        RUNNERS[action.kind](action, documents, record)


def _hours(value):
    return dt.timedelta(hours=float(value))


def create_tasks(action, documents, transition):
    moment = clock.now()
    deadline = moment + _hours(action.hours) if action.hours else None
    names = documents._display_names()
    owners = {} if action.user_id else owner_ids(documents)
    fallback = documents.env.uid
    documents.env["bpm.task"].create([
        {"name": action.name, "user_id": action.user_id.id or owners.get(rid) or fallback, "res_model": documents._name,
         "res_id": rid, "document_name": names.get(rid), "status_id": action.status_id.id, "action_id": action.id,
         "date_deadline": deadline} for rid in documents._ids])


def owner_ids(documents):
    """``{document id: owner id}`` in one query (not the whole row of every document)."""
    entity = type(documents)._entity
    statement = sa.select(entity.id, entity.owner_id).where(documents._id_in(entity.id, list(documents._ids)))
    return dict(documents.env.execute(statement).all())


def send_email(action, documents, transition):
    action.template_id.send_mail(documents)


def set_values(action, documents, transition):
    documents.write(action.field_values())


def call_hook(action, documents, transition):
    env = documents.env
    env.hooks.bpm_action(env=env, name=action.hook_name.strip(), records=documents, transition=transition)


def set_deadline(action, documents, transition):
    documents.with_context(bpm_moving=True).write({"deadline": clock.now() + _hours(action.hours)})


def reassign(action, documents, transition):
    documents.write({"owner_id": action.user_id.id})


def move(action, documents, transition):
    documents.move_to(action.target_status_id.code, comment=_("Moved automatically: the time limit has passed."))


RUNNERS = {"task": create_tasks, "email": send_email, "write": set_values, "hook": call_hook,
           "deadline": set_deadline, "reassign": reassign, "move": move}

"""Automatic actions (task, email through the outbox, field values, named hook, deadline, reassign)
and escalation by the scheduled job with a controlled clock."""
import datetime as dt

import pytest

from bpm_helpers import DOC, T0, benv, bpm_registry, clock, make_user, ready_doc  # noqa: F401 (fixtures)
from core.exceptions import UserError, ValidationError
from core.jobs import run_due_jobs

HOUR = dt.timedelta(hours=1)


def add_action(env, status, **values):
    flow = env.ref("test_bpm_docs.doc_flow")
    return env["bpm.action"].create({"flow_id": flow.id, "status_id": env.ref(f"test_bpm_docs.doc_flow_{status}").id,
                                     **values})


def test_entering_a_status_creates_a_task_for_the_owner(benv, clock):
    clerk = make_user(benv, "clerk")
    doc = ready_doc(benv, owner_id=clerk)
    doc.move_to("submitted")
    task = benv["bpm.task"].search([("res_model", "=", DOC), ("res_id", "=", doc.id)])
    assert (task.name, task.user_id.id, task.date_deadline, task.state, task.document_name) == (
        "Review the document", clerk, T0 + 24 * HOUR, "open", "D")
    assert doc.deadline == T0 + 48 * HOUR  # the status's time limit
    # the clerk sees his task, another user does not (record rule)
    other = make_user(benv, "other")
    assert benv["bpm.task"].with_user(clerk).search([]).ids == [task.id]
    assert benv["bpm.task"].with_user(other).search([]).ids == []


def test_task_for_a_named_user_leave_action_and_batch(benv, clock):
    boss = make_user(benv, "boss")
    add_action(benv, "draft", trigger="leave", kind="task", name="Draft left", user_id=boss)
    docs = ready_doc(benv, "A") | ready_doc(benv, "B")
    docs.move_to("submitted")
    left = benv["bpm.task"].search([("name", "=", "Draft left")])
    assert sorted(left.mapped("res_id")) == sorted(docs.ids) and set(left.mapped("user_id.id")) == {boss}


def test_approval_queues_an_email_and_calls_the_named_hook(benv, clock):
    doc = ready_doc(benv, "Q-7")
    doc.move_to("submitted")
    assert not doc.stamped
    doc.move_to("approved")
    mail = benv["mail.mail"].search([("res_model", "=", DOC), ("res_id", "=", doc.id)])
    assert (mail.subject, mail.email_to, mail.state) == ("Q-7 approved", "customer@example.com", "outgoing")
    assert doc.stamped  # the test addon's bpm_action hook answered "stamp"
    assert "Q-7 approved" in doc.message_ids().mapped("subject")


def test_a_failing_action_leaves_nothing_behind(bpm_registry):
    def work(env):
        doc = ready_doc(env, "NoMail")
        doc.partner_id.write({"email": False})
        doc.move_to("submitted")
        return doc.id
    rid = bpm_registry.run(work)
    with pytest.raises(UserError, match="gives no recipient"):
        bpm_registry.run(lambda env: env[DOC].browse(rid).move_to("approved"))
    with bpm_registry.env() as env:
        doc = env[DOC].browse(rid)
        assert (doc.status_code, doc.stamped, len(doc.bpm_history())) == ("submitted", False, 2)


def test_write_values_deadline_and_reassign_actions(benv, clock):
    boss = make_user(benv, "boss2")
    add_action(benv, "done", kind="write", values={"note": "archived"})
    add_action(benv, "done", kind="deadline", hours=5, sequence=20)
    add_action(benv, "done", kind="reassign", user_id=boss, sequence=30)
    doc = ready_doc(benv)
    for step in ("submitted", "approved"):
        doc.move_to(step)
    clock.advance(hours=3)
    doc.move_to("done")
    assert (doc.note, doc.deadline, doc.owner_id.id) == ("archived", clock.moment + 5 * HOUR, boss)


@pytest.mark.parametrize("values, message", [
    ({"kind": "task"}, "a task needs a title"),
    ({"kind": "email"}, "an email needs a template"),
    ({"kind": "write", "values": {"status_code": "done"}}, "'status_code' is set by the flow itself"),
    ({"kind": "write", "values": {"nope": 1}}, "has no field 'nope'"),
    ({"kind": "hook"}, "a hook action needs a name"),
    ({"kind": "deadline"}, "a deadline needs a number of hours"),
    ({"kind": "reassign"}, "reassigning needs a user"),
    ({"kind": "move", "trigger": "enter", "target_status_id": "cancelled"}, "runs on escalation only"),
])
def test_bad_actions_are_refused(benv, values, message):
    values = dict(values)
    if "target_status_id" in values:
        values["target_status_id"] = benv.ref(f"test_bpm_docs.doc_flow_{values['target_status_id']}").id
    with pytest.raises(ValidationError, match=message):
        add_action(benv, "draft", **values)


def test_email_template_of_another_model_is_refused(benv):
    template = benv["mail.template"].create({"name": "Partner mail", "model": "res.partner"})
    with pytest.raises(ValidationError, match="is for res.partner, not for test.bpm.doc"):
        add_action(benv, "approved", kind="email", template_id=template.id)


# -- escalation ------------------------------------------------------------------------------
def escalations(registry, moment):
    return [result for result in run_due_jobs(registry, now=moment) if result[0] == "bpm_escalations"]


def test_escalation_runs_once_when_the_time_limit_has_passed(bpm_registry, clock):
    with bpm_registry.env() as env:
        clerk = make_user(env, "slowpoke")
        late, closed = ready_doc(env, "Late", owner_id=clerk), ready_doc(env, "Closed", owner_id=clerk)
        (late | closed).move_to("submitted")
        closed.move_to("cancelled")
        admin = env.ref("base.user_admin").id
        ids = late.id, closed.id
    clock.advance(hours=47)
    assert escalations(bpm_registry, clock.moment) == [("bpm_escalations", "ok")]
    with bpm_registry.env() as env:
        assert env[DOC].browse(ids[0]).owner_id.id == clerk  # not yet late
    clock.advance(hours=2)
    assert escalations(bpm_registry, clock.moment + dt.timedelta(minutes=15)) == [("bpm_escalations", "ok")]
    with bpm_registry.env() as env:
        doc = env[DOC].browse(ids[0])
        assert (doc.owner_id.id, doc.bpm_escalated, doc.status_code) == (admin, True, "submitted")
        assert doc.bpm_history()[0].kind == "escalation" and doc.bpm_history()[0].date == clock.moment
        assert env[DOC].browse(ids[1]).owner_id.id == clerk  # closed documents are not escalated
        doc.write({"owner_id": clerk})
    clock.advance(hours=5)
    escalations(bpm_registry, clock.moment + dt.timedelta(hours=1))
    with bpm_registry.env() as env:
        doc = env[DOC].browse(ids[0])
        assert doc.owner_id.id == clerk and len(doc.bpm_history().filtered(lambda h: h.kind == "escalation")) == 1
        doc.move_to("draft", comment="again")
        doc.move_to("submitted")
        assert (doc.bpm_escalated, doc.deadline) == (False, clock.moment + 48 * HOUR)


def test_escalation_can_move_the_document(bpm_registry, clock):
    with bpm_registry.env() as env:
        add_action(env, "submitted", trigger="escalate", kind="move",
                   target_status_id=env.ref("test_bpm_docs.doc_flow_cancelled").id)
        doc = ready_doc(env, "Stuck")
        doc.move_to("submitted")
        rid = doc.id
    clock.advance(hours=49)
    with bpm_registry.env() as env:
        assert env["bpm.flow"].run_escalations() == 1
        doc = env[DOC].browse(rid)
        assert (doc.status_code, doc.is_closed) == ("cancelled", True)
        last = doc.bpm_history()[0]
        assert (last.kind, last.from_status_id.code, last.comment) == (
            "move", "submitted", "Moved automatically: the time limit has passed.")
        assert env["bpm.flow"].run_escalations() == 0

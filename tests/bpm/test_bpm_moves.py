"""move_to and allowed_transitions on the demo flow: every rule, each refusal in one message, nothing written."""
import pytest

from bpm_helpers import DOC, benv, bpm_registry, clock, make_user, ready_doc  # noqa: F401 (fixtures)
from core.exceptions import AccessError, UserError, ValidationError


def codes(env, doc):
    return [(h.kind, h.from_status_id.code or None, h.to_status_id.code) for h in doc.bpm_history()][::-1]


def test_new_document_starts_in_the_initial_status_with_its_owner(benv, clock):
    doc = ready_doc(benv)
    assert (doc.status_code, doc.status_id.name, doc.is_closed) == ("draft", "Draft", False)
    assert doc.owner_id.id == benv.uid and doc.status_date == clock.moment and doc.deadline is None
    assert codes(benv, doc) == [("create", None, "draft")]


def test_move_through_the_flow_keeps_the_history(benv, clock):
    doc = ready_doc(benv)
    clock.advance(hours=1)
    assert doc.move_to("submitted") == doc
    assert (doc.status_code, doc.status_date) == ("submitted", clock.moment)
    clock.advance(hours=2)
    doc.move_to("approved", comment="fine")
    doc.move_to("done")
    assert (doc.status_code, doc.is_closed) == ("done", True)
    assert codes(benv, doc) == [("create", None, "draft"), ("move", "draft", "submitted"),
                                ("move", "submitted", "approved"), ("move", "approved", "done")]
    approved = doc.bpm_history()[1]
    assert (approved.comment, approved.user_id.id, approved.date, approved.transition_id.name) == (
        "fine", benv.uid, clock.moment, "Approve")


def test_domains_on_status_code_and_is_closed(benv):
    docs = [ready_doc(benv, f"D{i}") for i in range(3)]
    docs[0].move_to("submitted")
    docs[1].move_to("cancelled")
    found = benv[DOC].search([("status_code", "in", ["submitted", "cancelled"])])
    assert set(found.ids) == {docs[0].id, docs[1].id}
    assert benv[DOC].search([("is_closed", "=", True)]).ids == [docs[1].id]


@pytest.mark.parametrize("start, target, message", [
    ("draft", "done", "Cannot move D to 'Done': there is no transition from 'Draft' in the flow 'Document flow'."),
    ("draft", "draft", "Cannot move D to 'Draft': it is already there."),
    ("draft", "nowhere", "The flow 'Document flow' has no status 'nowhere'."),
])
def test_move_without_a_transition_is_refused(benv, start, target, message):
    doc = ready_doc(benv)
    with pytest.raises(UserError) as info:
        doc.move_to(target)
    assert str(info.value) == message
    assert doc.status_code == start and len(doc.bpm_history()) == 1


def test_missing_required_fields_are_named(benv):
    doc = ready_doc(benv, partner_id=None, reference="")
    with pytest.raises(UserError, match=r"^Cannot move D to 'Submitted': fill in 'Customer', 'Reference' first\.$"):
        doc.move_to("submitted")
    doc.write({"reference": "R"})
    with pytest.raises(UserError, match=r"fill in 'Customer' first"):
        doc.move_to("submitted")
    assert doc.status_code == "draft"


def test_group_refusal_and_sudo_system_move(benv):
    clerk = make_user(benv, "clerk")
    doc = ready_doc(benv).with_user(clerk)
    doc.move_to("submitted")
    with pytest.raises(UserError) as info:
        doc.move_to("approved")
    assert str(info.value) == "Cannot move D to 'Approved': the transition 'Approve' is for Approver only."
    assert doc.status_code == "submitted"
    doc.sudo().move_to("approved")  # a system move skips the groups, not the transition
    assert doc.status_code == "approved"
    with pytest.raises(UserError, match="no transition"):
        doc.sudo().move_to("draft")


def test_condition_refusal_uses_the_transition_explanation(benv):
    doc = ready_doc(benv, amount=0)
    doc.move_to("submitted")
    with pytest.raises(UserError) as info:
        doc.move_to("approved")
    assert str(info.value) == ("Cannot move D to 'Approved': Only a document with a positive amount "
                               "can be approved.")
    assert doc.status_code == "submitted"


def test_comment_required(benv):
    doc = ready_doc(benv)
    doc.move_to("submitted")
    for comment in (None, "   "):
        with pytest.raises(UserError, match=r"a comment is required for 'Send back'\.$"):
            doc.move_to("draft", comment=comment)
    doc.move_to("draft", comment="missing the price")
    assert doc.status_code == "draft" and doc.bpm_history()[0].comment == "missing the price"


def test_hook_vetoes_with_its_reason_and_nothing_is_written(benv):
    good, blocked = ready_doc(benv, "Good"), ready_doc(benv, "Blocked", note="block")
    both = good | blocked
    for step in ("submitted", "approved"):
        both.move_to(step)
    tasks = benv["bpm.task"].search_count([])
    with pytest.raises(UserError) as info:
        both.move_to("done")
    assert str(info.value) == "Cannot move Good and 1 more to 'Done': the test hook blocks documents noted 'block'"
    assert both.mapped("status_code") == ["approved", "approved"]
    assert benv["bpm.history"].search_count([("res_id", "in", both.ids), ("res_model", "=", DOC)]) == 6
    assert benv["bpm.task"].search_count([]) == tasks
    good.move_to("done")
    assert good.status_code == "done"


def test_batch_refusal_names_the_first_failing_document(benv):
    ok, empty = ready_doc(benv, "Ok"), ready_doc(benv, "Empty", amount=0)
    (ok | empty).move_to("submitted")
    with pytest.raises(UserError, match=r"^Cannot move Empty to 'Approved'"):
        (ok | empty).move_to("approved")
    assert (ok | empty).mapped("status_code") == ["submitted", "submitted"]


def test_batch_from_different_statuses(benv):
    a, b = ready_doc(benv, "A"), ready_doc(benv, "B")
    a.move_to("submitted")
    (a | b).move_to("cancelled")
    assert {h.from_status_id.code for h in benv["bpm.history"].search([("to_status_id.code", "=", "cancelled")])} == {
        "draft", "submitted"}


def test_allowed_transitions_follow_status_groups_and_condition(benv):
    clerk = make_user(benv, "clerk2")
    draft, submitted, empty = ready_doc(benv, "A"), ready_doc(benv, "B"), ready_doc(benv, "C", amount=0)
    (submitted | empty).move_to("submitted")
    docs = draft | submitted | empty

    def names(env_docs):
        return {rid: [t.name for t in ts] for rid, ts in env_docs.allowed_transitions().items()}

    assert names(docs) == {draft.id: ["Submit", "Cancel"], submitted.id: ["Approve", "Send back", "Cancel"],
                           empty.id: ["Send back", "Cancel"]}
    assert names(docs.with_user(clerk)) == {draft.id: ["Submit", "Cancel"], submitted.id: ["Send back", "Cancel"],
                                            empty.id: ["Send back", "Cancel"]}


def test_writing_the_status_goes_through_move_to(benv):
    clerk = make_user(benv, "clerk3")
    doc = ready_doc(benv).with_user(clerk)
    approved = benv.ref("test_bpm_docs.doc_flow_approved")
    with pytest.raises(UserError, match="no transition from 'Draft'"):
        doc.write({"status_id": approved.id})
    doc.write({"status_id": benv.ref("test_bpm_docs.doc_flow_submitted").id, "note": "via write"})
    assert (doc.status_code, doc.note) == ("submitted", "via write")
    assert doc.bpm_history()[0].to_status_id.code == "submitted"
    with pytest.raises(UserError, match="is for Approver only"):
        doc.write({"status_code": "approved"})
    doc.write({"status_id": doc.status_id.id, "note": "same status"})  # a form re-sending the status
    assert len(doc.bpm_history()) == 2
    with pytest.raises(ValidationError, match="set by the status flow"):
        doc.write({"is_closed": True})


def test_a_new_document_cannot_skip_the_initial_status(benv):
    clerk = make_user(benv, "clerk4")
    with pytest.raises(UserError, match="starts in the status 'Draft'"):
        benv[DOC].with_user(clerk).create({"name": "X", "status_code": "approved"})
    imported = benv[DOC].create({"name": "Imported", "status_code": "approved"})  # the system may (imports)
    assert imported.status_code == "approved"


def test_a_user_who_cannot_read_a_document_cannot_move_it(benv):
    owner, other = make_user(benv, "owner"), make_user(benv, "other")
    secret = ready_doc(benv, "Secret", confidential=True, owner_id=owner)
    with pytest.raises(AccessError):
        secret.with_user(other).move_to("submitted")
    with pytest.raises(AccessError):
        secret.with_user(other).allowed_transitions()
    with pytest.raises(AccessError):
        secret.with_user(other).write({"status_code": "submitted"})
    assert secret.status_code == "draft"
    secret.with_user(owner).move_to("submitted")
    assert secret.status_code == "submitted"

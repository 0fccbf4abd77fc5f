"""Flows as data: the <flow> element, broken flows refused at load (naming the flow, nothing written),
administrators' changes applied to documents in flight, and an upgrade of a flow with documents in flight."""
import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from bpm_helpers import ADDON, DOC, benv, bpm_registry, make_user, ready_doc  # noqa: F401 (fixtures)
from core.addons import state
from core.addons.manager import install, upgrade
from core.exceptions import AddonError, UserError, ValidationError
from core.orm.database import make_engine

TEST_ADDONS = Path(__file__).resolve().parent.parent / "addons"

MODEL = '''
from core.orm import Model, fields


class Ticket(Model):
    _name = "test.bpm.ticket"
    _inherit = ["bpm.document"]

    name = fields.Char("Name")
'''


def write_flow_addon(root, flow_xml, name="test_bpm_broken"):
    folder = root / name
    (folder / "models").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "manifest.toml").write_text(f'name = "{name}"\nversion = "1.0.0"\ndepends = ["bpm"]\n'
                                          f'data = ["data/flow.xml"]\n')
    (folder / "__init__.py").write_text('"""A flow test addon."""\n')
    (folder / "models" / "__init__.py").write_text("from .ticket import Ticket\n\nMODELS = [Ticket]\n")
    (folder / "models" / "ticket.py").write_text(MODEL)
    (folder / "data" / "flow.xml").write_text('<?xml version="1.0" encoding="utf-8"?>\n<kesher>\n'
                                              + textwrap.dedent(flow_xml) + "</kesher>\n", encoding="utf-8")
    return folder


def installed(url):
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(state.installed(connection))
    finally:
        engine.dispose()


BROKEN = {
    "unknown status": ('''
        <flow id="ticket_flow" model="test.bpm.ticket" string="Ticket flow">
          <status code="new" string="New" initial="1"/>
          <status code="done" string="Done"/>
          <transition from="new" to="finished" string="Finish"/>
        </flow>''', "flow.xml: line 7: flow 'Ticket flow': the transition 'Finish' leads to the unknown status 'finished'"),
    "no initial status": ('''
        <flow id="ticket_flow" model="test.bpm.ticket" string="Ticket flow">
          <status code="new" string="New"/>
          <status code="done" string="Done"/>
          <transition from="new" to="done" string="Finish"/>
        </flow>''', "flow 'Ticket flow': it has no initial status"),
    "unknown group": ('''
        <flow id="ticket_flow" model="test.bpm.ticket" string="Ticket flow">
          <status code="new" string="New" initial="1"/>
          <status code="done" string="Done"/>
          <transition from="new" to="done" string="Finish" groups="base.group_nobody"/>
        </flow>''', "flow 'Ticket flow': the group 'base.group_nobody' does not exist"),
    "unreachable status": ('''
        <flow id="ticket_flow" model="test.bpm.ticket" string="Ticket flow">
          <status code="new" string="New" initial="1"/>
          <status code="done" string="Done"/>
          <status code="lost" string="Lost"/>
          <transition from="new" to="done" string="Finish"/>
          <transition from="lost" to="done" string="Found"/>
        </flow>''', "The status flow 'Ticket flow' (test.bpm.ticket) is not valid: no transition leads to the "
                    "status(es) lost from the initial status."),
    "unreachable status, plain records": ('''
        <record id="ticket_flow" model="bpm.flow">
          <field name="name">Ticket flow</field><field name="model">test.bpm.ticket</field>
        </record>
        <record id="s_new" model="bpm.status">
          <field name="flow_id" ref="ticket_flow"/><field name="code">new</field><field name="name">New</field>
          <field name="is_initial">1</field>
        </record>
        <record id="s_lost" model="bpm.status">
          <field name="flow_id" ref="ticket_flow"/><field name="code">lost</field><field name="name">Lost</field>
        </record>''', "The status flow 'Ticket flow' (test.bpm.ticket) is not valid: no transition leads to the "
                      "status(es) lost from the initial status."),
    "unknown required field": ('''
        <flow id="ticket_flow" model="test.bpm.ticket" string="Ticket flow">
          <status code="new" string="New" initial="1"/>
          <status code="done" string="Done"/>
          <transition from="new" to="done" string="Finish" required="name,customer_id"/>
        </flow>''', "the transition 'Finish' requires the field 'customer_id', which test.bpm.ticket does not have"),
    "bad condition": ('''
        <flow id="ticket_flow" model="test.bpm.ticket" string="Ticket flow">
          <status code="new" string="New" initial="1"/>
          <status code="done" string="Done"/>
          <transition from="new" to="done" string="Finish" condition='[["amount", ">", 0]]'/>
        </flow>''', "the condition of the transition 'Finish' is not valid"),
    "model without the mixin": ('''
        <flow id="partner_flow" model="res.partner" string="Partner flow">
          <status code="new" string="New" initial="1"/>
        </flow>''', "Flow 'Partner flow': the model 'res.partner' does not inherit bpm.document."),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_flow_is_refused_at_load_naming_it(make_registry, config, tmp_path, forget_modules, case):
    flow_xml, message = BROKEN[case]
    root = tmp_path / "addons"
    write_flow_addon(root, flow_xml)
    cfg = config.with_overrides(addons_paths=[str(TEST_ADDONS), str(root)])
    make_registry([ADDON], cfg=cfg).dispose()
    forget_modules("kesher_addons.test_bpm_broken")
    with pytest.raises((AddonError, ValidationError)) as info:
        install(cfg, ["test_bpm_broken"])
    assert message in str(info.value)
    assert "test_bpm_broken" not in installed(cfg.db_url)


def test_a_sound_flow_loads_and_documents_follow_it(make_registry, config, tmp_path, forget_modules):
    root = tmp_path / "addons"
    write_flow_addon(root, '''
        <flow id="ticket_flow" model="test.bpm.ticket" string="Ticket flow">
          <status code="new" string="New" initial="1"/>
          <status code="done" string="Done" closed="1"/>
          <transition id="finish" from="new" to="done" string="Finish" required="name"/>
        </flow>''', name="test_bpm_ticket")
    cfg = config.with_overrides(addons_paths=[str(root)])
    forget_modules("kesher_addons.test_bpm_ticket")
    registry = make_registry(["test_bpm_ticket"], cfg=cfg)
    with registry.env() as env:
        ticket = env["test.bpm.ticket"].create({"name": "T"})
        assert ticket.status_code == "new"
        assert env.ref("test_bpm_ticket.finish").to_status_id == env.ref("test_bpm_ticket.ticket_flow_done")
        ticket.move_to("done")
        assert ticket.is_closed


# -- administrators change a flow: documents in flight follow ----------------------------------
def test_admin_changes_apply_to_documents_in_flight(benv):
    clerk = make_user(benv, "clerk")
    doc = ready_doc(benv)
    doc.move_to("submitted")
    flow = benv.ref(f"{ADDON}.doc_flow")
    submitted = benv.ref(f"{ADDON}.doc_flow_submitted")
    # a new status, and transitions to and from it added through the flow form's lines
    hold = benv["bpm.status"].create({"flow_id": flow.id, "code": "hold", "name": "On hold", "sequence": 15})
    flow.write({"transition_ids": [("create", {"name": "Hold", "from_status_id": submitted.id,
                                               "to_status_id": hold.id}),
                                   ("create", {"name": "Resume", "from_status_id": hold.id,
                                               "to_status_id": submitted.id})]})
    assert "Hold" in [t.name for t in doc.with_user(clerk).allowed_transitions()[doc.id]]
    doc.with_user(clerk).move_to("hold")
    # closing a status and renaming its code: the documents there follow
    hold.write({"code": "paused", "is_closed": True})
    assert (doc.status_code, doc.is_closed) == ("paused", True)
    assert benv[DOC].search([("status_code", "=", "paused")]) == doc
    assert [h.to_name for h in doc.bpm_history()] == ["On hold", "Submitted", "Draft"]
    # a group added to a transition applies at once
    back = benv.ref(f"{ADDON}.doc_flow_submitted_draft")
    back.write({"group_ids": [benv.ref(f"{ADDON}.group_approver").id]})
    other = ready_doc(benv, "Other")
    other.move_to("submitted")
    assert "Send back" not in [t.name for t in other.with_user(clerk).allowed_transitions()[other.id]]


def test_a_flow_saved_broken_is_refused(benv):
    flow = benv.ref(f"{ADDON}.doc_flow")
    with pytest.raises(ValidationError, match="no transition leads to the status\\(es\\) orphan"):
        flow.write({"status_ids": [("create", {"code": "orphan", "name": "Orphan"})]})
    with pytest.raises(ValidationError, match="several initial statuses"):
        flow.write({"status_ids": [("update", benv.ref(f"{ADDON}.doc_flow_done").id, {"is_initial": True})]})
    with pytest.raises(ValidationError, match="Two statuses of a flow cannot have the same code"):
        benv["bpm.status"].create({"flow_id": flow.id, "code": "draft", "name": "Again"})


def test_a_status_holding_documents_cannot_be_deleted(benv):
    doc = ready_doc(benv, "Busy")
    doc.move_to("submitted")
    with pytest.raises(UserError, match=r"The status 'Submitted' of the flow 'Document flow' still holds 1 "
                                        r"document\(s\) \(test.bpm.doc\)"):
        benv.ref(f"{ADDON}.doc_flow_submitted").unlink()
    assert doc.status_code == "submitted"


# -- upgrade of a flow with documents in flight ---------------------------------------------------
FLOW_V2 = '''<?xml version="1.0" encoding="utf-8"?>
<kesher>
  <flow id="doc_flow" model="test.bpm.doc" string="Document flow">
    <status code="draft" string="Draft" initial="1"/>
    <status code="submitted" string="Under review" hours="8"/>
    <status code="hold" string="On hold"/>
    <status code="approved" string="Approved"/>
    <status code="done" string="Done" closed="1" fold="1"/>
    <status code="cancelled" string="Cancelled" closed="1" fold="1"/>
    <transition from="draft" to="submitted" string="Submit"/>
    <transition from="submitted" to="hold" string="Put on hold"/>
    <transition from="hold" to="submitted" string="Resume"/>
    <transition from="submitted" to="approved" string="Approve" groups="group_approver"/>
    <transition from="approved" to="done" string="Close"/>
    <transition from="draft" to="cancelled" string="Cancel"/>
  </flow>
</kesher>
'''


def test_upgrade_of_a_flow_with_documents_in_flight(config, make_registry, tmp_path, forget_modules):
    root = tmp_path / "addons"
    addon = shutil.copytree(TEST_ADDONS / ADDON, root / ADDON)
    cfg = config.with_overrides(addons_paths=[str(root)])
    forget_modules(f"kesher_addons.{ADDON}")
    registry = make_registry([ADDON], cfg=cfg)
    with registry.env() as env:
        draft, submitted, approved = (ready_doc(env, name) for name in ("Draft doc", "Submitted doc", "Approved doc"))
        (submitted | approved).move_to("submitted")
        approved.move_to("approved")
        ids = draft.id, submitted.id, approved.id
        history_before = env["bpm.history"].search_count([])
        old_back = env.ref(f"{ADDON}.doc_flow_submitted_draft").id
    registry.dispose()

    (addon / "data" / "doc_flow.xml").write_text(FLOW_V2, encoding="utf-8")
    manifest = addon / "manifest.toml"
    manifest.write_text(manifest.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    forget_modules(f"kesher_addons.{ADDON}")
    upgraded = upgrade(cfg, [ADDON])
    try:
        with upgraded.env() as env:
            docs = [env[DOC].browse(rid) for rid in ids]
            assert [d.status_code for d in docs] == ["draft", "submitted", "approved"]
            assert docs[1].status_id.name == "Under review"
            assert env["bpm.history"].search_count([]) == history_before
            assert [h.to_name for h in docs[2].bpm_history()] == ["Approved", "Submitted", "Draft"]
            assert env["bpm.transition"].browse(old_back).exists().ids == []  # removed from the file
            allowed = [t.name for t in docs[1].allowed_transitions()[docs[1].id]]
            assert allowed == ["Put on hold", "Approve"]
            docs[1].move_to("hold")
            docs[1].move_to("submitted")
            assert docs[1].deadline == docs[1].status_date + dt.timedelta(hours=8)
            docs[2].move_to("done")
    finally:
        upgraded.dispose()

    # version 3 drops the status "hold"... while a document is in it: refused, nothing changes
    with make_registry([ADDON], cfg=cfg).env() as env:
        env[DOC].browse(ids[1]).move_to("hold")
    (addon / "data" / "doc_flow.xml").write_text(FLOW_V2.replace('    <status code="hold" string="On hold"/>\n', "")
                                                 .replace('    <transition from="submitted" to="hold" string="Put on hold"/>\n', "")
                                                 .replace('    <transition from="hold" to="submitted" string="Resume"/>\n', ""),
                                                 encoding="utf-8")
    manifest.write_text(manifest.read_text().replace('version = "1.1.0"', 'version = "1.2.0"'))
    forget_modules(f"kesher_addons.{ADDON}")
    with pytest.raises(UserError, match=r"The status 'On hold' of the flow 'Document flow' still holds 1 document"):
        upgrade(cfg, [ADDON])
    forget_modules(f"kesher_addons.{ADDON}")
    again = make_registry([ADDON], cfg=cfg)
    with again.env() as env:
        assert env[DOC].browse(ids[1]).status_code == "hold"
        assert env.ref(f"{ADDON}.doc_flow_hold").name == "On hold"

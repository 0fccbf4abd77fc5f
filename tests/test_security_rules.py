"""Record rules, model access rows, implied groups, field groups, and the audit of changes.

Global rules (no group) are AND-ed with everything; group rules are OR-ed between the
groups of the user that have one. Rules see ``$user.id``, ``$user.group_ids`` and what
addons contribute (here ``$allowed_owner_ids``: the user and the owners granted to him).
"""
from types import SimpleNamespace

import pytest

from core.exceptions import AccessError, ValidationError
from core.security.auth import authenticate
from security_helpers import (DOC, DOCS, GRANT, LINE, MANAGER_GROUP, PASSWORD, TAG, USER_GROUP,
                              assert_clean_refusal, build_world)


@pytest.fixture
def world(make_registry):
    registry = make_registry(["test_secure"])
    with registry.env() as env:
        ids = build_world(env)
    return SimpleNamespace(registry=registry, **ids)


def visible(world, login, model=DOC, domain=()):
    """Names (amounts for lines) of the records of ``model`` the user finds."""
    with world.registry.env(user=world.users[login], readonly=True) as env:
        records = env[model].search(list(domain))
        return sorted(records.mapped("amount" if model == LINE else "name"))


def refusal(world, login, work):
    """The AccessError message of ``work(env)`` run as the user (the transaction is rolled back)."""
    with pytest.raises(AccessError) as info:
        with world.registry.env(user=world.users[login]) as env:
            work(env)
    return str(info.value)


def make_user(env, login, groups):
    return env["res.users"].create({"login": login, "name": login.title(), "group_ids": groups}).id


NAMES = {owner: data["name"] for owner, data in DOCS.items()}


# -- global and group rules ----------------------------------------------------------------
def test_group_rule_uses_hook_values(world):
    assert visible(world, "alice") == [NAMES["alice"]]
    assert visible(world, "bob") == [NAMES["bob"]]
    with world.registry.env() as env:
        env[GRANT].create({"user_id": world.users["alice"], "owner_id": world.users["bob"]})
    assert visible(world, "alice") == sorted([NAMES["alice"], NAMES["bob"]])
    assert visible(world, "bob") == [NAMES["bob"]]
    with world.registry.env(readonly=True) as env:
        assert env[DOC].search_count([]) == 3  # the superuser is not restricted


def test_global_rules_are_anded_with_each_other_and_with_group_rules(world):
    with world.registry.env() as env:
        for owner in ("bob", "manager"):
            env[GRANT].create({"user_id": world.users["alice"], "owner_id": world.users[owner]})
    assert visible(world, "alice") == sorted(NAMES.values())
    with world.registry.env() as env:
        env["ir.rule"].create({"name": "Small documents", "model": DOC, "domain": [["amount", "<", 30]]})
    assert visible(world, "alice") == sorted([NAMES["alice"], NAMES["bob"]])
    assert visible(world, "manager") == []  # a global rule applies to every group
    with world.registry.env() as env:
        env["ir.rule"].create({"name": "Not contracts", "model": DOC, "domain": [["name", "not ilike", "contract"]]})
    assert visible(world, "alice") == [NAMES["alice"]]
    assert visible(world, "bob") == []
    with world.registry.env(readonly=True) as env:
        assert env[DOC].search_count([]) == 3


def test_group_rules_are_ored_between_the_users_groups(world):
    with world.registry.env() as env:
        auditors = env["res.groups"].create({"name": "Big documents auditors"})
        env["ir.rule"].create({"name": "Big documents", "model": DOC, "domain": [["amount", ">=", 40]],
                               "group_ids": [auditors.id]})
        env["res.users"].browse(world.users["alice"]).write({"group_ids": [("link", auditors.id)]})
    assert visible(world, "alice") == sorted([NAMES["alice"], NAMES["manager"]])
    assert visible(world, "bob") == [NAMES["bob"]]  # not an auditor: his own only
    with world.registry.env() as env:
        env["ir.rule"].create({"name": "Reports only", "model": DOC, "domain": [["name", "ilike", "report"]]})
    assert visible(world, "alice") == [NAMES["alice"]]


def test_rule_with_user_id_and_user_groups(world):
    with world.registry.env() as env:
        team = env["res.groups"].create({"name": "Team X"})
        readers = env["res.groups"].create({"name": "Team readers"})
        env["ir.model.access"].create({"name": "Team readers read documents", "model": DOC, "group_id": readers.id})
        env["ir.rule"].create({"name": "Documents of my teams", "model": DOC, "group_ids": [readers.id],
                               "domain": [["owner_id.group_ids", "in", "$user.group_ids"]]})
        env["ir.rule"].create({"name": "My own documents", "model": DOC, "group_ids": [readers.id],
                               "domain": [["owner_id", "=", "$user.id"]]})
        rita = make_user(env, "rita", [readers.id, team.id])
        env["res.users"].browse(world.users["bob"]).write({"group_ids": [("link", team.id)]})
        env[DOC].create({"name": "Rita notes", "owner_id": rita})
    with world.registry.env(user=rita, readonly=True) as env:
        assert sorted(env[DOC].search([]).mapped("name")) == sorted([NAMES["bob"], "Rita notes"])


def test_rule_on_one_operation_only(world):
    with world.registry.env() as env:
        env["ir.rule"].create({"name": "No writing big documents", "model": DOC, "domain": [["amount", "<", 15]],
                               "perm_read": False, "perm_create": False, "perm_unlink": False})
        env[GRANT].create({"user_id": world.users["alice"], "owner_id": world.users["bob"]})
    assert visible(world, "alice") == sorted([NAMES["alice"], NAMES["bob"]])
    message = refusal(world, "alice", lambda env: env[DOC].browse(world.docs["bob"]).write({"name": "Renamed"}))
    assert_clean_refusal(message, "change")
    with world.registry.env(user=world.users["alice"]) as env:
        env[DOC].browse(world.docs["alice"]).write({"name": "Alice report v2"})


# -- writes, creates and deletes are checked before and after --------------------------------
def test_write_cannot_move_a_record_out_of_scope(world):
    give_away = {"owner_id": world.users["bob"]}
    message = refusal(world, "alice", lambda env: env[DOC].browse(world.docs["alice"]).write(give_away))
    assert_clean_refusal(message, "change")
    assert "outside your access rules" in message
    with world.registry.env(readonly=True) as env:
        assert env[DOC].browse(world.docs["alice"]).owner_id.id == world.users["alice"]


def test_write_cannot_touch_a_record_of_another_scope(world):
    take = {"owner_id": world.users["alice"]}
    message = refusal(world, "alice", lambda env: env[DOC].browse(world.docs["bob"]).write(take))
    assert_clean_refusal(message, "change")
    both = (world.docs["alice"], world.docs["bob"])
    refusal(world, "alice", lambda env: env[DOC].browse(both).write({"amount": 1}))
    with world.registry.env(readonly=True) as env:
        assert env[DOC].browse(world.docs["bob"]).owner_id.id == world.users["bob"]
        assert env[DOC].browse(both).mapped("amount") == [DOCS["alice"]["amount"], DOCS["bob"]["amount"]]


def test_line_cannot_be_moved_into_another_scope(world):
    def move(env):
        line = env[DOC].browse(world.docs["alice"]).line_ids[:1]
        line.write({"doc_id": world.docs["bob"]})
    assert_clean_refusal(refusal(world, "alice", move), "change", LINE)
    with world.registry.env(readonly=True) as env:
        assert len(env[DOC].browse(world.docs["bob"]).line_ids) == 1


def test_create_outside_scope_is_refused(world):
    message = refusal(world, "alice", lambda env: env[DOC].create({"name": "For Bob", "owner_id": world.users["bob"]}))
    assert_clean_refusal(message, "create")
    with world.registry.env(user=world.users["alice"]) as env:
        env[DOC].create({"name": "Mine too", "owner_id": world.users["alice"]})
    assert visible(world, "alice") == sorted([NAMES["alice"], "Mine too"])
    assert "For Bob" not in visible(world, "bob")


def test_delete_needs_access_row_and_rules(world):
    message = refusal(world, "alice", lambda env: env[DOC].browse(world.docs["alice"]).unlink())
    assert "delete" in message and DOC in message and "Ask an administrator" in message
    message = refusal(world, "manager", lambda env: env[DOC].browse(world.docs["bob"]).unlink())
    assert_clean_refusal(message, "delete")
    with world.registry.env(user=world.users["manager"]) as env:
        env[DOC].browse(world.docs["manager"]).unlink()
    with world.registry.env(readonly=True) as env:
        assert sorted(env[DOC].search([]).mapped("name")) == sorted([NAMES["alice"], NAMES["bob"]])


# -- model access -----------------------------------------------------------------------------
def test_model_without_access_row_is_closed(world):
    with world.registry.env(readonly=True) as env:
        assert env["ir.model.access"].search_count([("model", "=", GRANT)]) == 0
    for operation, work in (("read", lambda env: env[GRANT].search([])),
                            ("read", lambda env: env[GRANT].search_count([])),
                            ("create", lambda env: env[GRANT].create({"user_id": world.users["alice"],
                                                                        "owner_id": world.users["bob"]}))):
        message = refusal(world, "manager", work)
        assert f"You are not allowed to {operation}" in message and GRANT in message
    with world.registry.env() as env:  # the superuser (and the hook, run as superuser) is not refused
        env[GRANT].create({"user_id": world.users["alice"], "owner_id": world.users["bob"]})
        admin = make_user(env, "sysadmin", [env.ref("base.group_system").id])
    with world.registry.env(user=admin, readonly=True) as env:  # administrators pass model access
        assert env[GRANT].search_count([]) == 1


def test_access_rows_for_everyone_and_archived(world):
    with world.registry.env() as env:
        row = env["ir.model.access"].create({"name": "Grants: everyone reads", "model": GRANT})
    with world.registry.env(user=world.users["outsider"], readonly=True) as env:
        assert env[GRANT].search_count([]) == 0
    with world.registry.env() as env:
        env["ir.model.access"].browse(row.id).write({"active": False})
    assert "not allowed to read" in refusal(world, "outsider", lambda env: env[GRANT].search([]))
    message = refusal(world, "outsider", lambda env: env[DOC].search([]))
    assert_clean_refusal(message, "read")


# -- implied groups -------------------------------------------------------------------------
def test_implied_groups_grant_access_and_rules(world):
    with world.registry.env(user=world.users["manager"], readonly=True) as env:
        assert env[TAG].search_count([]) == 2  # the tags' access row is the user group's
        env["res.partner"].search([])  # not refused: base.group_user's row, implied by the user group
        assert env[DOC].search([]).mapped("name") == [NAMES["manager"]]  # and its owner rule
    with world.registry.env() as env:
        trainees = env["res.groups"].create({"name": "Trainees"})
        tom = make_user(env, "tom", [trainees.id])
        env[DOC].create({"name": "Tom draft", "owner_id": tom})
    message = refusal(world, "outsider", lambda env: env[DOC].search([]))
    assert "read" in message
    with pytest.raises(AccessError):
        with world.registry.env(user=tom, readonly=True) as env:
            env[DOC].search([])
    with world.registry.env() as env:
        with pytest.raises(AccessError):  # the transaction now knows Tom's groups...
            env.with_user(tom)[DOC].search([])
        env["res.groups"].browse(trainees.id).write({"implied_ids": [("link", env.ref(USER_GROUP).id)]})
        # ...and forgets them when a group changes: the implication is in force at once
        assert env.with_user(tom)[DOC].search([]).mapped("name") == ["Tom draft"]
    with world.registry.env(user=tom, readonly=True) as env:
        assert env[DOC].search([]).mapped("name") == ["Tom draft"]
        assert env["res.users"].browse(tom).has_group(USER_GROUP)
        assert not env["res.users"].browse(tom).has_group(MANAGER_GROUP)


# -- field groups -----------------------------------------------------------------------------
FIELD_REFUSALS = {
    "read": lambda env, d: env[DOC].browse(d).read(["name", "secret_note"]),
    "attribute": lambda env, d: env[DOC].browse(d).secret_note,
    "search": lambda env, d: env[DOC].search([("secret_note", "ilike", "margin")]),
    "search_count": lambda env, d: env[DOC].search_count([("secret_note", "!=", False)]),
    "order": lambda env, d: env[DOC].search([], order="secret_note desc"),
    "read_group_by": lambda env, d: env[DOC].read_group([], ["secret_note"]),
    "read_group_aggregate": lambda env, d: env[DOC].read_group([], [], ["secret_note:count_distinct"]),
    "name_search_domain": lambda env, d: env[DOC].name_search("", [("secret_note", "=", "x")]),
    "write": lambda env, d: env[DOC].browse(d).write({"secret_note": "changed"}),
    "create": lambda env, d: env[DOC].create({"name": "New", "owner_id": env.uid, "secret_note": "mine"}),
}


@pytest.mark.parametrize("operation", FIELD_REFUSALS)
def test_restricted_field_is_refused_to_other_users(world, operation):
    message = refusal(world, "alice", lambda env: FIELD_REFUSALS[operation](env, world.docs["alice"]))
    verb = "change" if operation in ("write", "create") else "read"
    assert f"not allowed to {verb} the field" in message and "test.secure.doc.secret_note" in message
    assert DOCS["alice"]["secret"] not in message


def test_restricted_field_is_invisible_but_the_rest_works(world):
    with world.registry.env(user=world.users["alice"]) as env:
        doc = env[DOC].browse(world.docs["alice"])
        values = doc.read()[0]
        assert "secret_note" not in values and values["name"] == NAMES["alice"]
        assert env[DOC].read_group([], ["owner_id"], ["amount:sum"])[0]["amount:sum"] == DOCS["alice"]["amount"]
        copy = doc.copy()  # the copy leaves out what the user may not see
        assert copy.owner_id.id == world.users["alice"]
    with world.registry.env(readonly=True) as env:
        assert env[DOC].browse(copy.id).secret_note is None
        assert env[DOC].browse(world.docs["alice"]).secret_note == DOCS["alice"]["secret"]


def test_group_member_reads_and_writes_restricted_field(world):
    with world.registry.env(user=world.users["manager"]) as env:
        doc = env[DOC].browse(world.docs["manager"])
        assert doc.read(["secret_note"])[0]["secret_note"] == DOCS["manager"]["secret"]
        assert env[DOC].search([("secret_note", "ilike", "manager-margin")]) == doc
        assert env[DOC].read_group([], ["secret_note"])[0]["secret_note"] == DOCS["manager"]["secret"]
        doc.write({"secret_note": "revised"})
        assert doc.copy().secret_note == "revised"
    with world.registry.env(readonly=True) as env:
        assert env[DOC].browse(world.docs["manager"]).secret_note == "revised"


# -- the transaction's copy of the security data --------------------------------------------------
def test_rolled_back_rule_is_forgotten(world):
    env = world.registry.env()
    try:
        env["ir.rule"].create({"name": "Nothing", "model": DOC, "domain": [["id", "=", 0]]})
        alice = env.with_user(world.users["alice"])
        assert alice[DOC].search([]).ids == []
        env.rollback()
        assert alice[DOC].search([]).ids == [world.docs["alice"]]
    finally:
        env.rollback()
        env.close()


# -- rules with a bad domain are refused when they are created ---------------------------------------
@pytest.mark.parametrize("domain, expected", [
    ([["no_such_field", "=", 1]], "Unknown field 'no_such_field'"),
    ([["owner_id.no_such_field", "=", 1]], "Unknown field 'no_such_field'"),
    ([["name", "resembles", "x"]], "Unknown operator 'resembles'"),
    (["|", ["name", "=", "x"]], "Malformed domain"),
    ({"name": "x"}, "must be a list"),
    ([["owner_id", "in", "$no_such_variable"]], "$no_such_variable"),
])
def test_rule_with_bad_domain_is_refused_at_create(world, domain, expected):
    with pytest.raises(ValidationError) as info:
        with world.registry.env() as env:
            env["ir.rule"].create({"name": "Broken rule", "model": DOC, "domain": domain})
    message = str(info.value)
    assert "Broken rule" in message and expected in message, message
    with world.registry.env(readonly=True) as env:
        assert not env["ir.rule"].search([("name", "=", "Broken rule")])
    assert visible(world, "alice") == [NAMES["alice"]]  # nothing half-created breaks reading


def test_rule_on_unknown_model_and_bad_write_are_refused(world):
    with pytest.raises(ValidationError, match="unknown model 'no.such.model'"):
        with world.registry.env() as env:
            env["ir.rule"].create({"name": "Lost rule", "model": "no.such.model", "domain": []})
    with pytest.raises(ValidationError, match="Unknown field 'nope'"):
        with world.registry.env() as env:
            env.ref("test_secure.rule_doc_owner").write({"domain": [["nope", "=", 1]]})
    assert visible(world, "alice") == [NAMES["alice"]]


# -- audit: logins and changes to users, groups, access rows and rules -----------------------------
def audit_log(env, model, res_id=None):
    domain = [("model", "=", model)] + ([("res_id", "=", res_id)] if res_id is not None else [])
    return env["mail.message"].search(domain, order="id")


def changed_fields(messages):
    return [change["field"] for m in messages for change in (m.tracking or [])]


def test_logins_are_audited(world):
    with world.registry.env() as env:
        env["res.users"].browse(world.users["alice"]).set_password(PASSWORD)
    authenticate(world.registry, "alice", PASSWORD, remote_addr="10.0.0.7")
    with pytest.raises(AccessError):
        authenticate(world.registry, "alice", "wrong-password", remote_addr="10.0.0.8")
    with pytest.raises(AccessError):
        authenticate(world.registry, "nobody", "whatever-pass", remote_addr="10.0.0.9")
    with world.registry.env(readonly=True) as env:
        audits = env["mail.message"].search([("message_type", "=", "audit")], order="id")
        summary = [(m.subject, m.res_id, m.author_id.id or None) for m in audits]
        assert summary == [("Logged in", world.users["alice"], world.users["alice"]),
                           ("Login failed", world.users["alice"], None),
                           ("Login failed", 0, None)]
        assert ["10.0.0.7" in m.body for m in audits] == [True, False, False]
        assert "nobody" in audits[2].body
        assert all("wrong-password" not in (m.body or "") for m in audits)


def test_changes_to_users_and_groups_are_audited(world):
    with world.registry.env() as env:
        admin = make_user(env, "sysadmin", [env.ref("base.group_system").id, env.ref("base.group_user").id])
    with world.registry.env(user=admin) as env:
        group = env["res.groups"].create({"name": "Auditors"})
        group.write({"name": "Senior auditors", "implied_ids": [("link", env.ref(USER_GROUP).id)]})
        user = env["res.users"].browse(world.users["bob"])
        user.write({"name": "Robert", "group_ids": [("link", group.id)]})
        user.write({"active": False})
        user.set_password("new-password-123")
        group.write({"user_ids": [("link", world.users["alice"])]})
    with world.registry.env(readonly=True) as env:
        group_log = audit_log(env, "res.groups", group.id)
        assert group_log[0].body == "Created" and group_log[0].author_id.id == admin
        assert changed_fields(group_log) == ["name", "implied_ids", "user_ids"]
        user_log = audit_log(env, "res.users", world.users["bob"])
        assert changed_fields(user_log) == ["name", "group_ids", "active"]
        assert all(m.author_id.id == admin for m in user_log if m.tracking)
        every = audit_log(env, "res.users")
        assert all("new-password-123" not in repr((m.body, m.tracking)) for m in every)
        assert "password_hash" not in changed_fields(every)


def test_changes_to_access_rows_and_rules_are_audited(world):
    with world.registry.env() as env:
        row = env["ir.model.access"].create({"name": "Grants: users", "model": GRANT,
                                             "group_id": env.ref(USER_GROUP).id})
        row.write({"perm_write": True})
        row.write({"active": False})
        rule = env["ir.rule"].create({"name": "Small grants", "model": DOC, "domain": [["amount", "<", 5]]})
        rule.write({"domain": [["amount", "<", 50]], "group_ids": [("link", env.ref(MANAGER_GROUP).id)]})
        rule.write({"active": False})
        rule_id, row_id = rule.id, row.id
        rule.unlink()
        row.unlink()
    with world.registry.env(readonly=True) as env:
        row_log = audit_log(env, "ir.model.access", row_id)
        assert [m.body for m in row_log if not m.tracking] == ["Created", "Deleted"]
        assert changed_fields(row_log) == ["perm_write", "active"]
        rule_log = audit_log(env, "ir.rule", rule_id)
        assert [m.body for m in rule_log if not m.tracking] == ["Created", "Deleted"]
        assert changed_fields(rule_log) == ["domain", "group_ids", "active"]


def test_the_login_audit_is_for_administrators_only(make_registry):
    registry = make_registry(["test_secure"])
    with registry.env() as env:
        user_group = env.ref("base.group_user")
        clerk = env["res.users"].create({"login": "clerk", "name": "Clerk", "group_ids": [user_group.id]})
        clerk_id, admin_id = clerk.id, env.ref("base.user_admin").id
        env["res.users"]._login("admin", "wrong password", "10.0.0.9")
    clerk_env = registry.env(user=clerk_id, readonly=True)
    admin_env = registry.env(user=admin_id, readonly=True)
    try:
        audit = [("message_type", "=", "audit")]
        assert clerk_env["mail.message"].search_count(audit) == 0
        assert admin_env["mail.message"].search_count(audit) >= 1
    finally:
        clerk_env.close()
        admin_env.close()


# -- records about a document: its messages and its files -------------------------------------
def test_messages_and_attachments_follow_the_document_they_are_about(world):
    """A user finds the log lines and files of the documents he may read, of no other; a
    file about no document stays visible; writing a file of a hidden document is refused."""
    with world.registry.env() as env:
        for owner, doc_id in world.docs.items():
            env["mail.message"].create({"model": DOC, "res_id": doc_id, "body": f"note of {owner}"})
            env["ir.attachment"].create({"name": f"{owner}.txt", "res_model": DOC, "res_id": doc_id, "datas": b"x"})
        env["ir.attachment"].create({"name": "loose.txt", "datas": b"x"})
        groups_model = env["res.groups"]._name
        env["mail.message"].create({"model": groups_model, "res_id": env.ref("base.group_user").id,
                                    "body": "about a group"})
        bob_file = env["ir.attachment"].search([("name", "=", "bob.txt")]).id
    with world.registry.env(user=world.users["alice"], readonly=True) as env:
        notes = env["mail.message"].search([("body", "like", "note of")]).mapped("body")
        assert notes == ["note of alice"]
        assert sorted(env["ir.attachment"].search([]).mapped("name")) == ["alice.txt", "loose.txt"]
        assert env["ir.attachment"].search_count([("res_model", "=", DOC)]) == 1
        assert env["mail.message"].search([("body", "=", "about a group")]).mapped("body") == ["about a group"]
        groups = env["ir.attachment"].read_group([], ["res_model"], ["__count"])
        assert sum(group["__count"] for group in groups) == 2
    message = refusal(world, "alice", lambda env: env["ir.attachment"].browse(bob_file).write({"name": "mine.txt"}))
    assert "change" in message and "outside your access rules" in message and "bob.txt" not in message
    with world.registry.env(readonly=True) as env:
        assert env["ir.attachment"].browse(bob_file).name == "bob.txt"

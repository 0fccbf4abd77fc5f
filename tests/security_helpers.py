"""The people and documents of the security tests (addon test_secure).

Alice and Bob are document users: each sees the documents he owns (and those of the
owners a ``test.secure.grant`` allows him). The manager also sees the margin note
(``secret_note``, a field of ``group_secure_manager``) and may delete. The outsider is
an internal user with no access to documents at all.
"""
from decimal import Decimal

DOC, LINE, TAG, GRANT = "test.secure.doc", "test.secure.line", "test.secure.tag", "test.secure.grant"
PASSWORD = "correct-horse-battery-9"
USER_GROUP, MANAGER_GROUP = "test_secure.group_secure_user", "test_secure.group_secure_manager"

# what each owner's document holds; lines over 100 and the hidden tag are hidden by extra rules in some tests
DOCS = {
    "alice": {"name": "Alice report", "amount": Decimal("10.00"), "secret": "alice-margin-1111",
              "lines": [3, 4, 500], "tags": ["Shared tag", "Hidden tag"]},
    "bob": {"name": "Bob contract", "amount": Decimal("20.00"), "secret": "bob-margin-2222",
            "lines": [5], "tags": ["Shared tag"]},
    "manager": {"name": "Manager plan", "amount": Decimal("40.00"), "secret": "manager-margin-3333",
                "lines": [], "tags": []},
}
USERS = {"alice": (USER_GROUP,), "bob": (USER_GROUP,), "manager": (MANAGER_GROUP,),
         "outsider": ("base.group_user",)}


def build_world(env, passwords=()):
    """Users, tags and one document per owner (as the superuser); ``{"users", "docs", "tags"}`` of ids.

    The users named in ``passwords`` get ``PASSWORD`` (hashing is slow on purpose: only when needed).
    """
    users = {}
    for login, groups in USERS.items():
        user = env["res.users"].create({"login": login, "name": login.title(), "lang": "en",
                                        "group_ids": [env.ref(g).id for g in groups]})
        if login in passwords:
            user.set_password(PASSWORD)
        users[login] = user.id
    tags = {name: env[TAG].create({"name": name}).id for name in ("Shared tag", "Hidden tag")}
    docs = {}
    for owner, data in DOCS.items():
        doc = env[DOC].create({"name": data["name"], "owner_id": users[owner], "amount": data["amount"],
                               "secret_note": data["secret"], "line_ids": [{"amount": a} for a in data["lines"]],
                               "tag_ids": [tags[t] for t in data["tags"]]})
        docs[owner] = doc.id
    return {"users": users, "docs": docs, "tags": tags}


def assert_clean_refusal(message, operation, model=DOC):
    """An access error names the operation and the model, and none of the refused data."""
    assert operation in message and model in message, message
    for data in DOCS.values():
        assert data["secret"] not in message, message
    assert DOCS["bob"]["name"] not in message and DOCS["manager"]["name"] not in message, message

"""The JSON API under /api/v1: bearer tokens, lists with domain/fields/order/paging, the
keyset cursor, records, create/update/delete, methods, errors (always JSON), access and
record rules, OpenAPI, exact Decimal amounts."""
import base64
import json

import pytest
from werkzeug.test import Client

from db_backends import BACKENDS
from core.web.app import KesherApp
from web_helpers import make_user, module_database, unique


def _setup(env):
    ids = {
        "api_user": make_user(env, "api_user", groups=("test_secure.group_secure_user",)),
        "api_other": make_user(env, "api_other", groups=("test_secure.group_secure_user",)),
        "api_plain": make_user(env, "api_plain"),
        "api_hebrew": make_user(env, "api_hebrew", lang="he"),
    }
    users = env["res.users"]
    tokens = {login: users.browse(uid).create_api_token(f"{login} token") for login, uid in ids.items()}
    revoked = users.browse(ids["api_user"]).create_api_token("revoked")
    env["res.users.apikey"].search([("name", "=", "revoked")]).revoke()
    tokens["revoked"] = revoked
    partners = env["res.partner"]
    ids["haifa"] = partners.create({"name": "Haifa Trading", "customer": True}).id
    ids["eilat"] = partners.create({"name": "Eilat Supplies", "customer": True}).id
    docs = env["test.secure.doc"]
    ids["own_doc"] = docs.create({"name": "Own doc", "owner_id": ids["api_user"], "amount": "10.10",
                                  "secret_note": "hidden"}).id
    ids["other_doc"] = docs.create({"name": "Other doc", "owner_id": ids["api_other"], "amount": "20"}).id
    return {"ids": ids, "tokens": tokens}


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    yield from module_database(request.param, tmp_path_factory, ["test_web_orders", "test_secure"], setup=_setup)


@pytest.fixture(scope="module")
def registry(site):
    return site[0]


@pytest.fixture(scope="module")
def ids(site):
    return site[1]["ids"]


@pytest.fixture(scope="module")
def tokens(site):
    return site[1]["tokens"]


@pytest.fixture(scope="module")
def client(registry):
    return Client(KesherApp(registry))


class Api:
    """Requests with one user's bearer token."""

    def __init__(self, client, token):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, **params):
        return self.client.get("/api/v1/" + path, query_string=params, headers=self.headers)

    def post(self, path, payload=None, raw=None):
        return self.client.post("/api/v1/" + path, data=raw if raw is not None else json.dumps(payload),
                                headers={**self.headers, "Content-Type": "application/json"})

    def patch(self, path, payload):
        return self.client.patch("/api/v1/" + path, data=json.dumps(payload),
                                 headers={**self.headers, "Content-Type": "application/json"})

    def delete(self, path):
        return self.client.delete("/api/v1/" + path, headers=self.headers)


@pytest.fixture(scope="module")
def api(client, tokens):
    return Api(client, tokens["api_user"])


def make_orders(registry, partner_id, names, lines=()):
    def work(env):
        return [env["test.order"].create({"name": name, "partner_id": partner_id,
                                          "line_ids": [{"product": p, "quantity": q, "price_unit": u}
                                                       for p, q, u in lines]}).id for name in names]
    return registry.run(work)


def assert_error(response, status, code, *words):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["code"] == code
    for word in words:
        assert word in error["message"], (word, error["message"])
    return error


# -- authentication ------------------------------------------------------------------------
def test_a_bearer_token_is_required(client, tokens):
    for headers in ({}, {"Authorization": "Basic YWRtaW46YWRtaW4="}, {"Authorization": "Bearer "},
                    {"Authorization": "Bearer ksr_not-a-real-token"}, {"Authorization": "Bearer nonsense"},
                    {"Authorization": f"Bearer {tokens['revoked']}"}):
        response = client.get("/api/v1/test.order", headers=headers)
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_error(client.post("/api/v1/test.order", data="{}"), 401, "unauthorized")
    assert_error(client.get("/api/v1/test.order/1"), 401, "unauthorized")
    # a web session cookie is not an API credential
    client.set_cookie("kesher_session", "whatever")
    assert_error(client.get("/api/v1/test.order"), 401, "unauthorized")
    client.delete_cookie("kesher_session")


def test_the_token_of_a_disabled_user_is_refused(client, registry):
    def make(env):
        uid = make_user(env, unique("gone").lower())
        return uid, env["res.users"].browse(uid).create_api_token()
    uid, token = registry.run(make)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/test.order", headers=headers).status_code == 200
    registry.run(lambda env: env["res.users"].browse(uid).write({"active": False}))
    assert_error(client.get("/api/v1/test.order", headers=headers), 401, "unauthorized", "disabled")


def test_a_valid_token_works(api):
    response = api.get("test.order", limit=1)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert set(response.json) == {"records", "count", "count_exact", "next"}


# -- lists -------------------------------------------------------------------------------------
def test_list_with_domain_fields_order_limit_offset(api, registry, ids):
    tag = unique("LST")
    made = make_orders(registry, ids["haifa"], [f"{tag}-{c}" for c in "bdace"])
    domain = json.dumps([["name", "=like", f"{tag}-%"]])
    response = api.get("test.order", domain=domain, fields="name,partner_id,amount_total", order="name desc",
                       limit=2, offset=1)
    assert response.status_code == 200
    body = response.json
    assert body["count"] == 5 and body["next"] is None  # a cursor only for the id order
    assert [r["name"] for r in body["records"]] == [f"{tag}-d", f"{tag}-c"]
    record = body["records"][0]
    assert set(record) == {"id", "name", "partner_id", "amount_total"}
    assert record["partner_id"] == {"id": ids["haifa"], "name": "Haifa Trading"}
    assert record["amount_total"] == "0.00"
    body = api.get("test.order", domain=domain, order="id", limit=80).json
    assert [r["id"] for r in body["records"]] == sorted(made)
    assert body["next"] is None  # fewer than the limit: the last page
    both = json.dumps(["|", ["name", "=", f"{tag}-a"], ["name", "=", f"{tag}-e"]])
    assert sorted(r["name"] for r in api.get("test.order", domain=both).json["records"]) == [f"{tag}-a", f"{tag}-e"]


@pytest.mark.parametrize("order", ["id", "id desc"])
def test_keyset_cursor_walks_every_page_once(api, registry, ids, order):
    tag = unique("CUR")
    made = make_orders(registry, ids["haifa"], [f"{tag}-{n}" for n in range(7)])
    domain = json.dumps([["name", "=like", f"{tag}-%"]])
    seen, pages, cursor = [], 0, None
    while True:
        params = {"domain": domain, "order": order, "limit": 3, "fields": "name"}
        if cursor:
            params["cursor"] = cursor
        body = api.get("test.order", **params).json
        assert body["count"] == 7
        seen += [r["id"] for r in body["records"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
        # a record created meanwhile before the cursor does not shift the pages (keyset, not offset)
        if pages == 1:
            make_orders(registry, ids["eilat"], [f"other-{tag}"])
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    assert seen == sorted(made, reverse=order.endswith("desc"))
    # exactly a page-full: the next page is empty and ends the walk
    six = json.dumps([["id", "in", made[:6]]])
    first = api.get("test.order", domain=six, order=order, limit=3).json
    second = api.get("test.order", domain=six, order=order, limit=3, cursor=first["next"]).json
    third = api.get("test.order", domain=six, order=order, limit=3, cursor=second["next"]).json
    assert third == {"records": [], "count": 6, "count_exact": True, "next": None}
    assert len({r["id"] for r in first["records"] + second["records"]}) == 6


def test_count_stops_past_the_page_unless_exact_is_asked(api, registry, ids, monkeypatch):
    from core.web import api_json
    monkeypatch.setattr(api_json, "COUNT_AHEAD", 4)
    tag = unique("CNT")
    make_orders(registry, ids["haifa"], [f"{tag}-{n}" for n in range(12)])
    domain = json.dumps([["name", "=like", f"{tag}-%"]])
    first = api.get("test.order", domain=domain, limit=3).json
    assert (first["count"], first["count_exact"]) == (7, False)  # 3 shown + 4 ahead, and more exist
    exact = api.get("test.order", domain=domain, limit=3, count="exact").json
    assert (exact["count"], exact["count_exact"]) == (12, True)
    near_end = api.get("test.order", domain=domain, limit=3, offset=6).json
    assert (near_end["count"], near_end["count_exact"]) == (12, True)  # 9 + 4 ahead reach the end
    last = api.get("test.order", domain=domain, limit=5, offset=10).json
    assert (len(last["records"]), last["count"], last["count_exact"]) == (2, 12, True)
    assert_error(api.get("test.order", domain=domain, count="some"), 400, "bad_request", "count")


def test_cursor_errors(api):
    assert_error(api.get("test.order", order="name", cursor="MQ=="), 400, "bad_request", "cursor")
    assert_error(api.get("test.order", cursor="!!not-base64!!"), 400, "bad_request", "cursor")
    assert_error(api.get("test.order", cursor=base64.urlsafe_b64encode(b"abc").decode()), 400, "bad_request",
                 "cursor")


@pytest.mark.parametrize("limit", ["1001", "5000", "0", "-1", "abc"])
def test_limit_outside_the_page_size_is_refused(api, limit):
    response = api.get("test.order", limit=limit)
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"
    assert "limit" in response.json["error"]["message"]


def test_limit_at_the_page_size_is_accepted(api):
    assert api.get("test.order", limit=1000).status_code == 200


# -- one record, create, update, delete ------------------------------------------------------------
def test_get_one_record(api, registry, ids):
    (rid,) = make_orders(registry, ids["haifa"], [unique("ONE")], lines=[("a", "1.5", "1000.10"), ("b", 3, "2.50")])
    response = api.get(f"test.order/{rid}")
    assert response.status_code == 200
    record = response.json
    assert record["id"] == rid and record["partner_id"] == {"id": ids["haifa"], "name": "Haifa Trading"}
    assert record["amount_total"] == "1507.65" and record["state"] == "draft"
    assert len(record["line_ids"]) == 2 and all(isinstance(i, int) for i in record["line_ids"])
    assert '"amount_total": "1507.65"' in response.get_data(as_text=True)  # an exact string, not a float
    line = api.get(f"test.order.line/{record['line_ids'][0]}").json
    assert line["order_id"]["id"] == rid and line["quantity"] == "1.500" and line["price_unit"] == "1000.10"
    assert set(api.get(f"test.order/{rid}", fields="name,date").json) == {"id", "name", "date"}
    assert_error(api.get("test.order/99999999"), 404, "not_found")


def test_create_with_nested_lines(api, registry, ids):
    name = unique("POST")
    payload = {"name": name, "partner_id": ids["eilat"], "date": "2025-07-01",
               "line_ids": [{"product": "pens", "quantity": "3", "price_unit": "0.10"},
                            {"product": "paper", "quantity": 1.5, "price_unit": 19.99}]}
    response = api.post("test.order", payload)
    assert response.status_code == 201, response.get_data(as_text=True)
    record = response.json
    assert record["name"] == name and record["date"] == "2025-07-01"
    assert record["partner_id"] == {"id": ids["eilat"], "name": "Eilat Supplies"}
    assert record["amount_total"] == "30.29"  # 0.30 + 29.985 rounded per line: exact decimals
    stored = registry.run(lambda env: sorted((l.product, str(l.quantity), str(l.price_unit)) for l in
                                             env["test.order"].browse(record["id"]).line_ids), readonly=True)
    assert stored == [("paper", "1.500", "19.99"), ("pens", "3.000", "0.10")]


def test_exact_decimal_amounts(api, registry, ids):
    response = api.post("test.order", {"name": unique("DEC"), "partner_id": ids["haifa"],
                                       "line_ids": [{"product": "x", "quantity": "1", "price_unit": "1234567.89"},
                                                    {"product": "y", "quantity": "3", "price_unit": "0.10"}]})
    assert response.json["amount_total"] == "1234568.19"
    text = api.get(f"test.order/{response.json['id']}", fields="amount_total").get_data(as_text=True)
    assert json.loads(text)["amount_total"] == "1234568.19"
    assert "1234568.1899" not in text and "e+" not in text


def test_patch(api, registry, ids):
    (rid,) = make_orders(registry, ids["haifa"], [unique("PATCH")])
    response = api.patch(f"test.order/{rid}", {"note": "patched", "partner_id": ids["eilat"],
                                               "line_ids": [{"product": "new", "quantity": "2", "price_unit": "5"}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["note"] == "patched" and response.json["partner_id"]["id"] == ids["eilat"]
    assert response.json["amount_total"] == "10.00" and response.json["version"] == 2
    # the version guards against lost updates
    response = api.patch(f"test.order/{rid}", {"note": "stale", "version": 1})
    assert_error(response, 409, "conflict", "changed by someone else")
    assert api.patch(f"test.order/{rid}", {"note": "fresh", "version": 2}).status_code == 200
    assert registry.run(lambda env: env["test.order"].browse(rid).note, readonly=True) == "fresh"


def test_delete(api, registry, ids):
    (rid,) = make_orders(registry, ids["haifa"], [unique("DEL")], lines=[("a", 1, 1)])
    response = api.delete(f"test.order/{rid}")
    assert response.status_code == 204 and response.get_data() == b""
    assert_error(api.get(f"test.order/{rid}"), 404, "not_found")
    assert_error(api.delete(f"test.order/{rid}"), 404, "not_found")
    assert registry.run(lambda env: env["test.order.line"].search_count([("order_id", "=", rid)]),
                        readonly=True) == 0


# -- methods ------------------------------------------------------------------------------------
def test_calling_a_ui_callable_method(api, registry, ids):
    (rid,) = make_orders(registry, ids["haifa"], [unique("CALL")])
    response = api.post(f"test.order/{rid}/action_confirm", {})
    assert response.status_code == 200 and response.json == {"result": True}
    assert registry.run(lambda env: env["test.order"].browse(rid).state, readonly=True) == "confirmed"


@pytest.mark.parametrize("method", ["action_secret", "_check_name", "unlink", "write", "copy", "nope",
                                    "_onchange_partner_id"])
def test_a_method_not_callable_from_the_api_is_404(api, registry, ids, method):
    (rid,) = make_orders(registry, ids["haifa"], [unique("NOCALL")])
    assert_error(api.post(f"test.order/{rid}/{method}", {}), 404, "not_found", method)
    assert registry.run(lambda env: [o.state for o in env["test.order"].browse(rid).exists()],
                        readonly=True) == ["draft"]


# -- bad requests ---------------------------------------------------------------------------------
@pytest.mark.parametrize("params, words", [
    ({"domain": "[[\"name\", \"=\""}, ["domain", "JSON"]),
    ({"domain": json.dumps([["no_such_field", "=", 1]])}, ["no_such_field"]),
    ({"domain": json.dumps([["name", "~~", "x"]])}, ["~~"]),
    ({"domain": json.dumps({"name": "x"})}, ["domain"]),
    ({"domain": json.dumps([["partner_id.nope", "=", 1]])}, ["nope"]),
    ({"fields": "name,no_such_field"}, ["no_such_field"]),
    ({"order": "no_such_field"}, ["no_such_field"]),
    ({"order": "name; drop table test_order"}, []),
])
def test_bad_list_parameters_are_400_naming_the_problem(api, params, words):
    assert_error(api.get("test.order", **params), 400, "bad_request", *words)


@pytest.mark.parametrize("payload, words", [
    ({"amount_total": "5"}, ["amount_total"]),
    ({"number": "SO-1"}, ["number"]),
    ({"id": 5}, ["id"]),
    ({"create_date": "2020-01-01T00:00:00"}, ["create_date"]),
    ({"no_such_field": 1}, ["no_such_field"]),
])
def test_readonly_or_unknown_fields_in_a_payload_are_400(api, registry, ids, payload, words):
    name = unique("RO")
    assert_error(api.post("test.order", {"name": name, "partner_id": ids["haifa"], **payload}), 400, "bad_request",
                 *words)
    assert registry.run(lambda env: env["test.order"].search_count([("name", "=", name)]), readonly=True) == 0
    (rid,) = make_orders(registry, ids["haifa"], [name])
    assert_error(api.patch(f"test.order/{rid}", payload), 400, "bad_request", *words)
    assert registry.run(lambda env: env["test.order"].browse(rid).read(["version", "amount_total"])[0],
                        readonly=True) == {"id": rid, "version": 1, "amount_total": 0}


def test_invalid_values_and_bodies_are_400(api, ids):
    assert_error(api.post("test.order", {"name": "Bad!", "partner_id": ids["haifa"]}), 400, "bad_request", "'!'")
    assert_error(api.post("test.order", {"partner_id": ids["haifa"]}), 400, "bad_request", "required")
    assert_error(api.post("test.order", {"name": "x", "partner_id": ids["haifa"], "date": "yesterday"}), 400,
                 "bad_request")
    assert_error(api.post("test.order", raw="{not json"), 400, "bad_request", "JSON")
    assert_error(api.post("test.order", raw="[1, 2]"), 400, "bad_request", "object")


def test_unknown_models_and_urls_are_json_404(api):
    for path in ("no.such.model", "ir.session", "res.users.apikey", "res.users.login", "test.order/1/2/3"):
        assert_error(api.get(path), 404, "not_found")
    response = api.client.put("/api/v1/test.order/1", data="{}", headers=api.headers)
    assert response.status_code == 405 and response.mimetype == "application/json"


# -- access and record rules -------------------------------------------------------------------------
def test_a_record_outside_the_rules_is_404(api, registry, ids):
    other = ids["other_doc"]
    assert_error(api.get(f"test.secure.doc/{other}"), 404, "not_found")
    assert_error(api.patch(f"test.secure.doc/{other}", {"name": "stolen"}), 404, "not_found")
    assert_error(api.delete(f"test.secure.doc/{other}"), 404, "not_found")
    assert_error(api.post(f"test.secure.doc/{other}/copy", {}), 404, "not_found")
    body = api.get("test.secure.doc").json
    assert [r["name"] for r in body["records"]] == ["Own doc"] and body["count"] == 1
    assert api.get("test.secure.doc", domain=json.dumps([["id", "=", other]])).json["records"] == []
    assert registry.run(lambda env: env["test.secure.doc"].browse(other).name, readonly=True) == "Other doc"
    # a line can not be hung on a document of another owner either
    response = api.post("test.secure.line", {"doc_id": other, "amount": "1"})
    assert response.status_code in (403, 404)


def test_fields_of_a_group_the_user_is_not_in(api, ids):
    record = api.get(f"test.secure.doc/{ids['own_doc']}").json
    assert "secret_note" not in record and record["amount"] == "10.10"
    assert api.get(f"test.secure.doc/{ids['own_doc']}", fields="secret_note").status_code == 403
    assert api.patch(f"test.secure.doc/{ids['own_doc']}", {"secret_note": "x"}).status_code == 403
    assert api.get("test.secure.doc", domain=json.dumps([["secret_note", "=", "hidden"]])).status_code == 403


def test_a_model_without_access_is_403(client, tokens, ids):
    plain = Api(client, tokens["api_plain"])
    assert_error(plain.get("test.secure.doc"), 403, "forbidden")
    assert_error(plain.post("test.secure.doc", {"name": "x", "owner_id": ids["api_plain"]}), 403, "forbidden")
    # reading is allowed to secure users, deleting only to managers
    api = Api(client, tokens["api_user"])
    assert_error(api.delete(f"test.secure.doc/{ids['own_doc']}"), 403, "forbidden")
    assert api.get(f"test.secure.doc/{ids['own_doc']}").status_code == 200


def test_a_hebrew_user_gets_plain_values(client, tokens, registry, ids):
    hebrew = Api(client, tokens["api_hebrew"])
    (rid,) = make_orders(registry, ids["haifa"], ["הזמנה " + unique("HE")], lines=[("מוצר", 2, "3.5")])
    record = hebrew.get(f"test.order/{rid}").json
    assert record["amount_total"] == "7.00" and record["name"].startswith("הזמנה ")
    assert record["state"] == "draft"  # keys, not translated labels
    text = hebrew.get(f"test.order/{rid}").get_data(as_text=True)
    assert "\u200e" not in text and "\u200f" not in text


# -- OpenAPI -------------------------------------------------------------------------------------------
def test_openapi_document(client):
    response = client.get("/api/v1/openapi.json")  # public: describes, holds no data
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    paths = document["paths"]
    for model in ("test.order", "test.order.line", "res.partner", "test.secure.doc"):
        assert f"/api/v1/{model}" in paths and f"/api/v1/{model}/{{id}}" in paths
        assert {"get", "post"} <= set(paths[f"/api/v1/{model}"])
        assert {"get", "patch", "delete"} <= set(paths[f"/api/v1/{model}/{{id}}"])
    for hidden in ("ir.session", "res.users.apikey", "res.users.login"):
        assert f"/api/v1/{hidden}" not in paths
    schema = document["components"]["schemas"]["test_order"]
    assert schema["properties"]["amount_total"] == {"type": "string", "format": "decimal", "title": "Total",
                                                    "readOnly": True}
    assert schema["properties"]["partner_id"]["properties"] == {"id": {"type": "integer"},
                                                                "name": {"type": "string"}}
    assert schema["properties"]["state"]["enum"] == ["draft", "confirmed", "done"]
    assert {"name", "partner_id"} <= set(schema["required"])
    # every reference resolves
    refs = {value for value in _walk(document) if isinstance(value, str) and value.startswith("#/")}
    for ref in refs:
        node = document
        for part in ref[2:].split("/"):
            node = node[part]


def _walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)

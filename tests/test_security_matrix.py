"""The permission matrix: every read path, for a document one may see and one one may not.

Each path is asked for one owner's document as Alice and as Bob (each sees his own: the
"allowed" cases), and for Bob's document as Alice (the "refused" case). A refused
document is either silently absent (searches, counts, groups) or refused with one error
type whose message names the operation and the model and nothing of the document.

Besides the addon's rules, this database has a global rule hiding lines over 100 (the
addon's owner rule on lines is archived, so a line of Bob's is visible to Alice while
his document is not) and a global rule hiding the tag named "Hidden tag": paths into
lines, tags and documents each meet their own rules. A list view shows the margin note.
The outsider, an internal user with no access row on documents nor lines, is refused on
every path (never silently given an empty answer).
"""
import csv
import io
import json
import re
from collections import namedtuple
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from werkzeug.test import Client

from db_backends import BACKENDS
from core.exceptions import AccessError
from core.web.app import KesherApp
from security_helpers import DOC, DOCS, LINE, PASSWORD, TAG, USERS, assert_clean_refusal, build_world
from web_helpers import Browser, module_database, text_of

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
REFUSED = "refused"
LIST_VIEW = ('<list><field name="name"/><field name="amount" sum="Total"/>'
             '<field name="secret_note"/></list>')


def _setup(env):
    world = build_world(env, passwords=USERS)
    env.ref("test_secure.rule_line_owner").write({"active": False})
    env["ir.rule"].create({"name": "Lines: small amounts only", "model": LINE, "domain": [["amount", "<", 100]]})
    env["ir.rule"].create({"name": "Tags: not the hidden one", "model": TAG, "domain": [["name", "!=", "Hidden tag"]]})
    env["ir.ui.view"].create({"name": "Secure documents", "model": DOC, "type": "list", "arch": LIST_VIEW})
    users = env["res.users"]
    world["tokens"] = {login: users.browse(uid).create_api_token("matrix") for login, uid in world["users"].items()}
    return world


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    for registry, world in module_database(request.param, tmp_path_factory, ["test_secure"], setup=_setup):
        yield SimpleNamespace(registry=registry, app=KesherApp(registry), browsers={}, **world)


def browser_of(site, login):
    """A browser logged in as ``login``, kept for the module (a password check is slow on purpose)."""
    if login not in site.browsers:
        browser = Browser(site.app, lang="en")
        browser.login(login, PASSWORD)
        site.browsers[login] = browser
    return site.browsers[login]


class Refused(Exception):
    """A path refused: an AccessError, or an HTTP 403/404 answer; ``text`` is all the user got."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text


Path = namedtuple("Path", "name model fetch allowed refused")


def doc_data(site, owner):
    return {**DOCS[owner], "id": site.docs[owner]}


# -- how each path is asked ---------------------------------------------------------------
def orm(function):
    """``function(env, doc)`` as the user, in a new transaction; an AccessError is a refusal."""
    def fetch(site, login, doc):
        with site.registry.env(user=site.users[login], readonly=True) as env:
            try:
                return function(env, doc)
            except AccessError as exc:
                raise Refused(str(exc)) from None
    return fetch


def api(url, read):
    """GET ``url(doc)`` on the JSON API with the user's bearer token; ``read(json body)``."""
    def fetch(site, login, doc):
        response = Client(site.app).get(url(doc), headers={"Authorization": f"Bearer {site.tokens[login]}"})
        return _answer(response, lambda body: read(json.loads(body)))
    return fetch


def web(request, read):
    """``request(browser, doc)`` in the web UI logged in as the user; ``read(body, doc)``."""
    def fetch(site, login, doc):
        return _answer(request(browser_of(site, login), doc), lambda body: read(body, doc))
    return fetch


def _answer(response, read):
    body = response.get_data(as_text=True)
    if response.status_code in (403, 404):
        raise Refused(body)
    assert response.status_code == 200, body
    return read(body)


def csv_names(body, doc=None):
    return [row[0] for row in list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1:]]


def listed_ids(body, doc=None):
    return sorted({int(i) for i in re.findall(rf'data-href="/web/m/{DOC}/(\d+)"', body)})


def line_amounts(lines):
    return sorted(int(amount) for amount in lines.mapped("amount"))


def visible_lines(doc):
    return [a for a in doc["lines"] if a < 100]


def visible_tags(doc):
    return [t for t in doc["tags"] if t != "Hidden tag"]


def by_name(doc):
    return [("name", "=", doc["name"])]


def search_url(path, **args):
    return f"{path}?{urlencode(args)}"


def doc_of(env, d):
    return env[DOC].browse(d["id"])


def group_rows(env, d, groupby):
    rows = env[DOC].read_group(by_name(d), groupby, ["__count", "amount:sum"])
    return [tuple(row[key] for key in groupby + ["amount:sum", "__count"]) for row in rows]


def selected_csv(d):
    return [("ids", str(d["id"])), ("action", "csv")]


def api_search_url(d):
    return search_url(f"/api/v1/{DOC}", domain=json.dumps([["name", "=", d["name"]]]), fields="name,amount")


def api_search_rows(body):
    return [(r["name"], r["amount"]) for r in body["records"]], body["count"]


def name_of(d):
    return [d["name"]]


def lines_where(env, path, value):
    return line_amounts(env[LINE].search([(path, "=", value)]))


def lines_read(env, d):
    return env[LINE].browse(doc_of(env, d).read(["line_ids"])[0]["line_ids"])


NAME_AMOUNT = ["name", "amount"]


PATHS = [
    # ORM: searches, counts and groups leave the document out; reads by id refuse
    Path("search", DOC, orm(lambda env, d: env[DOC].search(by_name(d)).mapped("name")), name_of, []),
    Path("search_count", DOC, orm(lambda env, d: env[DOC].search_count(by_name(d))), lambda d: 1, 0),
    Path("search_by_id", DOC, orm(lambda env, d: env[DOC].search([("id", "=", d["id"])]).ids), lambda d: [d["id"]], []),
    Path("read_by_id", DOC, orm(lambda env, d: [(r["name"], r["amount"]) for r in doc_of(env, d).read(NAME_AMOUNT)]),
         lambda d: [(d["name"], d["amount"])], REFUSED),
    Path("read_default_fields", DOC, orm(lambda env, d: doc_of(env, d).read()[0]["name"]),
         lambda d: d["name"], REFUSED),
    Path("browse_field", DOC, orm(lambda env, d: doc_of(env, d).amount), lambda d: d["amount"], REFUSED),
    Path("display_name", DOC, orm(lambda env, d: doc_of(env, d).display_name), lambda d: d["name"], REFUSED),
    Path("name_get", DOC, orm(lambda env, d: [n for _i, n in doc_of(env, d).name_get()]), name_of, REFUSED),
    Path("read_group", DOC, orm(lambda env, d: group_rows(env, d, ["name"])),
         lambda d: [(d["name"], d["amount"], 1)], []),
    Path("read_group_total", DOC, orm(lambda env, d: group_rows(env, d, [])),
         lambda d: [(d["amount"], 1)], [(None, 0)]),
    Path("name_search", DOC, orm(lambda env, d: [n for _i, n in env[DOC].name_search(d["name"])]), name_of, []),
    # domains that traverse from lines (visible) into documents (restricted)
    Path("dotted_path_domain", LINE, orm(lambda env, d: lines_where(env, "doc_id.name", d["name"])), visible_lines, []),
    Path("many2one_name_domain", LINE, orm(lambda env, d: lines_where(env, "doc_id", d["name"])), visible_lines, []),
    Path("dotted_id_domain", LINE, orm(lambda env, d: lines_where(env, "doc_id.id", d["id"])), visible_lines, []),
    # x2many listings: the lines and tags the user may see, of a document he may see
    Path("one2many_listing", DOC, orm(lambda env, d: line_amounts(doc_of(env, d).line_ids)), visible_lines, REFUSED),
    Path("one2many_read", DOC, orm(lambda env, d: line_amounts(lines_read(env, d))),
         visible_lines, REFUSED),
    Path("many2many_listing", DOC, orm(lambda env, d: sorted(doc_of(env, d).tag_ids.mapped("name"))),
         visible_tags, REFUSED),
    # JSON API: a refused record is a 404, as if it did not exist
    Path("api_search", DOC, api(api_search_url, api_search_rows),
         lambda d: ([(d["name"], str(d["amount"]))], 1), ([], 0)),
    Path("api_record", DOC, api(lambda d: f"/api/v1/{DOC}/{d['id']}", lambda body: body["name"]),
         lambda d: d["name"], REFUSED),
    Path("api_lines_of_record", DOC, api(lambda d: f"/api/v1/{DOC}/{d['id']}?fields=line_ids",
                                         lambda body: len(body["line_ids"])),
         lambda d: len(visible_lines(d)), REFUSED),
    # web UI: exports (of a search, of selected rows), list, form, autocomplete
    Path("export_search", DOC, web(lambda b, d: b.get(search_url(f"/web/m/{DOC}/export.csv", q=d["name"])), csv_names),
         name_of, []),
    Path("export_selected", DOC, web(lambda b, d: b.post(f"/web/m/{DOC}/bulk", selected_csv(d)), csv_names),
         name_of, REFUSED),
    Path("web_list", DOC, web(lambda b, d: b.get(search_url(f"/web/m/{DOC}", q=d["name"])), listed_ids),
         lambda d: [d["id"]], []),
    Path("web_form", DOC, web(lambda b, d: b.get(f"/web/m/{DOC}/{d['id']}"), lambda body, d: d["name"] in body),
         lambda d: True, REFUSED),
    Path("web_name_search", DOC, web(lambda b, d: b.get(search_url(f"/web/name_search/{DOC}", q=d["name"])),
                                     lambda body, d: [r["name"] for r in json.loads(body)]),
         name_of, []),
]

ORM_PATHS = {p.name for p in PATHS if p.fetch.__qualname__.startswith("orm")}


@pytest.mark.parametrize("login", ["alice", "bob"])
@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_own_document_is_readable(site, path, login):
    doc = doc_data(site, login)
    assert path.fetch(site, login, doc) == path.allowed(doc)


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_other_document_is_hidden_or_refused(site, path):
    doc = doc_data(site, "bob")
    if path.refused != REFUSED:
        assert path.fetch(site, "alice", doc) == path.refused
        return
    with pytest.raises(Refused) as refusal:
        path.fetch(site, "alice", doc)
    text = refusal.value.text
    if path.name in ORM_PATHS:
        assert_clean_refusal(text, "read", path.model)
    assert doc["name"] not in text and doc["secret"] not in text, text


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_user_without_model_access_is_refused(site, path):
    """The outsider has no access row on documents nor lines: every path refuses."""
    doc = doc_data(site, "alice")
    with pytest.raises(Refused) as refusal:
        path.fetch(site, "outsider", doc)
    text = refusal.value.text
    if path.name in ORM_PATHS:
        assert_clean_refusal(text, "read", path.model)
        assert "You are not allowed to read" in text
    assert doc["name"] not in text and doc["secret"] not in text, text


# -- totals, paths into restricted lines ------------------------------------------------
def test_totals_and_groups_count_only_visible_documents(site):
    with site.registry.env(user=site.users["alice"], readonly=True) as env:
        total = env[DOC].read_group([], [], ["__count", "amount:sum"])
        assert total == [{"__count": 1, "amount:sum": DOCS["alice"]["amount"]}]
        groups = env[DOC].read_group([], ["owner_id"], ["__count", "amount:sum"])
        assert [(g["owner_id"]["name"], g["amount:sum"]) for g in groups] == [("Alice", DOCS["alice"]["amount"])]
        assert env[LINE].read_group([], [], ["amount:sum"]) == [{"amount:sum": 3 + 4 + 5}]  # 500 is hidden
    with site.registry.env(readonly=True) as env:
        assert env[DOC].read_group([], [], ["amount:sum"]) == [{"amount:sum": sum(d["amount"] for d in DOCS.values())}]


def test_web_list_total_counts_only_visible_documents(site):
    page = browser_of(site, "alice").get(f"/web/m/{DOC}").get_data(as_text=True)
    assert listed_ids(page) == [site.docs["alice"]]
    assert "1–1 of 1" in text_of(page) and "of 3" not in text_of(page)
    assert "70.00" not in page and "20.00" not in page and "10.00" in page


def test_domain_through_lines_meets_the_line_rules(site):
    """Alice's document has a line of 500, hidden from her: a domain cannot find it either."""
    with site.registry.env(user=site.users["alice"], readonly=True) as env:
        assert env[DOC].search([("line_ids.amount", "=", 500)]).ids == []
        assert env[DOC].search([("line_ids.amount", "=", 3)]).ids == [site.docs["alice"]]
        assert env[DOC].search_count([("tag_ids.name", "=", "Hidden tag")]) == 0
        assert env[DOC].search_count([("tag_ids", "=", "Shared tag")]) == 1
    with site.registry.env(readonly=True) as env:
        assert env[DOC].search([("line_ids.amount", "=", 500)]).ids == [site.docs["alice"]]


# -- field groups in the API, exports and views ------------------------------------------
def api_client(site, login):
    client = Client(site.app)
    headers = {"Authorization": f"Bearer {site.tokens[login]}", "Content-Type": "application/json"}
    return lambda method, url, body=None: getattr(client, method)(
        url, headers=headers, data=None if body is None else json.dumps(body))


def test_api_hides_restricted_field(site):
    alice, manager = api_client(site, "alice"), api_client(site, "manager")
    own = f"/api/v1/{DOC}/{site.docs['alice']}"
    body = alice("get", own).get_json()
    assert body["name"] == DOCS["alice"]["name"] and "secret_note" not in body
    body = manager("get", f"/api/v1/{DOC}/{site.docs['manager']}").get_json()
    assert body["secret_note"] == DOCS["manager"]["secret"]
    for url in (own + "?fields=name,secret_note",
                search_url(f"/api/v1/{DOC}", fields="secret_note"),
                search_url(f"/api/v1/{DOC}", domain=json.dumps([["secret_note", "ilike", "margin"]])),
                search_url(f"/api/v1/{DOC}", order="secret_note")):
        response = alice("get", url)
        assert response.status_code == 403, (url, response.get_data(as_text=True))
        message = response.get_json()["error"]["message"]
        assert "secret_note" in message and DOCS["alice"]["secret"] not in message


def test_api_refuses_writing_restricted_field(site):
    alice = api_client(site, "alice")
    response = alice("patch", f"/api/v1/{DOC}/{site.docs['alice']}", {"secret_note": "overwritten"})
    assert response.status_code == 403 and "secret_note" in response.get_json()["error"]["message"]
    response = alice("post", f"/api/v1/{DOC}", {"name": "Sneaky", "owner_id": site.users["alice"], "secret_note": "x"})
    assert response.status_code == 403
    with site.registry.env(readonly=True) as env:
        assert env[DOC].browse(site.docs["alice"]).secret_note == DOCS["alice"]["secret"]
        assert not env[DOC].search([("name", "=", "Sneaky")])


def test_api_writes_follow_the_rules(site):
    alice = api_client(site, "alice")
    other = f"/api/v1/{DOC}/{site.docs['bob']}"
    assert alice("patch", other, {"name": "Taken over"}).status_code == 404
    assert alice("delete", other).status_code == 404
    response = alice("patch", f"/api/v1/{DOC}/{site.docs['alice']}", {"owner_id": site.users["bob"]})
    assert response.status_code == 403, response.get_data(as_text=True)
    assert_clean_refusal(response.get_json()["error"]["message"], "change")
    response = alice("post", f"/api/v1/{DOC}", {"name": "For Bob", "owner_id": site.users["bob"]})
    assert response.status_code == 403
    assert_clean_refusal(response.get_json()["error"]["message"], "create")
    with site.registry.env(readonly=True) as env:
        assert env[DOC].browse(site.docs["bob"]).name == DOCS["bob"]["name"]
        assert env[DOC].browse(site.docs["alice"]).owner_id.id == site.users["alice"]
        assert not env[DOC].search([("name", "=", "For Bob")])


def test_export_columns_follow_field_groups(site):
    exports = {}
    for login in ("alice", "manager"):
        response = browser_of(site, login).get(f"/web/m/{DOC}/export.csv")
        assert response.status_code == 200
        exports[login] = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert exports["alice"] == [["Name", "Amount"], [DOCS["alice"]["name"], "10.00"]]
    assert exports["manager"][0] == ["Name", "Amount", "Margin note"]
    assert exports["manager"][1:] == [[DOCS["manager"]["name"], "40.00", DOCS["manager"]["secret"]]]


def test_views_hide_restricted_field(site):
    for login, visible in (("alice", False), ("manager", True)):
        with site.registry.env(user=site.users[login], readonly=True) as env:
            for view_type in ("form", "list"):
                arch = env["ir.ui.view"].get_view(DOC, view_type)
                assert bool(arch.xpath("//field[@name='secret_note']")) is visible, (login, view_type)
        browser = browser_of(site, login)
        for url in (f"/web/m/{DOC}/{site.docs[login]}", f"/web/m/{DOC}", f"/web/m/{DOC}/new"):
            page = browser.get(url).get_data(as_text=True)
            assert ("Margin note" in page) is visible, (login, url)
            assert (DOCS[login]["secret"] in page) is (visible and "/new" not in url and url != f"/web/m/{DOC}/new")


def test_web_refuses_sorting_and_grouping_by_restricted_field(site):
    browser = browser_of(site, "alice")
    for args in ({"o": "secret_note"}, {"g": "secret_note"}):
        response = browser.get(search_url(f"/web/m/{DOC}", **args))
        assert response.status_code == 403, args
        assert DOCS["alice"]["secret"] not in response.get_data(as_text=True)


def test_web_form_refuses_posting_restricted_field(site):
    browser = browser_of(site, "alice")
    url = f"/web/m/{DOC}/{site.docs['alice']}"
    browser.get(url)
    values = [(k, v) for k, v in browser.form_values(url) if k != "secret_note"] + [("secret_note", "typed in")]
    response = browser.post(url, values)
    assert response.status_code in (400, 403), response.status_code
    assert "secret_note" in response.get_data(as_text=True) or "Margin note" in response.get_data(as_text=True)
    with site.registry.env(readonly=True) as env:
        assert env[DOC].browse(site.docs["alice"]).secret_note == DOCS["alice"]["secret"]

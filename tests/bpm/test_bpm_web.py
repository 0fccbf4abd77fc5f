"""The flow in the web UI: status bar and buttons (CSRF, comment prompt, refusals), history, diagram
(SVG, Hebrew, RTL), every way of writing the status (form post, JSON API, kanban drag and drop),
access, the board, "My documents" and its menu, and the flow's own form for administrators."""
import json

import lxml.html

from bpm_helpers import ADDON, DOC
from web_helpers import Browser, assert_no_traceback, fast_hash, make_user, site_fixtures, text_of, unique


def _setup(env):
    env.ref("base.user_admin").write({"lang": "en", "password_hash": fast_hash("admin-pass-1")})
    ids = {"clerk": make_user(env, "clerk"), "rivka": make_user(env, "rivka", lang="he"),
           "outsider": make_user(env, "outsider"),
           "approver": make_user(env, "approver", groups=(f"{ADDON}.group_approver",)),
           "partner": env["res.partner"].create({"name": "Haifa Trading", "email": "haifa@example.com"}).id}
    ids["clerk_token"] = env["res.users"].browse(ids["clerk"]).sudo().create_api_token("bpm tests")
    return ids


site, registry, ids, app = site_fixtures([ADDON], setup=_setup)


def browser(app, login, lang="en"):
    client = Browser(app, lang=lang)
    client.login(login, *(["admin-pass-1"] if login == "admin" else []))
    return client


def new_doc(registry, ids, owner, **values):
    def work(env):
        vals = {"name": unique("DOC"), "partner_id": ids["partner"], "reference": "R-1", "amount": 50,
                "owner_id": ids[owner]}
        vals.update(values)
        return env[DOC].create(vals).id
    return registry.run(work)


def status_of(registry, rid):
    return registry.run(lambda env: env[DOC].browse(rid).status_code, readonly=True)


def buttons(html):
    page = lxml.html.fromstring(html)
    return [b.text_content().strip() for b in page.xpath("//div[@class='bpm-transitions']/form/button | "
                                                          "//div[@class='bpm-transitions']/details/summary")]


def transition_id(registry, code):
    return registry.run(lambda env: env.ref(f"{ADDON}.doc_flow_{code}").id, readonly=True)


def test_form_shows_status_bar_buttons_history_and_diagram(app, registry, ids):
    rid = new_doc(registry, ids, "clerk")
    clerk = browser(app, "clerk")
    html = clerk.get(f"/web/m/{DOC}/{rid}").get_data(as_text=True)
    page = lxml.html.fromstring(html)
    assert [li.text_content() for li in page.xpath("//ol[contains(@class,'bpm-statusbar')]/li")] == [
        "Draft", "Submitted", "Approved"]  # folded closed statuses are not listed unless current
    assert page.xpath("//ol[contains(@class,'bpm-statusbar')]/li[@aria-current='step']")[0].text_content() == "Draft"
    assert buttons(html) == ["Submit", "Cancel"]
    assert "Created" in text_of(html) and page.xpath("//svg[@class='bpm-diagram']")
    nodes = page.xpath("//svg//g[contains(@class,'bpm-node')]")
    assert {n.get("data-code") for n in nodes} == {"draft", "submitted", "approved", "done", "cancelled"}
    assert page.xpath("//svg//g[@data-code='draft']")[0].get("aria-current") == "step"
    assert "Send back" in [t.text_content() for t in page.xpath("//svg//g[@class='bpm-edge']/text")]
    assert_no_traceback(html)


def test_buttons_move_the_document_and_refusals_show_on_the_form(app, registry, ids):
    rid = new_doc(registry, ids, "clerk", amount=0)
    clerk = browser(app, "clerk")
    clerk.get(f"/web/m/{DOC}/{rid}")
    url = f"/web/bpm/move/{DOC}/{rid}"
    response = clerk.post(url, {"transition": transition_id(registry, "draft_submitted")})
    assert response.status_code == 303 and status_of(registry, rid) == "submitted"
    html = clerk.get(f"/web/m/{DOC}/{rid}").get_data(as_text=True)
    assert buttons(html) == ["Send back", "Cancel"]  # Approve is for approvers
    response = clerk.post(url, {"transition": transition_id(registry, "submitted_approved")})
    assert response.status_code == 422 and status_of(registry, rid) == "submitted"
    alert = lxml.html.fromstring(response.get_data(as_text=True)).xpath("//p[@role='alert']")[0].text_content()
    assert alert == f"Cannot move {registry.run(lambda env: env[DOC].browse(rid).name)} to 'Approved': " \
                    f"the transition 'Approve' is for Approver only."
    # the comment prompt: a required textarea; posting without a comment is refused
    page = lxml.html.fromstring(clerk.get(f"/web/m/{DOC}/{rid}").get_data(as_text=True))
    assert page.xpath("//details[@class='bpm-comment']//textarea[@name='comment' and @required]")
    back = transition_id(registry, "submitted_draft")
    response = clerk.post(url, {"transition": back})
    assert response.status_code == 422 and "a comment is required" in text_of(response.get_data(as_text=True))
    assert clerk.post(url, {"transition": back, "comment": "wrong amount"}).status_code == 303
    assert status_of(registry, rid) == "draft"
    html = clerk.get(f"/web/m/{DOC}/{rid}").get_data(as_text=True)
    assert "wrong amount" in text_of(html)


def test_stale_button_and_bad_posts(app, registry, ids):
    rid = new_doc(registry, ids, "clerk")
    clerk = browser(app, "clerk")
    url = f"/web/bpm/move/{DOC}/{rid}"
    submit = transition_id(registry, "draft_submitted")
    assert clerk.post(url, {"transition": submit}, csrf="forged").status_code == 403
    assert clerk.post(url, {"transition": "x"}).status_code == 400
    assert clerk.post(f"/web/bpm/move/res.partner/{ids['partner']}", {"transition": submit}).status_code == 404
    assert status_of(registry, rid) == "draft"
    assert clerk.post(url, {"transition": submit}).status_code == 303
    response = clerk.post(url, {"transition": submit})  # a second click from an old page
    assert response.status_code == 422 and "no longer in the status 'Draft'" in text_of(response.get_data(as_text=True))


def test_every_way_of_writing_the_status_goes_through_the_rules(app, registry, ids):
    rid = new_doc(registry, ids, "clerk")
    statuses = registry.run(lambda env: {s.code: s.id for s in env["bpm.status"].search([])}, readonly=True)
    clerk = browser(app, "clerk")
    # kanban drag and drop writes status_id: an allowed move passes, a forbidden one is refused
    response = clerk.post(f"/web/m/{DOC}/kanban_move", {"id": rid, "field": "status_id", "value": statuses["done"]})
    assert response.status_code == 400 and "no transition from 'Draft'" in text_of(response.get_data(as_text=True))
    response = clerk.post(f"/web/m/{DOC}/kanban_move", {"id": rid, "field": "status_id",
                                                        "value": statuses["submitted"]})
    assert response.status_code == 200 and status_of(registry, rid) == "submitted"
    # the JSON API: the group rule applies
    api = {"Authorization": f"Bearer {ids['clerk_token']}", "Content-Type": "application/json"}
    response = clerk.client.patch(f"/api/v1/{DOC}/{rid}", data=json.dumps({"status_id": statuses["approved"]}),
                                  headers=api)
    assert response.status_code == 400 and "is for Approver only" in response.json["error"]["message"]
    assert status_of(registry, rid) == "submitted"
    # a form post: the same rules, the error shown on the form
    clerk.get(f"/web/m/{DOC}/{rid}")
    values = [(k, v) for k, v in clerk.form_values(f"/{rid}", containing="name") if k != "status_id"]
    response = clerk.post(f"/web/m/{DOC}/{rid}", values + [("status_id", str(statuses["done"]))], csrf=False)
    assert response.status_code == 400 and status_of(registry, rid) == "submitted"
    response = clerk.post(f"/web/m/{DOC}/{rid}", values + [("status_id", str(statuses["submitted"]))], csrf=False)
    assert response.status_code == 303  # saving the form with the same status is fine
    history = registry.run(lambda env: env[DOC].browse(rid).bpm_history().mapped("to_name"))
    assert history == ["Submitted", "Draft"]


def test_a_user_who_may_not_read_the_document_cannot_move_it(app, registry, ids):
    rid = new_doc(registry, ids, "clerk", confidential=True)
    outsider = browser(app, "outsider")
    submit = transition_id(registry, "draft_submitted")
    assert outsider.get(f"/web/m/{DOC}/{rid}").status_code in (403, 404)
    assert outsider.post(f"/web/bpm/move/{DOC}/{rid}", {"transition": submit}).status_code == 403
    statuses = registry.run(lambda env: {s.code: s.id for s in env["bpm.status"].search([])}, readonly=True)
    assert outsider.post(f"/web/m/{DOC}/kanban_move", {"id": rid, "field": "status_id",
                                                       "value": statuses["submitted"]}).status_code == 403
    assert outsider.get(f"/web/bpm/diagram/{DOC}/{rid}.svg").status_code == 403
    assert status_of(registry, rid) == "draft"


def test_hebrew_form_diagram_and_refusal(app, registry, ids):
    rid = new_doc(registry, ids, "rivka")
    rivka = browser(app, "rivka", lang="he")
    html = rivka.get(f"/web/m/{DOC}/{rid}").get_data(as_text=True)
    page = lxml.html.fromstring(html)
    assert page.get("dir") == "rtl"
    svg = page.xpath("//svg[@class='bpm-diagram']")[0]
    assert svg.get("direction") == "rtl"
    assert "היסטוריה" in text_of(html) and "תרשים הסטטוסים" in text_of(html)
    assert buttons(html) == ["הגש", "ביטול"]
    assert [li.text_content() for li in page.xpath("//ol[contains(@class,'bpm-statusbar')]/li")] == [
        "טיוטה", "הוגש", "אושר"]
    assert {t.text_content() for t in svg.xpath(".//g[@class='bpm-edge']/text")} >= {"הגש", "אשר", "החזר לטיוטה"}
    status_input = page.xpath("//span[@class='m2o' and input[@name='status_id']]/input[@class='m2o-text']")[0]
    assert status_input.get("value") == "טיוטה"  # the status's name in the reader's language
    draft, submitted = (page.xpath(f"//svg//g[@data-code='{c}']/rect")[0] for c in ("draft", "submitted"))
    assert float(draft.get("x")) > float(submitted.get("x"))  # right to left
    svg_file = rivka.get(f"/web/bpm/diagram/{DOC}/{rid}.svg")
    assert svg_file.status_code == 200 and svg_file.mimetype == "image/svg+xml"
    assert svg_file.get_data(as_text=True).startswith("<svg")
    incomplete = new_doc(registry, ids, "rivka", reference="")
    rivka.get(f"/web/m/{DOC}/{incomplete}")
    response = rivka.post(f"/web/bpm/move/{DOC}/{incomplete}", {"transition": transition_id(registry, "draft_submitted")})
    alert = lxml.html.fromstring(response.get_data(as_text=True)).xpath("//p[@role='alert']")[0].text_content()
    assert response.status_code == 422
    assert alert.endswith("לסטטוס 'הוגש': יש למלא קודם את 'מספר פנימי'.") and alert.startswith("לא ניתן להעביר את")


def test_board_groups_by_status_of_the_flow(app, registry, ids):
    rid = new_doc(registry, ids, "clerk")
    html = browser(app, "clerk").get(f"/web/bpm/board/{DOC}").get_data(as_text=True)
    page = lxml.html.fromstring(html)
    board = page.xpath("//div[contains(@class,'bpm-board')]")[0]
    assert board.get("data-field") == "status_id"
    columns = [c.get("data-code") for c in board.xpath("./section")]
    assert columns == ["draft", "submitted", "approved", "done", "cancelled"]
    assert board.xpath(f"./section[@data-code='draft']/article[@data-id='{rid}']")


def test_the_generic_kanban_shows_the_statuses_of_the_flow_only(app, registry, ids):
    """The core board grouped by status_id has the model's statuses as columns, in flow
    order — not every status of every flow (``_group_expand_status_id``)."""
    rid = new_doc(registry, ids, "clerk")
    html = browser(app, "clerk").get(f"/web/m/{DOC}?view=kanban").get_data(as_text=True)
    columns = lxml.html.fromstring(html).xpath("//section[contains(@class, 'kanban-column')]")
    statuses = registry.run(lambda env: {s.id: s.code for s in env["bpm.status"].search([])}, readonly=True)
    assert [statuses[int(c.get("data-value"))] for c in columns] == ["draft", "submitted", "approved", "done",
                                                                      "cancelled"]
    assert columns[0].xpath(f".//*[@data-id='{rid}']")


def test_my_documents_lists_open_documents_owned_by_me_with_its_menu(app, registry, ids):
    mine, closed = new_doc(registry, ids, "approver"), new_doc(registry, ids, "approver")
    other = new_doc(registry, ids, "clerk")
    registry.run(lambda env: env[DOC].browse(closed).move_to("cancelled"))
    approver = browser(app, "approver")
    home = approver.get("/web").get_data(as_text=True)
    link = lxml.html.fromstring(home).xpath("//a[normalize-space()='My documents']")[0].get("href")
    response = approver.get(link)
    assert response.status_code == 303 and response.location.endswith("/web/bpm/my")  # the action's page
    html = approver.get(response.location).get_data(as_text=True)
    page = lxml.html.fromstring(html)
    shown = {int(a.get("href").rsplit("/", 1)[1]) for a in page.xpath("//section[@data-model='test.bpm.doc']//a")}
    assert mine in shown and closed not in shown and other not in shown
    assert "Test document" in text_of(html)
    hebrew = browser(app, "rivka", lang="he").get("/web/bpm/my").get_data(as_text=True)
    assert "המסמכים שלי" in text_of(hebrew)


def test_flow_form_for_administrators(app, registry, ids):
    admin = browser(app, "admin")
    flow = registry.run(lambda env: env.ref(f"{ADDON}.doc_flow").id, readonly=True)
    html = admin.get(f"/web/m/bpm.flow/{flow}").get_data(as_text=True)
    page = lxml.html.fromstring(html)
    assert page.xpath("//svg[@class='bpm-diagram']") and "Statuses" in text_of(html)
    assert browser(app, "clerk").get(f"/web/m/bpm.flow/{flow}").status_code == 200  # read only for users


def test_an_administrator_changes_a_transition_in_the_ui_and_documents_in_flight_follow(app, registry, ids):
    rid = new_doc(registry, ids, "clerk")
    clerk = browser(app, "clerk")
    assert "Cancel" in buttons(clerk.get(f"/web/m/{DOC}/{rid}").get_data(as_text=True))
    cancel = transition_id(registry, "draft_cancelled")
    admin = browser(app, "admin")
    admin.get(f"/web/m/bpm.transition/{cancel}")
    approvers = registry.run(lambda env: env.ref(f"{ADDON}.group_approver").id, readonly=True)
    values = [(k, v) for k, v in admin.form_values(f"/{cancel}", containing="name") if k != "group_ids"]
    values = [(k, "Cancel (approvers)" if k == "name" else v) for k, v in values]
    response = admin.post(f"/web/m/bpm.transition/{cancel}", values + [("group_ids", str(approvers))], csrf=False)
    assert response.status_code == 303
    assert "Cancel" not in buttons(clerk.get(f"/web/m/{DOC}/{rid}").get_data(as_text=True))
    admin_buttons = buttons(admin.get(f"/web/m/{DOC}/{rid}").get_data(as_text=True))
    assert admin_buttons == ["Submit", "Cancel (approvers)"]
    # a broken flow cannot be saved from its form: the error names the flow
    flow = registry.run(lambda env: env.ref(f"{ADDON}.doc_flow").id, readonly=True)
    admin.get(f"/web/m/bpm.flow/{flow}")
    values = admin.form_values(f"/{flow}", containing="name")
    response = admin.post(f"/web/m/bpm.flow/{flow}", values + [("status_ids-new1-code", "orphan"),
                                                               ("status_ids-new1-name", "Orphan")], csrf=False)
    assert response.status_code == 422
    assert "no transition leads to the status(es) orphan" in text_of(response.get_data(as_text=True))
    assert registry.run(lambda env: env["bpm.status"].search_count([("code", "=", "orphan")]), readonly=True) == 0

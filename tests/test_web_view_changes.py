"""Pages follow changes to views, menus and groups, each test on a database of its own.

Views and menus are cached across requests, and every worker sees a change at once: two
registries on one database stand for two worker processes; one serves the pages, the
other changes a view, a menu or a user's groups; the next page of the first shows it.
"""
import lxml.html
import pytest

from core.addons.manager import load_registry
from core.web.app import KesherApp
from web_helpers import Browser, make_user


@pytest.fixture
def workers(make_registry, config):
    serving = make_registry(["test_web_orders"])
    serving.run(lambda env: make_user(env, "clerk"))
    other = load_registry(config)
    yield KesherApp(serving), other
    other.dispose()


def list_headers(browser):
    page = lxml.html.fromstring(browser.get("/web/m/test.order").get_data(as_text=True))
    return [th.text_content().strip() for th in page.xpath("//table[contains(@class, 'list')]/thead//th")][1:]


def menu_labels(browser):
    page = lxml.html.fromstring(browser.get("/web").get_data(as_text=True))
    return {a.text_content().strip() for a in page.xpath("//nav//a")}


def test_a_view_changed_by_another_worker_shows_at_the_next_request(workers):
    app, other = workers
    browser = Browser(app)
    browser.login("clerk")
    assert "Customer" in list_headers(browser) and "Note" not in list_headers(browser)

    def add_column(env):
        view = env.ref("test_web_orders.order_view_list")
        view.write({"arch": view.arch.replace('<field name="date"/>', '<field name="date"/><field name="note"/>')})
    other.run(add_column)
    assert "Note" in list_headers(browser)


def test_a_failed_change_leaves_the_cache_of_the_others_alone(workers):
    """A transaction that changed a view and rolled back bumps nothing: pages stay as they were."""
    app, other = workers
    browser = Browser(app)
    browser.login("clerk")
    before = list_headers(browser)
    env = other.env()
    view = env.ref("test_web_orders.order_view_list")
    view.write({"arch": view.arch.replace('<field name="date"/>', "")})
    assert "Date" not in [node.get("name") for node in env["ir.ui.view"].get_view("test.order", "list").iter("field")]
    env.rollback()
    env.close()
    assert list_headers(browser) == before


def test_menus_follow_menu_and_group_changes(workers):
    app, other = workers
    browser = Browser(app)
    browser.login("clerk")
    assert "Draft orders" in menu_labels(browser)
    other.run(lambda env: env.ref("test_web_orders.menu_draft_orders").write({"name": "Drafts"}))
    labels = menu_labels(browser)
    assert "Drafts" in labels and "Draft orders" not in labels

    def leave_groups(env):
        env["res.users"].search([("login", "=", "clerk")]).write({"group_ids": [("set", [])]})
    other.run(leave_groups)
    assert "Drafts" not in menu_labels(browser)


def test_a_line_column_readonly_in_the_view_is_shown_not_posted(make_registry):
    """``readonly="1"`` on a column of an editable line list: the value is shown as text,
    no input is posted for it, and saving the form as the browser posts it works."""
    registry = make_registry(["test_web_orders"])

    def setup(env):
        make_user(env, "clerk")
        partner = env["res.partner"].create({"name": "Haifa Trading"})
        order = env["test.order"].create({"name": "RO-1", "partner_id": partner.id,
                                          "line_ids": [("create", {"product": "a", "quantity": 2, "price_unit": 7})]})
        env["ir.ui.view"].create({"name": "price read-only", "model": "test.order", "type": "form",
                                  "inherit_id": env.ref("test_web_orders.order_view_form").id,
                                  "arch": '<data><xpath expr="//field[@name=\'line_ids\']/list/field[@name=\'price_unit\']" '
                                          'position="attributes"><attribute name="readonly">1</attribute></xpath></data>'})
        return order.id
    rid = registry.run(setup)
    browser = Browser(KesherApp(registry))
    browser.login("clerk")
    page = browser.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    values = dict(browser.form_values(f"/web/m/test.order/{rid}", page))
    assert not [key for key in values if key.endswith("-price_unit")]
    assert any(key.endswith("-quantity") for key in values)
    line_key = next(key for key in values if key.endswith("-quantity") and "__new__" not in key)
    values[line_key] = "3"
    assert browser.post(f"/web/m/test.order/{rid}", values, csrf=False).status_code == 303
    assert registry.run(lambda env: [(l.quantity, l.price_unit) for l in env["test.order"].browse(rid).line_ids],
                        readonly=True) == [(3, 7)]


def test_elements_of_a_group_are_shown_to_its_members_only(make_registry):
    """``groups=`` on a form element: the web form (whose views are read as the system) is
    cut for the user — a clerk sees no input for it and may not post it; an administrator does."""
    registry = make_registry(["test_web_orders"])

    def setup(env):
        from werkzeug.security import generate_password_hash
        make_user(env, "clerk")
        env.ref("base.user_admin").write({"password_hash": generate_password_hash("admin-pass-1", method="pbkdf2:sha256:1000")})
        partner = env["res.partner"].create({"name": "Haifa Trading"})
        env["ir.ui.view"].create({"name": "note for admins", "model": "test.order", "type": "form",
                                  "inherit_id": env.ref("test_web_orders.order_view_form").id,
                                  "arch": '<data><xpath expr="//field[@name=\'note\']" position="attributes">'
                                          '<attribute name="groups">base.group_system</attribute></xpath></data>'})
        return env["test.order"].create({"name": "GR-1", "partner_id": partner.id}).id
    rid = registry.run(setup)
    app = KesherApp(registry)
    clerk, admin = Browser(app), Browser(app)
    clerk.login("clerk")
    admin.login("admin", "admin-pass-1")
    url = f"/web/m/test.order/{rid}"
    assert "note" not in dict(clerk.form_values(url, clerk.get(url).get_data(as_text=True)))
    assert "note" in dict(admin.form_values(url, admin.get(url).get_data(as_text=True)))
    values = dict(clerk.form_values(url, clerk.get(url).get_data(as_text=True)), note="sneaked in")
    assert clerk.post(url, values, csrf=False).status_code == 400
    assert registry.run(lambda env: env["test.order"].browse(rid).note, readonly=True) is None

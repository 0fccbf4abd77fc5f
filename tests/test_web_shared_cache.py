"""Views and menus are cached across requests, and every worker sees a change at once.

Two registries on one database stand for two worker processes: one serves the pages,
the other changes a view, a menu or a user's groups; the next page of the first shows it.
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

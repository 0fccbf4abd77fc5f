"""Web UI screens through the WSGI app: home menus, list (sort, pages, search, filters,
group-by, action domain), kanban and drag-and-drop, calendar, pivot, graph, forms (create,
edit, lines, discard, delete, duplicate, buttons, autocomplete, onchange, errors, conflicts,
refused fields, access), export, import and attachments."""
import csv
import datetime as dt
import io
from decimal import Decimal

import lxml.html
import pytest
from openpyxl import load_workbook

from web_helpers import Browser, assert_no_traceback, fast_hash, make_user, site_fixtures, text_of, unique

BIDI_MARKS = ("\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069")


def _setup(env):
    env.ref("base.user_admin").write({"lang": "en", "password_hash": fast_hash("admin-pass-1")})
    ids = {
        "clerk": make_user(env, "clerk"),
        "nobody": make_user(env, "nobody", groups=()),
        "sec_user": make_user(env, "sec_user", groups=("test_secure.group_secure_user",)),
        "sec_other": make_user(env, "sec_other", groups=("test_secure.group_secure_user",)),
    }
    partners = env["res.partner"]
    ids["haifa"] = partners.create({"name": "Haifa Trading", "city": "Haifa", "customer": True}).id
    ids["eilat"] = partners.create({"name": "Eilat Supplies", "city": "Eilat", "customer": True}).id
    ids["hebrew"] = partners.create({"name": "חברת הדגמה בע\"מ", "city": "תל אביב", "customer": True}).id
    docs = env["test.secure.doc"]
    ids["own_doc"] = docs.create({"name": "Own doc", "owner_id": ids["sec_user"], "amount": "10"}).id
    ids["other_doc"] = docs.create({"name": "Other doc", "owner_id": ids["sec_other"], "amount": "20"}).id
    ids["action_orders"] = env.ref("test_web_orders.action_orders").id
    ids["action_draft"] = env.ref("test_web_orders.action_draft_orders").id
    return ids


site, registry, ids, app = site_fixtures(["test_web_orders", "test_secure"], demo=True, setup=_setup)


def browser_for(app, login, password=None):
    browser = Browser(app)
    if password:
        browser.login(login, password)
    else:
        browser.login(login)
    return browser


@pytest.fixture
def clerk(app):
    return browser_for(app, "clerk")


@pytest.fixture
def admin(app):
    return browser_for(app, "admin", "admin-pass-1")


def make_orders(registry, specs):
    """Create orders from dicts (lines as [(product, quantity, price)]); returns their ids."""
    def work(env):
        result = []
        for spec in specs:
            spec = dict(spec)
            lines = spec.pop("lines", [])
            spec["line_ids"] = [("create", {"product": p, "quantity": q, "price_unit": u}) for p, q, u in lines]
            result.append(env["test.order"].create(spec).id)
        return result
    return registry.run(work)


def read(registry, model, rid, *names):
    def work(env):
        record = env[model].browse(rid).exists()
        if not record:
            return None
        return {name: (record[name].id if hasattr(record[name], "_ids") and record._fields[name].type == "many2one"
                       else record[name]) for name in names}
    return registry.run(work, readonly=True)


def order_lines(registry, rid):
    return registry.run(lambda env: sorted((l.product, l.quantity, l.price_unit)
                                           for l in env["test.order"].browse(rid).line_ids), readonly=True)


def doc(html):
    return lxml.html.fromstring(html)


def list_rows(html):
    """The text of the first cell (the record name) of each row of a list page."""
    return [tr.xpath("td")[1].text_content().strip()
            for tr in doc(html).xpath("//table[contains(@class, 'list')]/tbody/tr[@data-href]")]


def grouped_rows(html):
    return [[td.text_content().strip() for td in tr.xpath("td")]
            for tr in doc(html).xpath("//table[contains(@class, 'grouped')]/tbody/tr")]


def amount_text(value):
    """A money amount as shown in English: ₪1,234.50 (direction marks aside)."""
    return f"₪{Decimal(value):,.2f}"


def visible(html):
    text = text_of(html)
    for mark in BIDI_MARKS:
        text = text.replace(mark, "")
    return text


# -- home and menus ---------------------------------------------------------------------
def test_home_shows_only_the_menus_the_user_may_open(app, admin, clerk, ids):
    page = admin.get("/web").get_data(as_text=True)
    assert f'href="/web/action/{ids["action_orders"]}"' in page
    assert "Settings" in visible(page) and "Users" in visible(page)
    page = clerk.get("/web").get_data(as_text=True)
    home = doc(page).xpath("//main")[0].text_content()
    assert "All orders" in home and "Customers" in home
    assert "Settings" not in home and "Users" not in home
    # a user without any group may open none of these models: no menu at all
    nobody = browser_for(app, "nobody").get("/web").get_data(as_text=True)
    main = doc(nobody).xpath("//main")[0]
    assert not main.xpath(".//a[starts-with(@href, '/web/action/')]")


def test_a_menu_opens_its_action(clerk, ids):
    response = clerk.get(f"/web/action/{ids['action_orders']}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/web/m/test.order?action={ids['action_orders']}"
    assert clerk.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example", "/api/v1/test.order", "web/m", "/web/\tx"])
def test_an_action_opens_only_a_page_of_this_site(registry, url):
    from core.exceptions import ValidationError

    def work(env):
        with pytest.raises(ValidationError, match="address of this site"):
            env["ir.actions.window"].create({"name": "Away", "model": "test.order", "url": url})
    registry.run(work)


def test_an_action_with_a_page_opens_it(registry, clerk):
    action_id = registry.run(lambda env: env["ir.actions.window"].create(
        {"name": "Summary", "model": "test.order", "url": "/web/test_web_orders/summary/1"}).id)
    response = clerk.get(f"/web/action/{action_id}")
    assert response.status_code == 303 and response.headers["Location"] == "/web/test_web_orders/summary/1"


# -- list ---------------------------------------------------------------------------------
def test_list_sorts_by_a_column(registry, clerk, ids):
    tag = unique("SORT")
    make_orders(registry, [{"name": f"{tag}-{c}", "partner_id": ids["haifa"], "date": f"2024-01-0{n}"}
                           for n, c in ((1, "b"), (2, "c"), (3, "a"))])
    page = clerk.get(f"/web/m/test.order?q={tag}&o=name").get_data(as_text=True)
    assert list_rows(page) == [f"{tag}-a", f"{tag}-b", f"{tag}-c"]
    # the header link of the sorted column sorts the other way
    assert "o=name+desc" in page
    page = clerk.get(f"/web/m/test.order?q={tag}&o=name+desc").get_data(as_text=True)
    assert list_rows(page) == [f"{tag}-c", f"{tag}-b", f"{tag}-a"]
    page = clerk.get(f"/web/m/test.order?q={tag}&o=date").get_data(as_text=True)
    assert list_rows(page) == [f"{tag}-b", f"{tag}-c", f"{tag}-a"]
    # the list's default order (the model's: date desc)
    assert list_rows(clerk.get(f"/web/m/test.order?q={tag}").get_data(as_text=True)) == \
        [f"{tag}-a", f"{tag}-c", f"{tag}-b"]
    for bad in ("nope", "line_ids", "amount_total;drop"):
        response = clerk.get(f"/web/m/test.order?o={bad}")
        assert response.status_code == 400, bad
        assert_no_traceback(response.get_data(as_text=True))


def test_list_pages(registry, clerk, ids):
    tag = unique("PAGE")
    make_orders(registry, [{"name": f"{tag}-{n:03d}", "partner_id": ids["haifa"]} for n in range(85)])
    first = clerk.get(f"/web/m/test.order?q={tag}&o=name").get_data(as_text=True)
    second = clerk.get(f"/web/m/test.order?q={tag}&o=name&p=2").get_data(as_text=True)
    one, two = list_rows(first), list_rows(second)
    assert len(one) == 80 and len(two) == 5
    assert sorted(one + two) == [f"{tag}-{n:03d}" for n in range(85)]
    assert "1–80 of 85" in visible(first) and "1 / 2" in visible(first) and "2 / 2" in visible(second)
    assert "81–85 of 85" in visible(second)
    assert 'rel="next"' in first and 'rel="next"' not in second and 'rel="prev"' in second
    assert clerk.get(f"/web/m/test.order?q={tag}&p=x").status_code == 400
    assert list_rows(clerk.get(f"/web/m/test.order?q={tag}&p=9").get_data(as_text=True)) == []


def test_list_counts_ten_pages_ahead_and_all_on_request(registry, clerk, ids, monkeypatch):
    """A large list is counted only up to ten pages ahead ("1–80 of 800+"); the "+" link
    counts them all."""
    from core.web import listview
    monkeypatch.setattr(listview, "COUNT_PAGES", 2)
    tag = unique("CAP")
    make_orders(registry, [{"name": f"{tag}-{n:03d}", "partner_id": ids["haifa"]} for n in range(170)])
    first = clerk.get(f"/web/m/test.order?q={tag}&o=name").get_data(as_text=True)
    assert "1–80 of 160+" in visible(first) and "1 / 2+" in visible(first) and 'rel="next"' in first
    link = doc(first).xpath("//a[@class='count-all']/@href")[0]
    assert "count=all" in link
    exact = clerk.get(link).get_data(as_text=True)
    assert "1–80 of 170" in visible(exact) and "1 / 3" in visible(exact) and not doc(exact).xpath("//a[@class='count-all']")
    second = clerk.get(f"/web/m/test.order?q={tag}&o=name&p=2").get_data(as_text=True)
    assert "81–160 of 170" in visible(second)  # two pages ahead of page 2 reach the end: exact
    last = clerk.get(f"/web/m/test.order?q={tag}&o=name&p=3").get_data(as_text=True)
    assert "161–170 of 170" in visible(last) and 'rel="next"' not in last


def test_list_text_search(registry, clerk, ids):
    tag = unique("FIND")
    make_orders(registry, [{"name": f"{tag}-one", "partner_id": ids["haifa"]},
                           {"name": "Unrelated", "partner_id": ids["haifa"], "note": f"see {tag.lower()}"},
                           {"name": f"other-{tag[-4:]}", "partner_id": ids["haifa"]}])
    page = clerk.get(f"/web/m/test.order?q={tag}").get_data(as_text=True)
    # the search view's fields: the name, and the note (case-insensitive)
    assert sorted(list_rows(page)) == sorted([f"{tag}-one", "Unrelated"])
    assert f'value="{tag}"' in page  # the search box keeps the text
    # the name field searches as its filter_domain says: the reference or the customer's name
    customer = unique("Customer")
    partner = registry.run(lambda env: env["res.partner"].create({"name": customer}).id)
    make_orders(registry, [{"name": f"{tag}-of-customer", "partner_id": partner}])
    assert list_rows(clerk.get(f"/web/m/test.order?q={customer}").get_data(as_text=True)) == [f"{tag}-of-customer"]


def test_list_filters_from_the_search_view(registry, clerk, ids):
    tag = unique("FILT")
    made = make_orders(registry, [{"name": f"{tag}-d", "partner_id": ids["haifa"]},
                                  {"name": f"{tag}-c", "partner_id": ids["haifa"], "state": "confirmed"},
                                  {"name": f"{tag}-x", "partner_id": ids["haifa"], "state": "done"}])
    assert made
    rows = list_rows(clerk.get(f"/web/m/test.order?q={tag}&f=draft").get_data(as_text=True))
    assert rows == [f"{tag}-d"]
    rows = list_rows(clerk.get(f"/web/m/test.order?q={tag}&f=confirmed").get_data(as_text=True))
    assert rows == [f"{tag}-c"]
    rows = list_rows(clerk.get(f"/web/m/test.order?q={tag}&f=draft&f=confirmed").get_data(as_text=True))
    assert sorted(rows) == [f"{tag}-c", f"{tag}-d"]  # two filters: either
    response = clerk.get(f"/web/m/test.order?q={tag}&f=not_a_filter")
    assert response.status_code == 400 and "not_a_filter" in response.get_data(as_text=True)


def test_list_group_by_with_counts_and_sums(registry, clerk, ids):
    tag = unique("GRP")
    make_orders(registry, [
        {"name": f"{tag}-1", "partner_id": ids["haifa"], "date": "2024-02-03", "lines": [("a", 2, "10.25")]},
        {"name": f"{tag}-2", "partner_id": ids["haifa"], "date": "2024-02-20", "lines": [("b", 1, "5")]},
        {"name": f"{tag}-3", "partner_id": ids["eilat"], "date": "2024-03-01", "state": "confirmed",
         "lines": [("c", 3, "100")]},
    ])
    page = clerk.get(f"/web/m/test.order?q={tag}&g=state").get_data(as_text=True)
    rows = {row[0]: row[1:] for row in grouped_rows(page)}
    assert set(rows) == {"Draft", "Confirmed"}  # labels, not keys
    assert rows["Draft"][0] == "2" and rows["Draft"][1].strip("\u200e\u200f") == amount_text("25.50")
    assert rows["Confirmed"][0] == "1" and rows["Confirmed"][1].strip("\u200e\u200f") == amount_text("300")
    page = clerk.get(f"/web/m/test.order?q={tag}&g=partner_id").get_data(as_text=True)
    rows = {row[0]: row[1] for row in grouped_rows(page)}
    assert rows == {"Haifa Trading": "2", "Eilat Supplies": "1"}
    page = clerk.get(f"/web/m/test.order?q={tag}&g=date:month").get_data(as_text=True)
    rows = {row[0]: row[1] for row in grouped_rows(page)}
    assert rows == {"2024-02": "2", "2024-03": "1"}
    # a group's link lists its records
    link = doc(page).xpath("//table[contains(@class, 'grouped')]//a")[0].get("href")
    assert "gf=date%3Amonth%3D2024-02" in link
    assert sorted(list_rows(clerk.get(link).get_data(as_text=True))) == [f"{tag}-1", f"{tag}-2"]
    assert clerk.get(f"/web/m/test.order?q={tag}&g=no_field").status_code == 400


def test_list_totals_of_summed_columns(registry, clerk, ids):
    tag = unique("SUM")
    make_orders(registry, [{"name": f"{tag}-1", "partner_id": ids["haifa"], "lines": [("a", 1, "1.10")]},
                           {"name": f"{tag}-2", "partner_id": ids["haifa"], "lines": [("a", 2, "2.20")]}])
    page = clerk.get(f"/web/m/test.order?q={tag}").get_data(as_text=True)
    foot = doc(page).xpath("//table[contains(@class, 'list')]/tfoot")[0].text_content()
    assert amount_text("5.50") in foot.replace("\u200e", "").replace("\u200f", "")


def test_list_action_domain(registry, clerk, ids):
    tag = unique("ACT")
    make_orders(registry, [{"name": f"{tag}-draft", "partner_id": ids["haifa"]},
                           {"name": f"{tag}-conf", "partner_id": ids["haifa"], "state": "confirmed"}])
    page = clerk.get(f"/web/m/test.order?q={tag}&action={ids['action_draft']}").get_data(as_text=True)
    assert list_rows(page) == [f"{tag}-draft"]
    # the action stays in the links of the page (sorting, the new button)
    assert f"action={ids['action_draft']}" in doc(page).xpath("//thead//a")[0].get("href")
    page = clerk.get(f"/web/m/test.order?q={tag}&action={ids['action_orders']}").get_data(as_text=True)
    assert sorted(list_rows(page)) == [f"{tag}-conf", f"{tag}-draft"]
    # the action's context gives defaults to new records
    page = clerk.get(f"/web/m/test.order/new?action={ids['action_draft']}").get_data(as_text=True)
    assert dict(clerk.form_values("/web/m/test.order/new", page))["note"] == "from the action"
    # an action of another model, or no action at all
    other = registry.run(lambda env: env.ref("base.action_partner_customers").id, readonly=True)
    assert clerk.get(f"/web/m/test.order?action={other}").status_code == 400
    assert clerk.get("/web/m/test.order?action=abc").status_code == 400


def test_list_action_limit_is_the_page_size(registry, clerk, ids):
    tag = unique("LIM")
    make_orders(registry, [{"name": f"{tag}-{n}", "partner_id": ids["haifa"]} for n in range(7)])
    page = clerk.get(f"/web/m/test.order?q={tag}&action={ids['action_draft']}").get_data(as_text=True)
    assert len(list_rows(page)) == 5 and "1 / 2" in visible(page)


# -- kanban ---------------------------------------------------------------------------
def kanban_columns(html):
    return {col.get("data-value"): [a.text_content().strip() for a in col.xpath(".//article//a")]
            for col in doc(html).xpath("//section[contains(@class, 'kanban-column')]")}


def test_kanban_columns_by_state(registry, clerk, ids):
    tag = unique("KAN")
    make_orders(registry, [{"name": f"{tag}-d", "partner_id": ids["haifa"]},
                           {"name": f"{tag}-c", "partner_id": ids["haifa"], "state": "confirmed"}])
    page = clerk.get(f"/web/m/test.order?view=kanban&q={tag}").get_data(as_text=True)
    assert kanban_columns(page) == {"draft": [f"{tag}-d"], "confirmed": [f"{tag}-c"], "done": []}
    assert 'data-field="state"' in page
    # grouped by the customer instead
    page = clerk.get(f"/web/m/test.order?view=kanban&q={tag}&g=partner_id").get_data(as_text=True)
    columns = kanban_columns(page)
    assert sorted(columns[str(ids["haifa"])]) == [f"{tag}-c", f"{tag}-d"]


def test_kanban_move_writes_the_field(registry, clerk, ids):
    (rid,) = make_orders(registry, [{"name": unique("MOVE"), "partner_id": ids["haifa"]}])
    response = clerk.post("/web/m/test.order/kanban_move", {"id": rid, "field": "state", "value": "confirmed"})
    assert response.status_code == 200 and response.json == {"ok": True}
    assert read(registry, "test.order", rid, "state") == {"state": "confirmed"}
    response = clerk.post("/web/m/test.order/kanban_move", {"id": rid, "field": "partner_id", "value": ids["eilat"]})
    assert response.status_code == 200
    assert read(registry, "test.order", rid, "partner_id") == {"partner_id": ids["eilat"]}
    for field, value in (("name", "x"), ("amount_total", "1"), ("number", "x"), ("nope", "1"), ("priority", "high")):
        response = clerk.post("/web/m/test.order/kanban_move", {"id": rid, "field": field, "value": value})
        assert response.status_code == 400, field
    response = clerk.post("/web/m/test.order/kanban_move", {"id": rid, "field": "state", "value": "bogus"})
    assert response.status_code == 400
    assert clerk.post("/web/m/test.order/kanban_move", {"id": 99999999, "field": "state",
                                                        "value": "done"}).status_code == 404
    assert read(registry, "test.order", rid, "state", "partner_id") == {"state": "confirmed",
                                                                         "partner_id": ids["eilat"]}


# -- calendar, pivot, graph ---------------------------------------------------------------
def calendar_events(html):
    """The events of the days of the period (a month grid also shows days of the months around)."""
    return sorted(a.text_content().strip()
                  for a in doc(html).xpath("//td[not(contains(@class, 'other-month'))]/a[@class='event']"))


def test_calendar_month_week_and_day(registry, clerk, ids):
    tag = unique("CAL")
    make_orders(registry, [{"name": f"{tag}-{d}", "partner_id": ids["haifa"], "date": f"2031-05-{d:02d}"}
                           for d in (1, 14, 15, 31)] + [{"name": f"{tag}-june", "partner_id": ids["haifa"],
                                                         "date": "2031-06-20"}])
    url = f"/web/m/test.order?view=calendar&q={tag}"
    month = clerk.get(url + "&mode=month&date=2031-05-14").get_data(as_text=True)
    assert calendar_events(month) == sorted(f"{tag}-{d}" for d in (1, 14, 15, 31))
    cells = doc(month).xpath("//table[contains(@class, 'calendar')]//td")
    assert len(cells) % 7 == 0 and len(cells) >= 35
    # the previous and next months are one month away, whatever the day
    prev = doc(month).xpath("//a[@rel='prev']")[0].get("href")
    nxt = doc(month).xpath("//a[@rel='next']")[0].get("href")
    assert "date=2031-04" in prev and "date=2031-06" in nxt
    assert f"q={tag}" in nxt  # the search stays
    assert calendar_events(clerk.get(nxt).get_data(as_text=True)) == [f"{tag}-june"]
    first_of_march = clerk.get("/web/m/test.order?view=calendar&mode=month&date=2031-03-01").get_data(as_text=True)
    assert "date=2031-02" in doc(first_of_march).xpath("//a[@rel='prev']")[0].get("href")
    # 2031-05-14 is a Wednesday: the English week runs Monday 12 to Sunday 18
    week = clerk.get(url + "&mode=week&date=2031-05-14").get_data(as_text=True)
    assert calendar_events(week) == sorted([f"{tag}-14", f"{tag}-15"])
    assert len(doc(week).xpath("//table[contains(@class, 'calendar')]//td")) == 7
    day = clerk.get(url + "&mode=day&date=2031-05-15").get_data(as_text=True)
    assert calendar_events(day) == [f"{tag}-15"]
    assert clerk.get(url + "&mode=year").status_code == 400
    assert clerk.get(url + "&date=not-a-date").status_code == 400


def test_pivot(registry, clerk, ids):
    tag = unique("PIV")
    make_orders(registry, [
        {"name": f"{tag}-1", "partner_id": ids["haifa"], "lines": [("a", 1, "10")]},
        {"name": f"{tag}-2", "partner_id": ids["haifa"], "state": "confirmed", "lines": [("a", 1, "5")]},
        {"name": f"{tag}-3", "partner_id": ids["eilat"], "lines": [("a", 2, "7.50")]},
    ])
    page = clerk.get(f"/web/m/test.order?view=pivot&q={tag}").get_data(as_text=True)
    table = doc(page).xpath("//table[contains(@class, 'pivot')]")[0]

    def clean(node):
        return node.text_content().strip().replace("\u200e", "").replace("\u200f", "")

    header = [clean(th) for th in table.xpath("thead/tr/th")]
    assert header == ["", "Confirmed", "Draft", "Total"]
    body = {clean(tr.xpath("th")[0]): [clean(td) for td in tr.xpath("td")] for tr in table.xpath("tbody/tr")}
    assert body == {"Haifa Trading": [amount_text(5), amount_text(10), amount_text(15)],
                    "Eilat Supplies": ["", amount_text(15), amount_text(15)]}  # no order: an empty cell
    foot = [clean(td) for td in table.xpath("tfoot/tr/td")]
    assert foot == [amount_text(5), amount_text(25), amount_text(30)]


def test_graph_svg(registry, clerk, ids):
    tag = unique("GRA")
    make_orders(registry, [{"name": f"{tag}-1", "partner_id": ids["haifa"], "lines": [("a", 4, "10")]},
                           {"name": f"{tag}-2", "partner_id": ids["eilat"], "lines": [("a", 1, "20")]}])
    page = clerk.get(f"/web/m/test.order?view=graph&q={tag}").get_data(as_text=True)
    svg = doc(page).xpath("//figure[@class='graph']/*[local-name()='svg']")
    assert svg, "no SVG chart"
    titles = sorted(t.text_content() for t in svg[0].xpath(".//*[local-name()='title']"))
    assert titles == ["Eilat Supplies: 20", "Haifa Trading: 40"]
    bars = svg[0].xpath(".//*[local-name()='rect']")
    heights = sorted(float(bar.get("height")) for bar in bars)
    assert len(bars) == 2 and heights[1] == pytest.approx(2 * heights[0])
    empty = clerk.get("/web/m/test.order?view=graph&q=nothing-matches-this").get_data(as_text=True)
    assert "No data to draw." in empty and "<svg" not in empty


def test_unknown_view_type_is_refused(clerk):
    assert clerk.get("/web/m/test.order?view=gantt").status_code == 400


# -- forms --------------------------------------------------------------------------------
def field_error(html, name):
    """The error shown in the block of field ``name`` (None when there is none)."""
    blocks = doc(html).xpath(f"//div[contains(@class, 'field')][.//*[@name='{name}'] or .//output[@id='f-{name}']]")
    errors = [p.text_content() for b in blocks for p in b.xpath(".//p[@class='field-error']")]
    return errors[0] if errors else None


def test_create_a_record_with_lines(registry, clerk, ids):
    page = clerk.get("/web/m/test.order/new").get_data(as_text=True)
    name = unique("NEW")
    values = dict(clerk.form_values("/web/m/test.order/new", page))
    values.update({"name": name, "partner_id": str(ids["haifa"]), "date": "2025-04-01", "note": "by the form",
                   "line_ids-new1-product": "Pens", "line_ids-new1-quantity": "3",
                   "line_ids-new1-price_unit": "2.50",
                   "line_ids-new2-product": "Paper", "line_ids-new2-quantity": "1.5",
                   "line_ids-new2-price_unit": "1,000.10"})
    response = clerk.post("/web/m/test.order/new", values, csrf=False)
    assert response.status_code == 303, response.get_data(as_text=True)
    rid = int(response.headers["Location"].rsplit("/", 1)[1])
    stored = read(registry, "test.order", rid, "name", "partner_id", "date", "note", "amount_total", "state")
    assert stored == {"name": name, "partner_id": ids["haifa"], "date": dt.date(2025, 4, 1), "note": "by the form",
                      "amount_total": Decimal("1507.65"), "state": "draft"}
    assert order_lines(registry, rid) == [("Paper", Decimal("1.5"), Decimal("1000.10")),
                                          ("Pens", Decimal("3"), Decimal("2.50"))]
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert name in page and amount_text("1507.65") in page.replace("\u200e", "").replace("\u200f", "")


def test_edit_and_save_with_lines_added_edited_and_deleted(registry, clerk, ids):
    (rid,) = make_orders(registry, [{"name": unique("EDIT"), "partner_id": ids["haifa"],
                                     "lines": [("keep", 1, "10"), ("change", 1, "20"), ("drop", 1, "30")]}])
    line_ids = registry.run(lambda env: {l.product: l.id for l in env["test.order"].browse(rid).line_ids},
                            readonly=True)
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    values = clerk.form_values(f"/web/m/test.order/{rid}", page)
    data = dict(values)
    assert data["version"] == "1" and data[f"line_ids-{line_ids['keep']}-product"] == "keep"
    assert data[f"line_ids-{line_ids['keep']}-gift__present"] == "1"
    assert f"line_ids-{line_ids['keep']}-gift" not in data  # an unchecked box is not posted
    data.update({"name": "Edited name", "partner_id": str(ids["eilat"]),
                 f"line_ids-{line_ids['change']}-quantity": "4",
                 f"line_ids-{line_ids['change']}-gift": "on",
                 f"line_ids-{line_ids['drop']}-delete": "on",
                 "line_ids-new1-product": "added", "line_ids-new1-quantity": "2", "line_ids-new1-price_unit": "1.25",
                 "line_ids-new1-gift__present": "1", "line_ids-new1-gift": "on"})
    response = clerk.post(f"/web/m/test.order/{rid}", data, csrf=False)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == f"/web/m/test.order/{rid}"
    assert read(registry, "test.order", rid, "name", "partner_id", "amount_total") == {
        "name": "Edited name", "partner_id": ids["eilat"], "amount_total": Decimal("92.50")}
    assert order_lines(registry, rid) == [("added", Decimal(2), Decimal("1.25")), ("change", Decimal(4), Decimal(20)),
                                          ("keep", Decimal(1), Decimal(10))]
    gifts = registry.run(lambda env: {l.product: l.gift for l in env["test.order"].browse(rid).line_ids},
                         readonly=True)
    assert gifts == {"added": True, "change": True, "keep": False}
    # the page shows the saved values and the new version
    data = dict(clerk.form_values(f"/web/m/test.order/{rid}", clerk.get(f"/web/m/test.order/{rid}").get_data(
        as_text=True)))
    assert data["name"] == "Edited name" and data["version"] == "2"


def test_save_unchanged_form_as_a_browser_posts_it(registry, clerk, ids):
    """Every input of the page is posted, the hidden template row of new lines included."""
    (rid,) = make_orders(registry, [{"name": unique("SAME"), "partner_id": ids["haifa"], "lines": [("a", 1, "1")]}])
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    response = clerk.post(f"/web/m/test.order/{rid}", clerk.form_values(f"/web/m/test.order/{rid}", page), csrf=False)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert order_lines(registry, rid) == [("a", Decimal(1), Decimal(1))]
    page = clerk.get("/web/m/test.order/new").get_data(as_text=True)
    values = dict(clerk.form_values("/web/m/test.order/new", page))
    values.update(name=unique("TPL"), partner_id=str(ids["haifa"]))
    response = clerk.post("/web/m/test.order/new", values, csrf=False)
    assert response.status_code == 303, response.get_data(as_text=True)


def test_lines_of_another_record_cannot_be_changed(registry, clerk, ids):
    mine, other = make_orders(registry, [{"name": unique("MINE"), "partner_id": ids["haifa"], "lines": [("a", 1, "1")]},
                                         {"name": unique("OTHER"), "partner_id": ids["haifa"],
                                          "lines": [("theirs", 1, "1")]}])
    other_line = registry.run(lambda env: env["test.order"].browse(other).line_ids.id, readonly=True)
    page = clerk.get(f"/web/m/test.order/{mine}").get_data(as_text=True)
    for extra in ({f"line_ids-{other_line}-product": "hacked"}, {f"line_ids-{other_line}-delete": "on",
                                                                 f"line_ids-{other_line}-id": str(other_line)}):
        data = dict(clerk.form_values(f"/web/m/test.order/{mine}", page))
        data.update(extra)
        assert clerk.post(f"/web/m/test.order/{mine}", data, csrf=False).status_code == 400
    assert order_lines(registry, other) == [("theirs", Decimal(1), Decimal(1))]
    assert order_lines(registry, mine) == [("a", Decimal(1), Decimal(1))]


def test_discard_leaves_the_record_unchanged(registry, clerk, ids):
    name = unique("DISC")
    (rid,) = make_orders(registry, [{"name": name, "partner_id": ids["haifa"]}])
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    discard = [a for a in doc(page).xpath("//div[@class='formbar']//a")]
    assert discard and discard[0].get("href") == f"/web/m/test.order/{rid}"
    page = clerk.get(discard[0].get("href")).get_data(as_text=True)
    assert dict(clerk.form_values(f"/web/m/test.order/{rid}", page))["name"] == name
    new_page = clerk.get("/web/m/test.order/new").get_data(as_text=True)
    assert doc(new_page).xpath("//div[@class='formbar']//a")[0].get("href") == "/web/m/test.order"
    assert read(registry, "test.order", rid, "name", "version") == {"name": name, "version": 1}


def test_delete_asks_for_confirmation(registry, clerk, ids):
    name = unique("DEL")
    (rid,) = make_orders(registry, [{"name": name, "partner_id": ids["haifa"], "lines": [("a", 1, "1")]}])
    response = clerk.get(f"/web/m/test.order/{rid}/delete")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert name in page and "This cannot be undone" in page
    assert read(registry, "test.order", rid, "name") == {"name": name}  # looking is not deleting
    response = clerk.post(f"/web/m/test.order/{rid}/delete", clerk.form_values(f"/web/m/test.order/{rid}/delete"),
                          csrf=False)
    assert response.status_code == 303 and response.headers["Location"] == "/web/m/test.order"
    assert read(registry, "test.order", rid, "name") is None
    assert clerk.get(f"/web/m/test.order/{rid}").status_code == 404


def test_bulk_delete_of_selected_rows(registry, clerk, ids):
    tag = unique("BULK")
    made = make_orders(registry, [{"name": f"{tag}-{n}", "partner_id": ids["haifa"]} for n in range(3)])
    page = clerk.get(f"/web/m/test.order?q={tag}").get_data(as_text=True)
    values = [(k, v) for k, v in clerk.form_values("/web/m/test.order/bulk", page) if k != "ids"]
    values += [("ids", str(made[0])), ("ids", str(made[1]))]
    values = [(k, "delete" if k == "action" else v) for k, v in values]
    response = clerk.post("/web/m/test.order/bulk", values, csrf=False)
    assert response.status_code == 303
    assert [read(registry, "test.order", rid, "name") for rid in made] == [None, None, {"name": f"{tag}-2"}]
    assert clerk.post("/web/m/test.order/bulk", {"ids": "x", "action": "delete"}).status_code == 400
    assert clerk.post("/web/m/test.order/bulk", {"ids": str(made[2]), "action": "burn"}).status_code == 400


def test_duplicate(registry, clerk, ids):
    name = unique("DUP")
    (rid,) = make_orders(registry, [{"name": name, "partner_id": ids["haifa"], "lines": [("a", 2, "3")]}])
    clerk.get(f"/web/m/test.order/{rid}")
    response = clerk.post(f"/web/m/test.order/{rid}/duplicate")
    assert response.status_code == 303
    copy_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert copy_id != rid
    assert read(registry, "test.order", copy_id, "partner_id", "amount_total") == {
        "partner_id": ids["haifa"], "amount_total": Decimal(6)}
    assert order_lines(registry, copy_id) == [("a", Decimal(2), Decimal(3))]
    assert order_lines(registry, rid) == [("a", Decimal(2), Decimal(3))]


def test_buttons_call_only_ui_callable_methods_of_the_form(registry, clerk, ids):
    (rid,) = make_orders(registry, [{"name": unique("BTN"), "partner_id": ids["haifa"]}])
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    assert f'action="/web/m/test.order/{rid}/call/action_confirm"' in page
    response = clerk.post(f"/web/m/test.order/{rid}/call/action_confirm")
    assert response.status_code == 303 and response.headers["Location"] == f"/web/m/test.order/{rid}"
    assert read(registry, "test.order", rid, "state") == {"state": "confirmed"}
    for method in ("action_secret", "unlink", "write", "_check_name", "nope"):
        response = clerk.post(f"/web/m/test.order/{rid}/call/{method}")
        assert response.status_code == 400, method
    assert read(registry, "test.order", rid, "state") == {"state": "confirmed"}


def test_addons_add_routes_templates_and_form_sections(registry, clerk, ids):
    """The web extension points: an addon's route renders its own template in the core
    layout, and its form section appears on its model's forms only."""
    name = unique("SEC")
    (rid,) = make_orders(registry, [{"name": name, "partner_id": ids["haifa"]}])
    page = clerk.get(f"/web/test_web_orders/summary/{rid}").get_data(as_text=True)
    assert doc(page).xpath("//h1[@class='summary']")[0].text == name
    assert doc(page).xpath("//nav")  # inside the core layout
    form = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    assert doc(form).xpath("//p[@class='order-section']")[0].text == f"Section of {name}"
    partner_form = clerk.get(f"/web/m/res.partner/{ids['haifa']}").get_data(as_text=True)
    assert not doc(partner_form).xpath("//p[@class='order-section']")


def test_a_button_refusal_is_shown_on_the_form_and_undoes_the_button(registry, clerk, ids):
    (rid,) = make_orders(registry, [{"name": unique("REF"), "partner_id": ids["haifa"], "note": "refuse"}])
    clerk.get(f"/web/m/test.order/{rid}")
    response = clerk.post(f"/web/m/test.order/{rid}/call/action_confirm")
    assert response.status_code == 422
    page = doc(response.get_data(as_text=True))
    assert page.xpath("//form[contains(@class, 'record-form')]")  # the form, not an error page
    assert "cannot be confirmed" in page.xpath("//p[@role='alert']")[0].text_content()
    assert read(registry, "test.order", rid, "state") == {"state": "draft"}


def test_many2one_autocomplete(registry, clerk, ids, app):
    response = clerk.get("/web/name_search/res.partner?q=Haifa Tr")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert {"id": ids["haifa"], "name": "Haifa Trading"} in response.json
    assert all(set(item) == {"id", "name"} for item in response.json)
    response = clerk.get("/web/name_search/res.partner?q=" + "חברת הדגמה")
    assert [item["id"] for item in response.json] == [ids["hebrew"]]
    assert len(clerk.get("/web/name_search/res.partner?q=").json) <= 8
    # the user's access and rules apply
    assert clerk.get("/web/name_search/test.secure.doc?q=doc").status_code == 403
    secure = browser_for(app, "sec_user")
    names = [item["name"] for item in secure.get("/web/name_search/test.secure.doc?q=doc").json]
    assert names == ["Own doc"]
    assert clerk.get("/web/name_search/no.model?q=x").status_code == 404
    assert Browser(app).get("/web/name_search/res.partner?q=x").status_code == 303  # to the login page


def test_onchange_round_trip(clerk, ids):
    page = clerk.get("/web/m/test.order/new").get_data(as_text=True)
    assert 'name="partner_id" value="" data-onchange="1"' in page
    values = dict(clerk.form_values("/web/m/test.order/new", page))
    values["partner_id"] = str(ids["haifa"])
    values.pop("csrf_token")
    response = clerk.post_json("/web/onchange/test.order", {"field": "partner_id", "values": values})
    assert response.status_code == 200
    assert response.json == {"values": {"note": "Deliver to Haifa"}}
    response = clerk.post_json("/web/onchange/test.order", {"field": "name", "values": values})
    assert response.json == {"values": {}}
    for payload in ({"field": "bogus", "values": {}}, {"field": "partner_id", "values": "partner_id=1"}, []):
        assert clerk.post_json("/web/onchange/test.order", payload).status_code == 400
    response = clerk.client.post("/web/onchange/test.order", data="{not json",
                                 headers={"X-CSRF-Token": clerk.csrf(), "Content-Type": "application/json"})
    assert response.status_code == 400


def test_validation_error_is_shown_next_to_the_field_and_nothing_is_saved(registry, clerk, ids):
    name = unique("VAL")
    (rid,) = make_orders(registry, [{"name": name, "partner_id": ids["haifa"], "lines": [("a", 1, "1")]}])
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    data = dict(clerk.form_values(f"/web/m/test.order/{rid}", page))
    data.update({"name": "Bad!name", "note": "changed too", "line_ids-new1-product": "x",
                 "line_ids-new1-quantity": "1", "line_ids-new1-price_unit": "9"})
    response = clerk.post(f"/web/m/test.order/{rid}", data, csrf=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "cannot contain '!'" in field_error(page, "name")
    again = dict(clerk.form_values(f"/web/m/test.order/{rid}", page))
    assert again["name"] == "Bad!name" and again["note"] == "changed too"  # what the user typed
    assert again["partner_id"] == str(ids["haifa"])  # the customer is kept
    assert read(registry, "test.order", rid, "name", "note", "version") == {"name": name, "note": None, "version": 1}
    assert order_lines(registry, rid) == [("a", Decimal(1), Decimal(1))]
    # a value that cannot be read (a bad number, a bad date) is shown the same way
    data.update({"name": name, "date": "2025-13-45"})
    page = clerk.post(f"/web/m/test.order/{rid}", data, csrf=False).get_data(as_text=True)
    assert "not a valid value" in field_error(page, "date")
    # a new record: nothing created, and the form keeps what was typed
    page = clerk.get("/web/m/test.order/new").get_data(as_text=True)
    values = dict(clerk.form_values("/web/m/test.order/new", page))
    bad = unique("BAD") + "!"
    values.update(name=bad, partner_id=str(ids["haifa"]))
    response = clerk.post("/web/m/test.order/new", values, csrf=False)
    assert response.status_code == 422 and field_error(response.get_data(as_text=True), "name")
    kept = dict(clerk.form_values("/web/m/test.order/new", response.get_data(as_text=True)))
    assert kept["name"] == bad and kept["partner_id"] == str(ids["haifa"])
    assert "Haifa Trading" in response.get_data(as_text=True)
    assert registry.run(lambda env: env["test.order"].search_count([("name", "=", bad)]), readonly=True) == 0


def test_an_error_in_a_line_is_shown_and_nothing_is_saved(registry, clerk, ids):
    (rid,) = make_orders(registry, [{"name": unique("LERR"), "partner_id": ids["haifa"]}])
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    data = dict(clerk.form_values(f"/web/m/test.order/{rid}", page))
    data.update({"note": "not saved", "line_ids-new1-product": "x", "line_ids-new1-quantity": "three"})
    response = clerk.post(f"/web/m/test.order/{rid}", data, csrf=False)
    assert response.status_code == 422
    assert "'three' is not a valid value" in visible(response.get_data(as_text=True))
    assert read(registry, "test.order", rid, "note") == {"note": None} and order_lines(registry, rid) == []


def test_lines_typed_before_an_error_are_shown_again(registry, clerk, ids):
    """After an error the form shows the lines as the user left them — edited, added,
    marked for deletion — not as they are in the database, and posting it again works."""
    (rid,) = make_orders(registry, [{"name": unique("LKEEP"), "partner_id": ids["haifa"],
                                     "lines": [("kept", 1, "5"), ("dropped", 1, "7")]}])
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    data = dict(clerk.form_values(f"/web/m/test.order/{rid}", page))
    kept_id, dropped_id = sorted(int(key.split("-")[1]) for key in data
                                 if key.endswith("-product") and key.split("-")[1].isdigit())
    data.update({"name": "Bad!name", f"line_ids-{kept_id}-quantity": "4",
                 f"line_ids-{dropped_id}-delete": "on",
                 "line_ids-new1-product": "added", "line_ids-new1-quantity": "2", "line_ids-new1-price_unit": "3"})
    response = clerk.post(f"/web/m/test.order/{rid}", data, csrf=False)
    assert response.status_code == 422
    again = dict(clerk.form_values(f"/web/m/test.order/{rid}", response.get_data(as_text=True)))
    assert again[f"line_ids-{kept_id}-quantity"] == "4"
    assert again[f"line_ids-{dropped_id}-delete"] == "on"
    assert (again["line_ids-new1-product"], again["line_ids-new1-quantity"]) == ("added", "2")
    assert order_lines(registry, rid) == [("dropped", Decimal(1), Decimal(7)), ("kept", Decimal(1), Decimal(5))]
    again["name"] = unique("LKEEP")
    assert clerk.post(f"/web/m/test.order/{rid}", again, csrf=False).status_code == 303
    assert order_lines(registry, rid) == [("added", Decimal(2), Decimal(3)), ("kept", Decimal(4), Decimal(5))]


def test_stale_version_is_a_conflict(registry, clerk, ids):
    (rid,) = make_orders(registry, [{"name": unique("VER"), "partner_id": ids["haifa"]}])
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    data = dict(clerk.form_values(f"/web/m/test.order/{rid}", page))
    registry.run(lambda env: env["test.order"].browse(rid).write({"note": "someone else"}))
    data["note"] = "mine"
    response = clerk.post(f"/web/m/test.order/{rid}", data, csrf=False)
    assert response.status_code == 409
    assert "changed by someone else" in response.get_data(as_text=True)
    assert_no_traceback(response.get_data(as_text=True))
    assert read(registry, "test.order", rid, "note", "version") == {"note": "someone else", "version": 2}


@pytest.mark.parametrize("field, value", [("amount_total", "99"), ("number", "SO-1"), ("state", "done"),
                                          ("bogus", "1"), ("version_x", "1"), ("id", "5"), ("write_date", "2020-01-01"),
                                          ("line_ids-{line}-subtotal", "99"), ("line_ids-{line}-order_id", "1"),
                                          ("line_ids-new1-subtotal", "5")])
def test_posting_a_field_the_form_does_not_allow_is_refused(registry, clerk, ids, field, value):
    name = unique("RO")
    (rid,) = make_orders(registry, [{"name": name, "partner_id": ids["haifa"], "lines": [("a", 1, "1")]}])
    line = registry.run(lambda env: env["test.order"].browse(rid).line_ids.id, readonly=True)
    page = clerk.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    data = dict(clerk.form_values(f"/web/m/test.order/{rid}", page))
    data.update({"name": "should not be saved", field.format(line=line): value})
    response = clerk.post(f"/web/m/test.order/{rid}", data, csrf=False)
    assert response.status_code == 400
    assert_no_traceback(response.get_data(as_text=True))
    assert read(registry, "test.order", rid, "name", "amount_total", "state", "number", "version") == {
        "name": name, "amount_total": Decimal(1), "state": "draft", "number": None, "version": 1}
    # nor on a new record
    response = clerk.post("/web/m/test.order/new", {"name": name + "-new", "partner_id": ids["haifa"],
                                                    field.format(line=line): value})
    assert response.status_code == 400
    assert registry.run(lambda env: env["test.order"].search_count([("name", "=", name + "-new")]),
                        readonly=True) == 0


def test_access_refusal_is_403(registry, app, clerk, ids):
    for url in ("/web/m/test.secure.doc", f"/web/m/test.secure.doc/{ids['own_doc']}", "/web/m/test.secure.doc/new",
                "/web/m/test.secure.doc/export.csv", "/web/m/test.secure.doc?view=kanban"):
        response = clerk.get(url)
        assert response.status_code == 403, url
        page = response.get_data(as_text=True)
        assert "Access refused" in page
        assert_no_traceback(page)
    # allowed to read and write his own documents, not to delete them
    secure = browser_for(app, "sec_user")
    assert secure.get(f"/web/m/test.secure.doc/{ids['own_doc']}").status_code == 200
    response = secure.post(f"/web/m/test.secure.doc/{ids['own_doc']}/delete")
    assert response.status_code == 403
    assert read(registry, "test.secure.doc", ids["own_doc"], "name") == {"name": "Own doc"}
    # a user without any group: not even the orders
    assert browser_for(app, "nobody").get("/web/m/test.order").status_code == 403


def test_records_outside_the_rules_are_not_shown_nor_changed(registry, app, ids):
    secure = browser_for(app, "sec_user")
    page = secure.get("/web/m/test.secure.doc").get_data(as_text=True)
    assert list_rows(page) == ["Own doc"]
    other = ids["other_doc"]
    assert secure.get(f"/web/m/test.secure.doc/{other}").status_code in (403, 404)
    for url, data in ((f"/web/m/test.secure.doc/{other}", {"name": "stolen"}),
                      (f"/web/m/test.secure.doc/{other}/duplicate", {}),
                      ("/web/m/test.secure.doc/kanban_move", {"id": other, "field": "owner_id",
                                                              "value": ids["sec_user"]})):
        response = secure.post(url, data)
        assert response.status_code in (403, 404), url
    assert read(registry, "test.secure.doc", other, "name", "owner_id") == {"name": "Other doc",
                                                                            "owner_id": ids["sec_other"]}
    assert registry.run(lambda env: env["test.secure.doc"].search_count([]), readonly=True) == 2
    csv_text = secure.get("/web/m/test.secure.doc/export.csv").get_data(as_text=True)
    assert "Own doc" in csv_text and "Other doc" not in csv_text


def test_fields_of_a_group_the_user_is_not_in(registry, app, ids):
    secure = browser_for(app, "sec_user")
    page = secure.get(f"/web/m/test.secure.doc/{ids['own_doc']}").get_data(as_text=True)
    data = dict(secure.form_values(f"/web/m/test.secure.doc/{ids['own_doc']}", page))
    assert "secret_note" not in data and "Margin note" not in page
    data["secret_note"] = "sneaky"
    response = secure.post(f"/web/m/test.secure.doc/{ids['own_doc']}", data, csrf=False)
    assert response.status_code == 400
    assert registry.run(lambda env: env["test.secure.doc"].browse(ids["own_doc"]).secret_note) is None


def test_user_text_is_escaped_everywhere(registry, clerk, ids):
    evil = "<script>alert(1)</script>"
    tag = unique("XSS")
    partner = registry.run(lambda env: env["res.partner"].create({"name": f"<b>{tag}</b>", "city": evil}).id)
    (rid,) = make_orders(registry, [{"name": f"{tag} {evil}", "partner_id": partner, "note": evil,
                                     "date": "2031-08-08", "lines": [(evil, 1, "1")]}])
    pages = [f"/web/m/test.order?q={tag}", f"/web/m/test.order?q={tag}&g=partner_id",
             f"/web/m/test.order?q={tag}&view=kanban", f"/web/m/test.order?q={tag}&view=pivot",
             f"/web/m/test.order?q={tag}&view=graph", f"/web/m/test.order?q={tag}&view=calendar&date=2031-08-08",
             f"/web/m/test.order/{rid}", f"/web/m/test.order/{rid}/delete",
             f"/web/m/test.order?q={evil}", f"/web/m/test.order?o={evil}", f"/web/m/{evil}"]
    for url in pages:
        page = clerk.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and f"<b>{tag}" not in page, url
    assert any("&lt;script&gt;" in clerk.get(url).get_data(as_text=True) for url in pages[:1])
    # the JSON of the autocomplete is JSON (not HTML)
    response = clerk.get(f"/web/name_search/res.partner?q={tag}")
    assert response.mimetype == "application/json" and response.json[0]["name"] == f"<b>{tag}</b>"


def test_a_many2one_to_a_translated_name_is_shown_in_hebrew(registry, app, ids):
    """A unit's name is kept in English and translated where shown: in the many2one input
    of a form and in its autocomplete."""
    from core.i18n.translate import gettext
    login = unique("yehida").lower()
    registry.run(lambda env: make_user(env, login, lang="he"))
    rid = registry.run(lambda env: env["product.product"].create(
        {"name": unique("Box"), "uom_id": env.ref("base.uom_unit").id}).id)
    browser = browser_for(app, login)
    page = doc(browser.get(f"/web/m/product.product/{rid}").get_data(as_text=True))
    hebrew = gettext("he", "Unit")
    assert hebrew != "Unit"
    assert page.xpath("//input[@id='f-uom_id']/@value") == [hebrew]
    names = [row["name"] for row in browser.get("/web/name_search/uom.uom?q=").json]
    assert hebrew in names and "Unit" not in names


def test_pages_of_a_hebrew_user(registry, app, ids):
    login = unique("ivrit").lower()
    registry.run(lambda env: make_user(env, login, lang="he"))
    browser = browser_for(app, login)
    name = unique("HEB")
    (rid,) = make_orders(registry, [{"name": name, "partner_id": ids["hebrew"], "date": "2025-03-04",
                                     "lines": [("a", 1, "1234.5")]}])
    page = browser.get("/web/m/test.order").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in page
    headers = [th.text_content().strip() for th in doc(page).xpath("//table[contains(@class, 'list')]/thead//th")]
    assert headers[1:4] == ["אסמכתא", "לקוח", "תאריך"]  # Reference, Customer, Date
    assert "4.3.2025" in visible(browser.get(f"/web/m/test.order?q={name}").get_data(as_text=True))
    page = browser.get(f"/web/m/test.order/{rid}").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in page
    text = visible(page)
    assert "שמור" in text and "שכפל" in text and "מחק" in text  # Save, Duplicate, Delete
    assert "1,234.50 ₪" in text  # the Hebrew amount format
    page = browser.get("/web/m/test.order?view=calendar&date=2025-03-04").get_data(as_text=True)
    assert "חודש" in page and "שבוע" in page  # Month, Week


# -- export ---------------------------------------------------------------------------------
def hebrew_orders(registry, ids, tag):
    return make_orders(registry, [
        {"name": f"{tag} הזמנה ראשונה", "partner_id": ids["hebrew"], "date": "2025-05-01", "note": "x",
         "lines": [("a", 2, "1234.50")]},
        {"name": f"{tag} second", "partner_id": ids["haifa"], "date": "2025-05-02", "state": "confirmed",
         "lines": [("b", 1, "0.10")]},
    ])


def test_csv_export_of_the_current_list(registry, app, clerk, ids):
    tag = unique("CSV")
    hebrew_orders(registry, ids, tag)
    make_orders(registry, [{"name": "Not in this search", "partner_id": ids["haifa"]}])
    response = clerk.get(f"/web/m/test.order/export.csv?q={tag}&o=name")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="test_order.csv"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert not any(mark in text for mark in BIDI_MARKS)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Reference", "Customer", "Date", "Status", "Total"]
    assert rows[1:] == [[f"{tag} second", "Haifa Trading", "2025-05-02", "Confirmed", "0.10"],
                        [f"{tag} הזמנה ראשונה", "חברת הדגמה בע\"מ", "2025-05-01", "Draft", "2469.00"]]
    # the filters of the list apply to its export
    rows = list(csv.reader(io.StringIO(clerk.get(f"/web/m/test.order/export.csv?q={tag}&f=draft").get_data(
        as_text=True).lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == [f"{tag} הזמנה ראשונה"]
    assert clerk.get(f"/web/m/test.order/export.pdf?q={tag}").status_code == 404


def test_xlsx_export_in_hebrew(registry, app, ids):
    tag = unique("XLS")
    hebrew_orders(registry, ids, tag)
    login = unique("hebrew").lower()
    registry.run(lambda env: make_user(env, login, lang="he"))
    browser = browser_for(app, login)
    response = browser.get(f"/web/m/test.order/export.xlsx?q={tag}&o=name")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="test_order.xlsx"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    assert sheet.sheet_view.rightToLeft
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["אסמכתא", "לקוח", "תאריך", "סטטוס", "סה\"כ"]
    names = [row[0] for row in rows[1:]]
    assert names == [f"{tag} second", f"{tag} הזמנה ראשונה"]
    hebrew_row = rows[2]
    assert hebrew_row[1] == "חברת הדגמה בע\"מ" and hebrew_row[2] == "2025-05-01"
    assert Decimal(str(hebrew_row[4])) == Decimal("2469.00")  # a number, not a formatted text
    for row in rows:
        for cell in row:
            assert not (isinstance(cell, str) and any(mark in cell for mark in BIDI_MARKS)), cell


def test_bulk_export_of_selected_rows(registry, clerk, ids):
    tag = unique("BEX")
    made = make_orders(registry, [{"name": f"{tag}-{n}", "partner_id": ids["haifa"]} for n in range(3)])
    response = clerk.post("/web/m/test.order/bulk", [("ids", str(made[0])), ("ids", str(made[2])), ("action", "csv")])
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r[0] for r in rows[1:]) == [f"{tag}-0", f"{tag}-2"]


# -- import -----------------------------------------------------------------------------------
def upload(browser, content, step="preview"):
    browser.get("/web/m/test.order/import")
    data = {"step": step, "file": (io.BytesIO(content.encode("utf-8")), "orders.csv")}
    return browser.post("/web/m/test.order/import", data)


def count_named(registry, prefix):
    return registry.run(lambda env: env["test.order"].search_count([("name", "=like", prefix + "%")]), readonly=True)


def test_import_preview_then_import(registry, clerk, ids):
    tag = unique("IMP")
    content = (f"name,Customer,date,state\n{tag}-1,Haifa Trading,2025-06-01,Confirmed\n"
               f"{tag}-2,{ids['eilat']},2025-06-02,draft\n{tag}-3,\"חברת הדגמה בע\"\"מ\",,\n")
    assert clerk.get("/web/m/test.order/import").status_code == 200
    response = upload(clerk, content)
    assert response.status_code == 200, text_of(response.get_data(as_text=True))
    page = response.get_data(as_text=True)
    assert "All rows are valid." in page and f"{tag}-3" in page
    assert count_named(registry, tag) == 0  # a preview writes nothing
    response = clerk.post("/web/m/test.order/import", clerk.form_values("", page, containing="content", click="step"),
                          csrf=False)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "3 records imported." in response.get_data(as_text=True)
    stored = registry.run(lambda env: sorted((o.name, o.partner_id.id, o.state, o.date)
                                             for o in env["test.order"].search([("name", "=like", tag + "%")])),
                          readonly=True)
    assert stored == [(f"{tag}-1", ids["haifa"], "confirmed", dt.date(2025, 6, 1)),
                      (f"{tag}-2", ids["eilat"], "draft", dt.date(2025, 6, 2)),
                      (f"{tag}-3", ids["hebrew"], "draft", None)]


def test_import_reports_each_bad_row_and_writes_nothing(registry, clerk, ids):
    tag = unique("IMPX")
    content = (f"name,partner_id,date\n{tag}-ok,Haifa Trading,2025-06-01\n{tag}-nobody,No Such Customer,\n"
               f"{tag}-date,Haifa Trading,2025-02-31\n{tag}-bang!,Haifa Trading,\n,Haifa Trading,\n")
    for step in ("preview", "import"):
        response = upload(clerk, content, step=step)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "4 rows have errors: nothing was imported." in page
        errors = {tr.xpath("td")[0].text_content(): tr.xpath("td")[-1].text_content()
                  for tr in doc(page).xpath("//tr[@class='has-error']")}
        assert set(errors) == {"3", "4", "5", "6"}
        assert "No Such Customer" in errors["3"] and "2025-02-31" in errors["4"]
        assert "'!'" in errors["5"] and "required" in errors["6"]
        assert "<form method=\"post\">" not in page  # no import button
        assert count_named(registry, tag) == 0
    # a column that is not an importable field
    response = upload(clerk, "name,amount_total\nx,1\n")
    assert response.status_code == 400 and "amount_total" in response.get_data(as_text=True)
    bad_encoding = clerk.post("/web/m/test.order/import", {"step": "preview",
                                                           "file": (io.BytesIO(b"name\n\xff\xfe\n"), "x.csv")})
    assert bad_encoding.status_code == 400 and "UTF-8" in bad_encoding.get_data(as_text=True)


# -- attachments ----------------------------------------------------------------------------
def test_attachment_download(registry, app, clerk, ids):
    (rid,) = make_orders(registry, [{"name": unique("ATT"), "partner_id": ids["haifa"]}])
    content = "<html><script>alert(1)</script></html>".encode()

    def attach(env):
        make = env["ir.attachment"].create
        return (make({"name": 'contract "signed".html', "datas": content, "res_model": "test.order",
                      "res_id": rid}).id,
                make({"name": "other.txt", "datas": b"secret", "res_model": "test.secure.doc",
                      "res_id": ids["other_doc"]}).id,
                make({"name": "own.txt", "datas": b"mine", "res_model": "test.secure.doc",
                      "res_id": ids["own_doc"]}).id)
    order_file, other_file, own_file = registry.run(attach)
    response = clerk.get(f"/web/attachment/{order_file}")
    assert response.status_code == 200 and response.get_data() == content
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert '"signed"' not in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/octet-stream"
    assert clerk.get("/web/attachment/99999999").status_code == 404
    # the record's access and rules apply to its files
    assert clerk.get(f"/web/attachment/{own_file}").status_code in (403, 404)
    secure = browser_for(app, "sec_user")
    assert secure.get(f"/web/attachment/{own_file}").get_data() == b"mine"
    response = secure.get(f"/web/attachment/{other_file}")
    assert response.status_code in (403, 404) and b"secret" not in response.get_data()

"""Writing and reading records: batch create, write, unlink, copy, relations, read(), concurrency."""
from contextlib import contextmanager
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.exceptions import ConcurrencyError, MissingError, UserError


@pytest.fixture
def registry(make_registry):
    return make_registry(["test_fields", "test_orders"])


@pytest.fixture
def customers(env):
    return env["res.partner"].create([{"name": f"Customer {n:02d}"} for n in range(10)])


@contextmanager
def statements(registry):
    """The SQL statements sent to the database inside the block (transaction control left out)."""
    sent = []

    def record(_conn, _cursor, statement, _params, _context, _executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            sent.append(statement)

    sa.event.listen(registry.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(registry.engine, "before_cursor_execute", record)


def order_vals(customers, count, lines=3):
    return [{"name": f"SO{n:04d}", "partner_id": customers[n % len(customers)].id, "date": "2024-03-01",
             "line_ids": [{"product": f"P{n}-{i}", "quantity": i + 1, "price_unit": "2.50"} for i in range(lines)]}
            for n in range(count)]


def test_batch_create_with_nested_lines(env, registry, customers):
    orders = env["test.order"]
    with statements(registry) as few:
        orders.create(order_vals(customers, 5))
    with statements(registry) as many:
        created = orders.create(order_vals(customers, 60))
    assert len(many) == len(few), "creating more orders must not cost more statements"
    assert len(created) == 60 and created.mapped("name") == [f"SO{n:04d}" for n in range(60)]
    env.cache.invalidate()
    first = created[0]
    assert first.line_ids.mapped("product") == ["P0-0", "P0-1", "P0-2"]
    assert first.amount_total == Decimal("15.00")  # (1 + 2 + 3) * 2.50
    assert env["test.order.line"].search_count([("order_id", "in", created.ids)]) == 180
    assert created[17].partner_id == customers[7]


def test_write_many_records_at_once(env, registry):
    records = env["test.record"].create([{"name": f"r{n}"} for n in range(20)])
    with statements(registry) as sent:
        records.write({"state": "done", "count": 9})
    assert len([s for s in sent if s.lstrip().upper().startswith("UPDATE")]) == 1
    env.cache.invalidate()
    assert set(records.mapped("state")) == {"done"} and set(records.mapped("count")) == {9}
    assert set(records.mapped("version")) == {2}


def test_unlink_deletes_records_and_their_cascading_lines(env):
    records = env["test.record"].create([{"name": "a", "line_ids": [{"name": "x"}, {"name": "y"}]},
                                         {"name": "b"}])
    line_ids = records[0].line_ids.ids
    records[0].unlink()
    assert records.exists() == records[1]
    assert not env["test.record.line"].browse(line_ids).exists()
    with pytest.raises(MissingError):
        assert records[0].name


def test_copy_duplicates_lines_of_copied_one2many(env, customers):
    order = env["test.order"].create(order_vals(customers, 1, lines=2))
    duplicate = order.copy({"name": "SO-copy"})
    assert duplicate != order and duplicate.name == "SO-copy" and duplicate.partner_id == customers[0]
    assert duplicate.line_ids.mapped("product") == order.line_ids.mapped("product")
    assert not set(duplicate.line_ids.ids) & set(order.line_ids.ids)
    assert duplicate.amount_total == order.amount_total == Decimal("7.50")
    assert len(order.line_ids) == 2
    tags = env["test.tag"].create([{"name": "a"}, {"name": "b"}])
    record = env["test.record"].create({"name": "orig", "code": "UNIQUE", "data": b"blob", "tag_ids": tags.ids,
                                        "line_ids": [{"name": "l"}]})
    copied = record.copy()
    assert (copied.name, copied.code, copied.data) == ("orig", None, None)  # copy=False and Binary stay behind
    assert copied.tag_ids == tags and copied.line_ids.mapped("name") == ["l"]


@pytest.fixture
def kinds(registry):
    """Three committed kinds, each referenced by one record through a different ondelete."""
    with registry.env() as env:
        kinds = env["test.kind"].create([{"name": "protected"}, {"name": "owner"}, {"name": "plain"}])
        env["test.record"].create({"name": "ref", "restrict_kind_id": kinds[0].id,
                                   "cascade_kind_id": kinds[1].id, "kind_id": kinds[2].id})
        return dict(zip(("restrict", "cascade", "set null"), kinds.ids))


def test_ondelete_restrict_refuses_with_a_clear_message(registry, kinds):
    with pytest.raises(UserError) as info:
        with registry.env() as env:
            env["test.kind"].browse(kinds["restrict"]).unlink()
    message = str(info.value)
    assert "Test kind" in message and "still referenced" in message
    assert "foreign key" not in message.lower() and "DELETE" not in message
    with registry.env() as env:
        assert env["test.kind"].browse(kinds["restrict"]).exists()
        assert env["test.record"].search_count([]) == 1


def test_ondelete_cascade_and_set_null(registry, kinds):
    with registry.env() as env:
        env["test.kind"].browse(kinds["set null"]).unlink()
        record = env["test.record"].search([])
        assert record.name == "ref" and not record.kind_id and record.kind_name is None
        env["test.kind"].browse(kinds["cascade"]).unlink()
        assert env["test.record"].search_count([]) == 0


def test_many2many_commands(env):
    red, green, blue = env["test.tag"].create([{"name": "red"}, {"name": "green"}, {"name": "blue"}])
    record = env["test.record"].create({"name": "painted", "tag_ids": [red.id]})
    steps = [
        ([("set", [green.id, blue.id])], {"green", "blue"}),
        ([("link", red.id), ("link", red.id)], {"red", "green", "blue"}),
        ([("unlink", green.id)], {"red", "blue"}),
        ([("clear",)], set()),
        ([blue.id, red.id], {"red", "blue"}),
        (green, {"green"}),
        (False, set()),
    ]
    for command, expected in steps:
        record.write({"tag_ids": command})
        assert set(record.tag_ids.mapped("name")) == expected, command
        env.cache.invalidate()
        assert set(record.tag_ids.mapped("name")) == expected, command
    assert env["test.tag"].search_count([]) == 3  # unlinking never deletes the tags


def test_one2many_commands(env):
    record, other = env["test.record"].create([{"name": "main", "line_ids": [{"name": "a"}, {"name": "b"}]},
                                               {"name": "other", "line_ids": [{"name": "z"}]}])
    a, b = record.line_ids
    z = other.line_ids
    record.write({"line_ids": [("create", {"name": "c"}), ("update", a.id, {"quantity": 5}), ("delete", b.id)]})
    assert record.line_ids.mapped("name") == ["a", "c"] and a.quantity == 5 and not b.exists()
    record.write({"line_ids": [("link", z.id)]})
    assert set(record.line_ids.mapped("name")) == {"a", "c", "z"} and not other.line_ids
    record.write({"line_ids": [("set", [a.id, z.id])]})
    assert record.line_ids == a | z
    record.write({"line_ids": [("clear",)]})
    assert not record.line_ids and not (a | z).exists()


def test_read_returns_many2one_as_id_and_name(env, customers):
    tag = env["test.tag"].create({"name": "red"})
    orders = env["test.order"].create(order_vals(customers, 3, lines=1))
    rows = orders[::-1].read(["name", "partner_id", "line_ids", "amount_total"])
    assert [row["id"] for row in rows] == orders[::-1].ids
    assert rows[0]["partner_id"] == {"id": customers[2].id, "name": "Customer 02"}
    assert rows[0]["line_ids"] == orders[2].line_ids.ids and rows[0]["amount_total"] == Decimal("2.50")
    empty = env["test.record"].create({"name": "bare", "tag_ids": [tag.id]}).read(["kind_id", "tag_ids"])[0]
    assert empty["kind_id"] is None and empty["tag_ids"] == [tag.id]


def test_read_with_many2one_ids_gives_the_ids_without_asking_for_names(env, registry, customers):
    orders = env["test.order"].create(order_vals(customers, 3, lines=1))
    env.cache.invalidate()
    with statements(registry) as sent:
        rows = orders.read(["name", "partner_id"], many2one_ids=True)
    assert [row["partner_id"] for row in rows] == customers[:3].ids
    assert not [s for s in sent if "RES_PARTNER" in s.upper()], "no display name is read"


def test_recordset_helpers(env):
    partners = env["res.partner"].create([{"name": "Zeta", "is_company": True}, {"name": "Alpha"},
                                          {"name": "Mid", "is_company": True}])
    zeta, alpha, mid = partners
    alpha.write({"parent_id": zeta.id})
    assert partners.filtered("is_company") == zeta | mid
    assert partners.filtered("parent_id") == alpha
    assert partners.filtered(lambda p: p.name.startswith("M")) == mid
    assert partners.mapped("name") == ["Zeta", "Alpha", "Mid"] and partners.mapped("parent_id") == zeta
    assert partners.sorted().mapped("name") == ["Alpha", "Mid", "Zeta"]  # the model's order: by name
    assert partners.sorted(reverse=True).mapped("name") == ["Zeta", "Mid", "Alpha"]
    assert partners.sorted("name", reverse=True)[0] == zeta
    mid.write({"active": False})
    assert partners.sorted().mapped("name") == ["Alpha", "Mid", "Zeta"]  # archived records are kept
    assert (partners - zeta) | zeta == partners and (partners & (alpha | mid)) == alpha | mid


def test_reading_a_many2one_name_of_1000_records_costs_constant_queries(env, registry, customers):
    env["test.order"].create(order_vals(customers, 1000, lines=0))
    env.cache.invalidate()
    with statements(registry) as sent:
        orders = env["test.order"].search([])
        names = [order.partner_id.name for order in orders]
    assert len(orders) == 1000 and set(names) == set(customers.mapped("name"))
    assert len(sent) <= 5, sent
    env.cache.invalidate()
    with statements(registry) as sent:
        rows = env["test.order"].search([]).read(["name", "partner_id"])
    assert {row["partner_id"]["name"] for row in rows} == set(customers.mapped("name"))
    assert len(sent) <= 5, sent


def test_write_with_a_stale_version_is_refused(registry):
    with registry.env() as env:
        record = env["test.record"].create({"name": "shared"})
        record_id, opened_version = record.id, record.version
    with registry.env() as env:  # someone else saves first
        env["test.record"].browse(record_id).write({"name": "theirs"})
    with pytest.raises(ConcurrencyError, match="changed by someone else"):
        with registry.env() as env:
            env["test.record"].browse(record_id).write({"name": "mine", "count": 1, "version": opened_version})
    with registry.env() as env:
        record = env["test.record"].browse(record_id)
        assert (record.name, record.count, record.version) == ("theirs", 3, opened_version + 1)
        record.write({"name": "mine", "version": record.version})
        assert record.version == opened_version + 2
    with registry.env() as env:
        assert env["test.record"].browse(record_id).name == "mine"

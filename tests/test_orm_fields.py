"""Field types: values round-trip exactly through the database; bad values are refused."""
import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.exceptions import DomainError, ValidationError

UTC = dt.timezone.utc
JERUSALEM_SUMMER = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def registry(make_registry):
    return make_registry(["test_fields"])


@pytest.fixture
def records(env):
    return env["test.record"]


def reloaded(record):
    """``record`` with the cache dropped, so the next reads come from the database."""
    record.env.cache.invalidate()
    return record


def raw_column(env, table, column, record_id):
    """A column as the database driver returns it, without the field's conversion."""
    statement = sa.select(sa.column(column)).select_from(sa.table(table)).where(sa.column("id") == record_id)
    return env.execute(statement).scalar_one()


def test_declarations_keep_their_metadata(registry):
    fields = registry.models["test.record"]._fields
    assert (fields["name"].string, fields["name"].size, fields["name"].required) == ("Name", 20, True)
    assert fields["tag_ids"].comodel == "test.tag" and fields["tag_ids"].domain == [("name", "!=", "hidden")]
    assert fields["state"].options() == [("draft", "Draft"), ("done", "Done")]
    assert fields["restrict_kind_id"].ondelete == "restrict" and fields["kind_id"].ondelete == "set null"
    assert fields["kind_name"].readonly and not fields["kind_name"].store and fields["name_upper"].readonly
    assert fields["line_ids"].copy and fields["tag_ids"].copy and not fields["data"].copy


def test_every_field_type_round_trips(env, records):
    kind = env["test.kind"].create({"name": "Gold"})
    tags = env["test.tag"].create([{"name": "red"}, {"name": "blue"}])
    payload = {"levels": [1, 2, {"deep": None}], "text": "שלום", "ok": True}
    record = records.create({
        "name": "Alpha", "code": "A-1", "description": "first line\nsecond line", "count": 7,
        "ratio": 0.25, "weight": Decimal("1234.567"), "amount": Decimal("19.99"), "flag": True,
        "day": dt.date(2024, 2, 29), "moment": dt.datetime(2024, 3, 1, 12, 30, 15, tzinfo=UTC),
        "state": "done", "kind_id": kind.id, "tag_ids": tags.ids, "data": b"\x00\x01raw\xff",
        "payload": payload, "line_ids": [{"name": "first", "quantity": 2}],
    })
    reloaded(record)
    assert (record.name, record.code, record.description) == ("Alpha", "A-1", "first line\nsecond line")
    assert record.count == 7 and record.ratio == 0.25 and record.flag is True
    assert record.weight == Decimal("1234.567") and isinstance(record.weight, Decimal)
    assert str(record.amount) == "19.99"
    assert record.day == dt.date(2024, 2, 29)
    assert record.moment == dt.datetime(2024, 3, 1, 12, 30, 15, tzinfo=UTC)
    assert record.state == "done"
    assert record.kind_id == kind and record.kind_name == "Gold"
    assert record.tag_ids == tags
    assert record.line_ids.mapped("name") == ["first"] and record.line_ids.quantity == 2
    assert record.data == b"\x00\x01raw\xff"
    assert record.payload == payload
    assert record.name_upper == "ALPHA"


def test_decimal_and_monetary_are_exact(records):
    big = Decimal("9999999999999999.99")  # more digits than a float holds
    record = records.create({"name": "exact", "amount": big, "weight": "0.001"})
    reloaded(record)
    assert record.amount == big and str(record.amount) == "9999999999999999.99"
    assert record.weight == Decimal("0.001")
    record.write({"amount": 0.1, "weight": Decimal("2.5")})
    reloaded(record)
    assert str(record.amount) == "0.10" and str(record.weight) == "2.500"
    assert records.search([("amount", "=", Decimal("0.1"))]) == record


def test_money_rounds_half_up(records):
    record = records.create({"name": "round", "amount": Decimal("0.125"), "weight": Decimal("2.0005")})
    assert (record.amount, record.weight) == (Decimal("0.13"), Decimal("2.001"))
    reloaded(record)
    assert (record.amount, record.weight) == (Decimal("0.13"), Decimal("2.001"))


def test_datetime_is_stored_in_utc_and_returned_aware(env, records):
    aware = records.create({"name": "aware", "moment": dt.datetime(2024, 6, 1, 10, 0, tzinfo=JERUSALEM_SUMMER)})
    naive = records.create({"name": "naive", "moment": dt.datetime(2024, 6, 1, 10, 0)})
    text = records.create({"name": "text", "moment": "2024-06-01T10:00:00+03:00"})
    reloaded(aware)
    assert aware.moment == dt.datetime(2024, 6, 1, 7, 0, tzinfo=UTC)
    assert aware.moment.utcoffset() == dt.timedelta(0)
    assert naive.moment == dt.datetime(2024, 6, 1, 10, 0, tzinfo=UTC) and naive.moment.tzinfo is not None
    assert text.moment == aware.moment
    assert str(raw_column(env, "test_record", "moment", aware.id)).startswith("2024-06-01 07:00:00")
    assert records.search([("moment", "<", dt.datetime(2024, 6, 1, 9, 0))]) == aware | text


def test_date_accepts_iso_text_and_datetimes(records):
    from_text = records.create({"name": "text", "day": "2024-02-29"})
    from_datetime = records.create({"name": "moment", "day": dt.datetime(2024, 12, 31, 23, 0)})
    reloaded(from_text)
    assert from_text.day == dt.date(2024, 2, 29)
    assert from_datetime.day == dt.date(2024, 12, 31)
    from_text.write({"day": False})
    assert reloaded(from_text).day is None


BAD_VALUES = [
    ("count", "many"), ("count", 1.5), ("count", True), ("count", 2 ** 40), ("ratio", "a lot"),
    ("weight", "12,5"), ("amount", "ten"), ("amount", Decimal("1e20")), ("amount", "NaN"), ("flag", "maybe"),
    ("day", "2024-02-30"), ("day", "31/12/2024"), ("moment", "yesterday"), ("state", "cancelled"),
    ("name", "x" * 21), ("kind_id", "gold"), ("kind_id", True), ("data", 12), ("payload", {1, 2}),
    ("tag_ids", "red"),
]


def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(records):
    kept = records.create({"name": "kept"})
    before = kept.read([name for name, _value in BAD_VALUES])[0]
    for name, value in BAD_VALUES:
        with pytest.raises(ValidationError) as info:
            records.create([{"name": "good"}, {"name": "bad", name: value}])
        assert info.value.field == name and name in str(info.value), (name, value)
        with pytest.raises(ValidationError) as info:
            kept.write({name: value})
        assert info.value.field == name, (name, value)
    with pytest.raises(ValidationError, match="no field 'colour'"):
        records.create({"name": "x", "colour": "red"})
    assert records.search([]) == kept
    assert reloaded(kept).read(list(before))[0] == before


def test_required_field(records):
    with pytest.raises(ValidationError, match="'Name' is required") as info:
        records.create([{"name": "fine"}, {"code": "no name"}])
    assert info.value.field == "name"
    assert records.search_count([]) == 0
    record = records.create({"name": "named"})
    for empty in (False, None):
        with pytest.raises(ValidationError, match="required"):
            record.write({"name": empty})
    assert reloaded(record).name == "named"


def test_defaults_constant_and_callable(records):
    record = records.create({"name": "defaults"})
    reloaded(record)
    assert (record.count, record.state, record.flag) == (3, "draft", False)
    assert record.label == "new test.record"
    given = records.create({"name": "given", "count": 0, "state": "done", "label": "mine"})
    assert (given.count, given.state, given.label) == (0, "done", "mine")
    assert records.default_get(["count", "state", "label"]) == {"count": 3, "state": "draft",
                                                                 "label": "new test.record"}


def test_related_and_computed_fields_follow_their_sources(env, records):
    kind = env["test.kind"].create({"name": "Gold"})
    record = records.create({"name": "alpha", "kind_id": kind.id})
    assert (record.kind_name, record.name_upper) == ("Gold", "ALPHA")
    kind.write({"name": "Silver"})
    record.write({"name": "beta"})
    reloaded(record)
    assert (record.kind_name, record.name_upper) == ("Silver", "BETA")
    assert records.search([("kind_name", "=", "Silver")]) == record
    assert record.read(["kind_name", "name_upper"])[0] == {"id": record.id, "kind_name": "Silver",
                                                           "name_upper": "BETA"}
    with pytest.raises(DomainError, match="name_upper"):
        records.search([("name_upper", "=", "BETA")])
    with pytest.raises(ValidationError, match="name_upper"):
        record.write({"name_upper": "GAMMA"})


def test_binary_is_not_read_with_the_other_fields(records):
    record = records.create({"name": "file", "data": "text becomes bytes"})
    row = record.read()[0]
    assert "data" not in row and row["name"] == "file"
    assert reloaded(record).data == b"text becomes bytes"
    assert record.read(["data"])[0]["data"] == b"text becomes bytes"


def test_python_constraint_refuses_and_rolls_back(registry):
    with pytest.raises(ValidationError, match="count cannot be negative") as info:
        with registry.env() as env:
            env["test.record"].create([{"name": "fine"}, {"name": "negative", "count": -1}])
    assert info.value.field == "count"
    with registry.env() as env:
        record_id = env["test.record"].create({"name": "fine"}).id
    with pytest.raises(ValidationError, match="count cannot be negative"):
        with registry.env() as env:
            env["test.record"].browse(record_id).write({"count": -5})
    with registry.env() as env:
        assert env["test.record"].search([]).mapped("count") == [3]


@pytest.mark.parametrize("vals, message", [
    ({"code": "A"}, "The code must be unique"),
    ({"code": "B", "amount": Decimal("-0.01")}, "The amount cannot be negative"),
])
def test_sql_constraints_give_their_message(registry, vals, message):
    with registry.env() as env:
        env["test.record"].create({"name": "first", "code": "A"})
    with pytest.raises(ValidationError) as info:
        with registry.env() as env:
            env["test.record"].create({"name": "second", **vals})
    assert str(info.value) == message
    with registry.env() as env:
        assert env["test.record"].search([]).mapped("name") == ["first"]

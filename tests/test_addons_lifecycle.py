"""Addon lifecycle: install, auto_install glue, uninstall (cascade, purge), upgrade, errors.

The test addons ``test_life_a`` (test.life, data with a noupdate record, demo),
``test_life_b`` (extends test.life, owns test.life.note) and ``test_auto_glue``
(auto_install once test_life_a and test_ext_a are both installed) live in tests/addons.
Broken addons are written to ``tmp_path`` by the tests that need them.
"""
import contextlib
import importlib
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.addons import state
from core.addons.manager import init_database, install, load_registry, uninstall, upgrade
from core.exceptions import AddonError
from core.orm.database import make_engine

TEST_ADDONS = Path(__file__).parent / "addons"


# -- helpers ----------------------------------------------------------------------------

@contextlib.contextmanager
def connect(url):
    """A connection of its own to the test database, closed with its engine afterwards."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def table_names(url):
    with connect(url) as connection:
        return set(sa.inspect(connection).get_table_names())


def column_names(url, table):
    with connect(url) as connection:
        return {column["name"] for column in sa.inspect(connection).get_columns(table)}


def rows(url, statement):
    with connect(url) as connection:
        return connection.execute(sa.text(statement)).all()


def installed_names(url):
    with connect(url) as connection:
        return set(state.installed(connection))


def write_addon(root, name, manifest, files=None):
    """Write addon ``name`` under ``root``: manifest lines plus ``{relative path: text}``."""
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "manifest.toml").write_text(f'name = "{name}"\nversion = "1.0.0"\n' + textwrap.dedent(manifest))
    (folder / "__init__.py").write_text(f'"""Test addon {name}."""\n')
    for relative, text in (files or {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def model_files(model_name, class_name):
    """The models package of an addon declaring one model."""
    return {
        "models/__init__.py": f"from .model import {class_name}\n\nMODELS = [{class_name}]\n",
        "models/model.py": f"""
            from core.orm import Model, fields


            class {class_name}(Model):
                _name = "{model_name}"

                name = fields.Char("Name")
            """,
    }


# -- install ----------------------------------------------------------------------------

def test_install_creates_tables_loads_data_and_extends_existing_rows(make_registry, config):
    registry = make_registry(["test_life_a"])
    assert {"test_life", "ir_module_module", "ir_model_data"} <= table_names(config.db_url)
    assert installed_names(config.db_url) == {"base", "test_life_a"}
    with registry.env() as env:
        one = env.ref("test_life_a.life_one")
        assert one._name == "test.life" and (one.name, one.code) == ("One", "L1")
        assert env.ref("test_life_a.life_fixed").name == "Fixed"
        assert env.ref("test_life_a.life_demo", raise_if_not_found=False) is None
        assert sorted(env["test.life"].search([]).mapped("name")) == ["Fixed", "One", "Two"]
    noupdate = dict(rows(config.db_url, "SELECT name, noupdate FROM ir_model_data WHERE module = 'test_life_a'"))
    assert {name: bool(flag) for name, flag in noupdate.items()} == {
        "life_one": False, "life_two": False, "life_fixed": True}

    registry = install(config, ["test_life_b"])
    try:
        assert installed_names(config.db_url) == {"base", "test_life_a", "test_life_b"}
        assert "test_life_note" in table_names(config.db_url)
        with registry.env() as env:
            note = env.ref("test_life_b.note_one")
            assert note.life_id == env.ref("test_life_a.life_one")
            assert set(env["test.life"].search([]).mapped("extra")) == {"b"}  # the new column's default
    finally:
        registry.dispose()


def test_install_with_demo_loads_demo_records(make_registry):
    registry = make_registry(["test_life_a"], demo=True)
    with registry.env() as env:
        assert env.ref("test_life_a.life_demo").name == "Demo life"
        assert env["test.life"].search_count([]) == 4


def test_upgrade_keeps_demo_records_as_the_user_left_them(make_registry, config):
    """Demo records are created once: an upgrade neither removes them (they are not in the
    data files it reloads) nor undoes what the user changed in them."""
    registry = make_registry(["test_life_a"], demo=True)
    with registry.env() as env:
        env.ref("test_life_a.life_demo").write({"name": "Renamed by the user"})
        hq = env.ref("base.partner_hq").name
    registry.dispose()
    upgraded = upgrade(config)
    try:
        with upgraded.env() as env:
            assert env.ref("test_life_a.life_demo").name == "Renamed by the user"
            assert env.ref("base.partner_hq").name == hq
            assert env["test.life"].search_count([]) == 4
    finally:
        upgraded.dispose()


def test_auto_install_glue_comes_with_its_second_dependency_and_goes_with_it(make_registry, config):
    make_registry(["test_life_b"])
    assert "test_auto_glue" not in installed_names(config.db_url)
    registry = install(config, ["test_ext_a"])
    try:
        assert installed_names(config.db_url) == {
            "base", "test_life_a", "test_life_b", "test_ext_a", "test_auto_glue"}
        assert "thing_id" in column_names(config.db_url, "test_life")
        with registry.env() as env:
            lamp, desk = env["test.thing"].create([{"name": "lamp"}, {"name": "desk"}])
            life = env["test.life"].create({"name": "linked", "thing_id": lamp.id})
            env["test.life.note"].create({"life_id": life.id, "text": "kept"})
            env.ref("test_life_a.life_one").write({"thing_id": desk.id})
            assert life.thing_id.describe() == "thing lamp"
            lamp.unlink()  # the column added to an existing table has its foreign key: set null
            env.cache.invalidate()
            assert not life.thing_id
    finally:
        registry.dispose()

    uninstall(config, ["test_ext_a"], cascade=True, purge=True).dispose()
    assert installed_names(config.db_url) == {"base", "test_life_a", "test_life_b"}
    assert "thing_id" not in column_names(config.db_url, "test_life")
    assert "test_thing" not in table_names(config.db_url)
    registry = load_registry(config)
    try:
        with registry.env() as env:
            assert "thing_id" not in env["test.life"]._fields
            assert env.ref("test_life_a.life_one").name == "One"
            assert sorted(env["test.life.note"].search([]).mapped("text")) == ["About one", "kept"]
    finally:
        registry.dispose()


# -- uninstall --------------------------------------------------------------------------

def test_uninstall_is_refused_for_a_dependency_unless_cascading_and_keeps_table_data(make_registry, config):
    registry = make_registry(["test_life_b"])
    with registry.env() as env:
        mine = env["test.life"].create({"name": "Mine"})
        env["test.life.note"].create({"life_id": mine.id, "text": "my note"})
    with pytest.raises(AddonError) as caught:
        uninstall(config, ["test_life_a"])
    message = str(caught.value)
    assert "test_life_a" in message and "test_life_b" in message and "cascade" in message
    assert installed_names(config.db_url) == {"base", "test_life_a", "test_life_b"}

    remaining = uninstall(config, ["test_life_a"], cascade=True)
    try:
        assert installed_names(config.db_url) == {"base"}
        assert "test.life" not in remaining.models
        assert {"test_life", "test_life_note"} <= table_names(config.db_url)
        assert rows(config.db_url, "SELECT name FROM test_life") == [("Mine",)]
        assert rows(config.db_url, "SELECT text FROM test_life_note") == [("my note",)]
        assert rows(config.db_url, "SELECT module FROM ir_model_data WHERE module LIKE 'test_life%'") == []
        assert set(rows(config.db_url, "SELECT name FROM ir_module_module WHERE state = 'uninstalled'")) == {
            ("test_life_a",), ("test_life_b",)}
    finally:
        remaining.dispose()
    registry = load_registry(config)
    try:
        assert "test.life" not in registry.models and "test.life.note" not in registry.models
    finally:
        registry.dispose()


def test_uninstall_purge_drops_the_columns_and_tables_of_the_removed_addons(make_registry, config):
    registry = make_registry(["test_life_b"])
    with registry.env() as env:
        env["test.life"].create({"name": "Mine", "extra": "x"})
    uninstall(config, ["test_life_b"], purge=True).dispose()
    assert "test_life_note" not in table_names(config.db_url)
    assert "extra" not in column_names(config.db_url, "test_life")
    assert ("Mine",) in rows(config.db_url, "SELECT name FROM test_life")
    registry = load_registry(config)
    try:
        with registry.env() as env:
            assert env.ref("test_life_a.life_one").name == "One"
            assert env["test.life"].search_count([]) == 4
    finally:
        registry.dispose()

    uninstall(config, ["test_life_a"], purge=True).dispose()
    tables = table_names(config.db_url)
    assert "test_life" not in tables and "res_partner" in tables
    assert installed_names(config.db_url) == {"base"}


# -- upgrade ----------------------------------------------------------------------------

UPGRADED_MODEL = '''"""test.life, version 1.1: a colour with a constant default."""
from core.orm import Model, fields


class Life(Model):
    _name = "test.life"
    _description = "Test life"

    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    colour = fields.Char("Colour", default="green")
'''

UPGRADED_DATA = '''<?xml version="1.0" encoding="utf-8"?>
<kesher>
  <record id="life_one" model="test.life">
    <field name="name">One v2</field>
    <field name="code">L1</field>
  </record>
  <data noupdate="1">
    <record id="life_fixed" model="test.life">
      <field name="name">Fixed v2</field>
      <field name="code">LF</field>
    </record>
  </data>
</kesher>
'''

MIGRATION = '''
def migrate(env, installed_version):
    env["test.life"].create({"name": f"migrated from {installed_version}"})
'''


def installed_copy(config, make_registry, tmp_path, forget_modules):
    """``(folder, config, registry)``: a copy of test_life_a, installed, that a test may upgrade."""
    addon = shutil.copytree(TEST_ADDONS / "test_life_a", tmp_path / "addons" / "test_life_a")
    cfg = config.with_overrides(addons_paths=[str(tmp_path / "addons")])
    forget_modules("kesher_addons.test_life_a")
    return addon, cfg, make_registry(["test_life_a"], cfg=cfg)


def test_upgrade_adds_columns_reloads_data_and_runs_migrations(config, make_registry, tmp_path, forget_modules):
    addon, cfg, registry = installed_copy(config, make_registry, tmp_path, forget_modules)
    with registry.env() as env:
        env.ref("test_life_a.life_one").write({"name": "One edited"})
        env.ref("test_life_a.life_fixed").write({"name": "Fixed by user"})
        mine = env["test.life"].create({"name": "Mine", "code": "M"})

    (addon / "models" / "life.py").write_text(UPGRADED_MODEL)
    (addon / "data" / "life_data.xml").write_text(UPGRADED_DATA)
    manifest = addon / "manifest.toml"
    manifest.write_text(manifest.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    (addon / "migrations" / "1.1.0").mkdir(parents=True)
    (addon / "migrations" / "1.1.0" / "post.py").write_text(MIGRATION)
    forget_modules("kesher_addons.test_life_a")  # the new code, as a new process would load it
    importlib.invalidate_caches()

    upgraded = upgrade(cfg, ["test_life_a"])
    try:
        assert "colour" in column_names(cfg.db_url, "test_life")
        with upgraded.env() as env:
            user_row = env["test.life"].browse(mine.id)
            assert (user_row.name, user_row.code, user_row.colour) == ("Mine", "M", "green")
            assert set(env["test.life"].search([]).mapped("colour")) == {"green"}
            assert env.ref("test_life_a.life_one").name == "One v2"
            assert env.ref("test_life_a.life_fixed").name == "Fixed by user"
            assert env.ref("test_life_a.life_two", raise_if_not_found=False) is None
            assert not env["test.life"].search([("name", "=", "Two")])
            assert env["test.life"].search_count([("name", "=", "migrated from 1.0.0")]) == 1
        assert rows(cfg.db_url, "SELECT version FROM ir_module_module WHERE name = 'test_life_a'") == [("1.1.0",)]
    finally:
        upgraded.dispose()

    upgrade(cfg).dispose()  # nothing newer: the migration does not run again
    again = load_registry(cfg)
    try:
        with again.env() as env:
            assert env["test.life"].search_count([("name", "=like", "migrated from%")]) == 1
    finally:
        again.dispose()



CONSTRAINED_MODEL = '''"""test.life, version 1.1: codes are unique and not empty."""
from core.orm import Model, fields


class Life(Model):
    _name = "test.life"
    _description = "Test life"
    _sql_constraints = [("code_uniq", "unique(code)", "Two records cannot share a code"),
                        ("code_not_empty", "check(code <> '')", "A code cannot be empty")]

    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
'''


def _upgrade_to_constrained(addon, forget_modules):
    (addon / "models" / "life.py").write_text(CONSTRAINED_MODEL)
    manifest = addon / "manifest.toml"
    manifest.write_text(manifest.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    forget_modules("kesher_addons.test_life_a")
    importlib.invalidate_caches()


def test_upgrade_adds_constraints_declared_after_the_table_was_made(config, make_registry, tmp_path,
                                                                     forget_modules):
    from core.exceptions import UserError
    addon, cfg, _registry = installed_copy(config, make_registry, tmp_path, forget_modules)
    _upgrade_to_constrained(addon, forget_modules)
    upgraded = upgrade(cfg, ["test_life_a"])
    try:
        with upgraded.env() as env:
            taken = env["test.life"].search([("code", "!=", False)], limit=1).code
        with pytest.raises(UserError, match="Two records cannot share a code"), upgraded.env() as env:
            env["test.life"].create({"name": "Copy", "code": taken})
        if not cfg.db_url.startswith("sqlite"):  # SQLite cannot add a check to an existing table
            with pytest.raises(UserError, match="A code cannot be empty"), upgraded.env() as env:
                env["test.life"].create({"name": "Empty", "code": ""})
    finally:
        upgraded.dispose()


def test_upgrade_refused_by_rows_that_break_a_new_constraint_changes_nothing(config, make_registry, tmp_path,
                                                                             forget_modules):
    addon, cfg, registry = installed_copy(config, make_registry, tmp_path, forget_modules)
    with registry.env() as env:
        env["test.life"].create([{"name": "A", "code": "SAME"}, {"name": "B", "code": "SAME"}])
    _upgrade_to_constrained(addon, forget_modules)
    with pytest.raises(AddonError, match="existing rows break the new constraint test_life_code_uniq "
                                         r"\(Two records cannot share a code\)"):
        upgrade(cfg, ["test_life_a"])
    assert rows(cfg.db_url, "SELECT version FROM ir_module_module WHERE name = 'test_life_a'") == [("1.0.0",)]
    assert rows(cfg.db_url, "SELECT count(*) FROM test_life WHERE code = 'SAME'") == [(2,)]

# -- errors -----------------------------------------------------------------------------

def test_missing_dependency_writes_nothing_even_on_a_new_database(config, tmp_path):
    root = tmp_path / "bad"
    write_addon(root, "test_bad_dep", 'depends = ["test_nowhere"]\n',
                model_files("test.bad.dep", "BadDep"))
    cfg = config.with_overrides(addons_paths=[str(TEST_ADDONS), str(root)])
    with pytest.raises(AddonError, match="test_nowhere"):
        init_database(cfg, ["test_bad_dep"])
    assert table_names(cfg.db_url) == set()


def test_failed_installs_write_nothing(make_registry, config, tmp_path, forget_modules):
    """A missing dependency, a cycle, a data file with an unknown field: the database is unchanged."""
    forget_modules("kesher_addons.test_bad_dep", "kesher_addons.test_cyc_x", "kesher_addons.test_cyc_y",
                   "kesher_addons.test_bad_xml")
    root = tmp_path / "bad"
    write_addon(root, "test_bad_dep", 'depends = ["test_nowhere"]\n', model_files("test.bad.dep", "BadDep"))
    write_addon(root, "test_cyc_x", 'depends = ["test_cyc_y"]\n', model_files("test.cyc.x", "CycX"))
    write_addon(root, "test_cyc_y", 'depends = ["test_cyc_x"]\n', model_files("test.cyc.y", "CycY"))
    bad_xml = write_addon(root, "test_bad_xml", 'data = ["data/bad.xml"]\n', {
        **model_files("test.bad.xml", "BadXml"),
        "data/bad.xml": """
            <?xml version="1.0" encoding="utf-8"?>
            <kesher>
              <record id="bad_one" model="test.bad.xml">
                <field name="name">fine</field>
                <field name="colour">red</field>
              </record>
            </kesher>
            """,
    })
    cfg = config.with_overrides(addons_paths=[str(TEST_ADDONS), str(root)])
    make_registry([], cfg=cfg)
    before = table_names(cfg.db_url)

    with pytest.raises(AddonError, match="'test_bad_dep' depends on 'test_nowhere'"):
        install(cfg, ["test_bad_dep"])
    with pytest.raises(AddonError, match="cycle: test_cyc_x -> test_cyc_y -> test_cyc_x"):
        install(cfg, ["test_cyc_x"])
    with pytest.raises(AddonError) as caught:
        install(cfg, ["test_bad_xml"])
    message = str(caught.value)
    assert str(bad_xml / "data" / "bad.xml") in message
    assert "line 5" in message and "'colour'" in message

    assert table_names(cfg.db_url) == before
    assert installed_names(cfg.db_url) == {"base"}


def test_external_entities_in_a_data_file_are_not_expanded(make_registry, config, tmp_path, forget_modules):
    forget_modules("kesher_addons.test_xxe")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    root = tmp_path / "evil"
    write_addon(root, "test_xxe", 'data = ["data/xxe.xml"]\n', {
        **model_files("test.xxe", "Xxe"),
        "data/xxe.xml": f"""
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE kesher [
              <!ENTITY passwd SYSTEM "file:///etc/passwd">
              <!ENTITY secret SYSTEM "file://{secret}">
            ]>
            <kesher>
              <record id="one" model="test.xxe">
                <field name="name">a&passwd;b&secret;c</field>
              </record>
            </kesher>
            """,
    })
    cfg = config.with_overrides(addons_paths=[str(TEST_ADDONS), str(root)])
    with pytest.raises(AddonError, match=r"xxe\.xml: line 1: a DOCTYPE is not allowed") as refused:
        make_registry(["test_xxe"], cfg=cfg)
    assert "TOPSECRET" not in str(refused.value) and "root:" not in str(refused.value)
    assert installed_names(cfg.db_url) <= {"base"}


# -- dates relative to the day of loading, methods applied ------------------------------------
APPLIED_MODEL = {
    "models/__init__.py": "from .model import Applied\n\nMODELS = [Applied]\n",
    "models/model.py": """
        from core.orm import Model, fields


        class Applied(Model):
            _name = "test.applied"

            name = fields.Char("Name")
            date = fields.Date("Date")
            state = fields.Char("State", default="draft")

            def action_follow_up(self, date=None):
                self.write({"state": "followed"})
                return {"follow_up": self.create({"name": self.name + " (follow-up)", "date": date})}
        """,
}


def test_data_dates_relative_to_today_and_methods_applied_once(make_registry, config, tmp_path, forget_modules):
    import datetime as dt
    forget_modules("kesher_addons.test_applies")
    root = tmp_path / "applied"
    write_addon(root, "test_applies", 'demo = ["demo/demo.xml"]\n', {**APPLIED_MODEL, "demo/demo.xml": """
        <?xml version="1.0" encoding="utf-8"?>
        <kesher>
          <record id="first" model="test.applied">
            <field name="name">First</field>
            <field name="date" days="-20"/>
          </record>
          <apply ref="first" method="action_follow_up" save_as="first_follow_up">
            <arg name="date" days="14"/>
          </apply>
        </kesher>
        """})
    cfg = config.with_overrides(addons_paths=[str(TEST_ADDONS), str(root)])
    registry = make_registry(["test_applies"], demo=True, cfg=cfg)
    today = dt.date.today()
    with registry.env() as env:
        first, follow_up = env.ref("test_applies.first"), env.ref("test_applies.first_follow_up")
        assert (first.date, first.state) == (today - dt.timedelta(days=20), "followed")
        assert (follow_up.name, follow_up.date) == ("First (follow-up)", today + dt.timedelta(days=14))
    registry.dispose()
    upgrade(cfg).dispose()
    again = load_registry(cfg)
    try:
        with again.env() as env:
            assert env["test.applied"].search_count([]) == 2  # not applied a second time
            assert env.ref("test_applies.first_follow_up").name == "First (follow-up)"
    finally:
        again.dispose()


@pytest.mark.parametrize("xml, problem", [
    ('<apply ref="first" method="_private"/>', "public method"),
    ('<apply ref="first" method="nope"/>', "has no method 'nope'"),
    ('<apply ref="nowhere" method="action_follow_up"/>', "'nowhere' not found"),
    ('<record id="x" model="test.applied"><field name="name" days="3"/></record>', "only for date fields"),
    ('<record id="x" model="test.applied"><field name="date" days="soon"/></record>', "not a whole number"),
])
def test_bad_apply_or_relative_date_is_a_clear_error(make_registry, config, tmp_path, forget_modules, xml, problem):
    forget_modules("kesher_addons.test_bad_apply")
    root = tmp_path / "bad_apply"
    write_addon(root, "test_bad_apply", 'data = ["data/data.xml"]\n', {
        **APPLIED_MODEL,
        "data/data.xml": f"""
            <?xml version="1.0" encoding="utf-8"?>
            <kesher>
              <record id="first" model="test.applied"><field name="name">First</field></record>
              {xml}
            </kesher>
            """})
    cfg = config.with_overrides(addons_paths=[str(TEST_ADDONS), str(root)])
    with pytest.raises(AddonError, match=problem) as refused:
        make_registry(["test_bad_apply"], cfg=cfg)
    assert "data.xml: line" in str(refused.value)
    assert installed_names(cfg.db_url) <= {"base"}


# -- entry points -----------------------------------------------------------------------

EP_MODEL = '''"""An item of an addon installed as a Python distribution."""
from core.orm import Model, fields


class EpItem(Model):
    _name = "test.ep.item"
    _description = "Entry point item"

    name = fields.Char("Name", required=True)

    def shout(self):
        return self.name.upper()
'''


def test_addon_found_through_an_entry_point(make_registry, config, tmp_path, monkeypatch, forget_modules):
    site = tmp_path / "site"
    package = site / "test_ep_addon"
    (package / "models").mkdir(parents=True)
    (package / "manifest.toml").write_text('name = "test_ep_addon"\nversion = "2.0.0"\n'
                                           'summary = "Installed with pip"\n')
    (package / "__init__.py").write_text('"""An addon shipped as a distribution."""\n')
    (package / "models" / "__init__.py").write_text("from .item import EpItem\n\nMODELS = [EpItem]\n")
    (package / "models" / "item.py").write_text(EP_MODEL)
    dist_info = site / "test_ep_addon-2.0.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: test-ep-addon\nVersion: 2.0.0\n")
    (dist_info / "entry_points.txt").write_text("[kesher.addons]\ntest_ep_addon = test_ep_addon\n")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    forget_modules("test_ep_addon")

    registry = make_registry(["test_ep_addon"])
    assert "test_ep_addon" in installed_names(config.db_url)
    assert rows(config.db_url, "SELECT version FROM ir_module_module WHERE name = 'test_ep_addon'") == [("2.0.0",)]
    with registry.env() as env:
        item = env["test.ep.item"].create({"name": "shipped"})
        assert item.shout() == "SHIPPED"
    assert sys.modules["test_ep_addon"].__file__ == str(package / "__init__.py")

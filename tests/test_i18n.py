"""Internationalisation: extraction, catalogs, lazy translation, Hebrew formatting, completeness."""
import datetime as dt
import io
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner
from lxml import etree

from core.addons.discovery import discover
from core.i18n import format as fmt, translate
from core.i18n.catalogs import check_po, extract_catalog, po_path, update_po
from core.i18n.extract import auto_label, extract_jinja, extract_python, extract_xml

PY_SOURCE = textwrap.dedent('''\
    from core.exceptions import AccessError, UserError, ValidationError
    from core.orm import Model, fields
    from core.i18n import _, _lt

    STATES = [("draft", "Draft"), ("done", "Done")]
    KINDS = ("minutes", "hours")
    BANNER = _lt("Welcome back")


    class Order(Model):
        _name = "sale.thing"
        _description = "Sales thing"

        name = fields.Char("Reference", required=True, help="Shown on prints")
        partner_id = fields.Many2one("res.partner", "Customer")
        line_ids = fields.One2many("sale.thing.line", "thing_id", "Lines")
        tag_ids = fields.Many2many("res.tag", "thing_tag_rel", "thing_id", "tag_id", "Tags")
        kind = fields.Selection([("a", "Alpha"), ("b", "Beta")], string="Kind")
        state = fields.Selection(STATES, "Status")
        unit = fields.Selection([(k, k.capitalize()) for k in KINDS], "Unit")
        note_date = fields.Date()

        _sql_constraints = [("name_uniq", "unique(name)", "Another thing has this reference")]

        def check(self, lang):
            today = fields.Date().convert("2025-01-01")
            if not self.name:
                raise ValidationError("A thing needs a reference", field="name")
            if self.state == "x":
                raise UserError(f"Thing {self.name} is broken")
            raise AccessError("You may not "
                              "touch this")

        def label(self, lang):
            return _("Plain message"), gettext(lang, "Per-language message")
''')

XML_SOURCE = textwrap.dedent('''\
    <?xml version="1.0" encoding="utf-8"?>
    <kesher>
      <record id="group_sales" model="res.groups">
        <field name="name">Salesman</field>
        <field name="category">Sales</field>
      </record>
      <record id="uom_box" model="uom.uom">
        <field name="name">Box</field>
      </record>
      <record id="family_misc" model="product.family">
        <field name="name">Miscellaneous</field>
      </record>
      <record id="view_thing_form" model="ir.ui.view">
        <field name="arch" type="xml">
          <form string="Thing">
            <field name="amount" sum="Total amount" help="Before VAT"/>
            <field name="email" placeholder="name@example.com"/>
            <button name="confirm" string="Confirm" confirm="Confirm this thing?"/>
          </form>
        </field>
      </record>
      <action id="action_things" name="Things" model="sale.thing">
        No thing yet: create the first one.
      </action>
      <menuitem id="menu_things" name="All things" action="action_things"/>
    </kesher>
''')


def _messages(method, source):
    return [(line, message, comments) for line, message, comments, _ctx in
            extract(method, io.BytesIO(source.encode()), comment_tags=(), options={})]


def _by_text(found):
    return {message: line for line, message, _comments in found}


def _line(source, text):  # the number of the first line of ``source`` holding ``text``
    return next(number for number, line in enumerate(source.splitlines(), 1) if text in line)


def test_python_extractor_finds_labels_help_selections_descriptions_and_errors():
    found = _by_text(_messages(extract_python, PY_SOURCE))
    at = lambda text: _line(PY_SOURCE, text)  # noqa: E731
    assert found["Sales thing"] == at("_description")
    assert found["Reference"] == found["Shown on prints"] == at("name = fields.Char")
    assert (found["Customer"], found["Lines"], found["Tags"]) == (at("partner_id ="), at("line_ids ="), at("tag_ids ="))
    assert "res.partner" not in found and "thing_tag_rel" not in found and "sale.thing.line" not in found
    assert found["Alpha"] == found["Beta"] == found["Kind"] == at("kind =")
    assert found["Draft"] == found["Done"] == found["Status"] == at("state =")
    assert found["Minutes"] == found["Hours"] == at("unit =")
    assert found["Note date"] == at("note_date =")  # the label Kesher derives from the attribute name
    assert found["Another thing has this reference"] == at("_sql_constraints")
    assert found["A thing needs a reference"] == at("raise ValidationError")
    assert found["You may not touch this"] == at("raise AccessError")
    assert not any(text.startswith("Thing ") for text in found)  # f-strings are skipped
    assert found["Welcome back"] == at("BANNER")
    assert found["Plain message"] == found["Per-language message"] == at("return _(")
    assert "2025-01-01" not in found and "Date" not in found
    comments = {message: comments for _line, message, comments in _messages(extract_python, PY_SOURCE)}
    assert comments["Customer"] == ["field label: sale.thing.partner_id"]
    assert comments["Shown on prints"] == ["field help: sale.thing.name"]
    assert comments["Alpha"] == ["selection label: sale.thing.kind"]


def test_auto_label_matches_the_field_binding():
    from core.orm import fields
    for name in ("note_date", "partner_id", "line_ids", "zip"):
        assert auto_label(name) == fields.Char().bind("x.y", name).string


def test_xml_extractor_finds_attributes_menus_and_translatable_record_fields_with_lines():
    found = _messages(extract_xml, XML_SOURCE)
    lines = _by_text(found)
    assert (lines["Salesman"], lines["Box"], lines["Thing"], lines["name@example.com"]) == (4, 8, 15, 17)
    assert lines["Total amount"] == lines["Before VAT"] == 16 and lines["Confirm"] == lines["Confirm this thing?"] == 18
    assert lines["Things"] == lines["No thing yet: create the first one."] == 22 and lines["All things"] == 25
    assert "Miscellaneous" not in lines and "Sales" not in lines and "confirm" not in lines
    assert ("Total amount", ["field sum"]) in [(m, c) for _l, m, c in found]


def test_values_of_fields_declared_translate_are_messages_and_shown_translated(tmp_path):
    """A data record's value of a ``translate=True`` field (a warehouse, a status, a unit)
    is extracted from the addon's data files and shown translated in the web UI."""
    from core.i18n.extract import translatable_fields
    from core.orm import fields
    from core.web.values import display
    addon = tmp_path / "depot"
    (addon / "models").mkdir(parents=True)
    (addon / "data").mkdir()
    (addon / "manifest.toml").write_text('name = "depot"\nversion = "1.0.0"\n')
    (addon / "models" / "depot.py").write_text(textwrap.dedent("""
        from core.orm import Model, fields

        class Depot(Model):
            _name = "depot.depot"
            name = fields.Char("Name", required=True, translate=True)
            code = fields.Char("Code")
        """))
    data = addon / "data" / "depot.xml"
    data.write_text('<kesher>\n<record id="main" model="depot.depot">\n'
                    '<field name="name">Main depot</field><field name="code">MAIN</field></record>\n</kesher>')
    translatable_fields.cache_clear()
    with open(data, "rb") as handle:
        found = [(line, message) for line, message, _c, _x in extract(extract_xml, handle, comment_tags=(), options={})]
    assert found == [(3, "Main depot")]  # not the code: it is not declared translate=True
    assert translatable_fields()["uom.uom"] == {"name"}  # base's, found in its sources
    unit = fields.Char("Unit", translate=True).bind("uom.uom", "name")
    assert display(unit, "Unit", "he") == translate.gettext("he", "Unit") != "Unit"
    assert display(fields.Char("Code").bind("x.y", "code"), "Units", "he") == "Units"


def test_xml_extractor_does_not_resolve_entities():
    evil = '<?xml version="1.0"?><!DOCTYPE k [<!ENTITY e SYSTEM "file:///etc/passwd">]>' \
           '<kesher><record id="g" model="res.groups"><field name="name">&e;</field></record></kesher>'
    assert all("root" not in message for _line, message, _c in _messages(extract_xml, evil))
    with pytest.raises(etree.XMLSyntaxError):  # an external entity in an attribute is refused outright
        _messages(extract_xml, evil.replace('<record id="g"', '<menuitem id="m" name="&e;"/><record id="g"'))


def test_jinja_extractor_reads_tr_and_gettext_calls():
    template = '<h1>{{ tr(lang, "Sign in") }}</h1>\n<p>{{ _("Forgot your password?") }}</p>\n'
    assert _by_text(_messages(extract_jinja, template)) == {"Sign in": 1, "Forgot your password?": 2}


def _template(*msgids):
    catalog = Catalog(domain="demo", project="Kesher", version="1.0")
    for index, msgid in enumerate(msgids):
        catalog.add(msgid, None, [("demo/models.py", index + 1)])
    return catalog


def _write_po(path, pairs, fuzzy=()):
    catalog = Catalog(locale="he", domain="demo", fuzzy=False)
    for msgid, msgstr in pairs.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def test_update_keeps_existing_translations_adds_new_and_drops_gone_entries(tmp_path):
    path = tmp_path / "he" / "LC_MESSAGES" / "demo.po"
    _write_po(path, {"Customer": "לקוח", "Price list": "מחירון", "Old label": "תווית ישנה"})
    report = update_po(_template("Customer", "Price list", "Supplier"), path, "he", "demo")
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="he")
    assert catalog["Customer"].string == "לקוח" and catalog["Price list"].string == "מחירון"
    assert catalog["Supplier"].string == "" and catalog.get("Old label") is None
    assert report.total == 3 and report.untranslated == ["Supplier"] and report.errors == []
    created = update_po(_template("Customer"), tmp_path / "new.po", "he", "demo")  # a missing catalog
    assert created.path.is_file() and created.untranslated == ["Customer"]


def test_check_reports_fuzzy_entries_and_broken_placeholders(tmp_path):
    path = tmp_path / "he" / "LC_MESSAGES" / "demo.po"
    _write_po(path, {"Hello {name}": "שלום {שם}", "Year %(year)s": "שנה %(year)s", "Maybe": "אולי"},
              fuzzy={"Maybe"})
    report = check_po(path)
    assert report.fuzzy == ["Maybe"] and report.translated == 2
    assert len(report.errors) == 1 and "{name}" in report.errors[0]


@pytest.fixture
def demo_addon(tmp_path):
    """A third-party addon folder with its own Hebrew catalog, known to the translation layer."""
    folder = tmp_path / "demo"
    _write_po(folder / "i18n" / "he" / "LC_MESSAGES" / "demo.po", {"Hello": "שלום", "Customer": "לקוח יקר"})
    translate.register_addon_folder("demo", folder)
    yield folder
    translate._folders.pop("demo", None)
    translate.clear_cache()


def test_addon_catalogs_merge_in_dependency_order(demo_addon):
    assert translate.gettext("he", "Hello", addons=["base", "demo"]) == "שלום"
    assert translate.gettext("he", "Customer", addons=["base"]) == "לקוח"
    assert translate.gettext("he", "Customer", addons=["base", "demo"]) == "לקוח יקר"  # the later addon wins
    assert translate.translations("he", ["base", "demo"]).dgettext("base", "Customer") == "לקוח"
    assert translate.gettext("he", "Not in any catalog", addons=["base", "demo"]) == "Not in any catalog"
    assert translate.gettext("en", "Hello", addons=["demo"]) == "Hello"


def test_lazy_strings_follow_the_current_language(demo_addon):
    greeting, label = translate._lt("Hello"), translate._lt("Supplier")
    assert str(greeting) == "Hello" and f"{label}" == "Supplier"
    with translate.use_lang("he", addons=["base", "demo"]):
        assert str(greeting) == "שלום" and f"[{label}]" == "[ספק]" and label + "!" == "ספק!"
        assert translate._("Customer") == "לקוח יקר"
        with translate.use_lang("en"):
            assert str(greeting) == "Hello"
        assert greeting == "שלום"
    assert str(greeting) == "Hello" and translate.get_lang() == "en"


def test_a_use_lang_block_translates_with_its_addons_only(demo_addon):
    """A web request gives its database's addons: a catalog of another addon the process
    knows (another database's, a test's) does not change its words."""
    with translate.use_lang("he", addons=["base", "demo"]):
        assert translate.gettext("he", "Customer") == "לקוח יקר"
    with translate.use_lang("he", addons=["base"]):
        assert translate.gettext("he", "Customer") == "לקוח" == translate._("Customer")
        assert translate.translate_label("he", "Customer") == "לקוח"


def test_translate_label_uses_the_base_catalog():
    assert translate.translate_label("he", "VAT rate") == 'שיעור מע"מ'
    assert translate.translate_label("he", "Company number") == "ח.פ."
    assert translate.translate_label("he_IL", "Customer") == "לקוח"  # a regional code falls back to he
    assert translate.translate_label("he", None) is None and translate.translate_label("he", "") == ""
    assert translate.translate_label("en", "Customer") == "Customer"


def test_hebrew_amounts_show_the_shekel_sign():
    shown = fmt.format_amount(Decimal("1234.5"), lang="he")
    assert "₪" in shown and "1,234.50" in shown
    assert fmt.for_export(shown) == "1,234.50\xa0₪"
    assert fmt.for_export(fmt.format_amount(Decimal("0.125"), lang="he")) == "0.13\xa0₪"  # half up
    assert fmt.format_amount(Decimal("1234.5"), "USD", lang="en") == "$1,234.50"
    assert fmt.format_amount(None) == ""
    assert fmt.format_decimal(Decimal("1234.567"), lang="he", digits=2) == "1,234.57"


def test_hebrew_dates_week_start_and_time_zone():
    assert fmt.babel_locale("he").territory == "IL" and fmt.babel_locale("en").territory == "US"
    assert fmt.babel_locale("he").first_week_day == 6  # Sunday
    assert fmt.babel_locale("en").first_week_day == 6
    assert fmt.format_date(dt.date(2025, 3, 9), lang="he") == "9.3.2025"
    assert fmt.format_date(dt.date(2025, 3, 9), "he", "long") == "9 במרץ 2025"
    assert fmt.format_date(dt.date(2025, 3, 9), "he", format="full").startswith("יום ראשון")
    with translate.use_lang("he"):
        assert fmt.format_date("2025-03-09") == "9.3.2025"
    moment = dt.datetime(2025, 7, 1, 9, 30)  # UTC, as stored; shown in the user's time zone
    assert fmt.format_datetime(moment, lang="he") == "1.7.2025, 12:30"  # Israel summer time, UTC+3
    assert fmt.format_datetime(moment, "UTC", lang="he") == "1.7.2025, 9:30"
    assert "9:30" in fmt.format_datetime(moment, "UTC", lang="en")


def test_cli_extract_update_compile_for_an_addon_of_the_addons_path(tmp_path):
    from core.cli.i18n import i18n
    from core.cli.main import Context
    addons = tmp_path / "addons"
    (addons / "extra" / "models").mkdir(parents=True)
    (addons / "extra" / "manifest.toml").write_text('name = "extra"\nversion = "1.0.0"\ndepends = ["base"]\n')
    (addons / "extra" / "__init__.py").write_text("")
    (addons / "extra" / "models" / "thing.py").write_text(PY_SOURCE)
    (addons / "extra" / "models" / "constants.py").write_text('PHASES = [("new", "Brand new")]\n')
    (addons / "extra" / "models" / "phase.py").write_text(
        "from core.orm import Model, fields\nfrom .constants import PHASES\n\n\nclass Phase(Model):\n"
        "    _name = 'extra.phase'\n    phase = fields.Selection(PHASES, 'Phase')\n")
    obj = Context(f"sqlite:///{tmp_path / 'db.sqlite3'}", None, str(addons), False)
    runner = CliRunner()
    result = runner.invoke(i18n, ["extract", "extra"], obj=obj)
    assert result.exit_code == 0, result.output
    template = (addons / "extra" / "i18n" / "extra.pot").read_text()
    assert 'msgid "Brand new"' in template and "extra/models/phase.py:7" in template  # an imported constant
    result = runner.invoke(i18n, ["update", "--lang", "he", "extra"], obj=obj)
    assert result.exit_code == 0 and "untranslated" in result.output
    assert runner.invoke(i18n, ["compile", "extra"], obj=obj).exit_code == 0
    strict = runner.invoke(i18n, ["compile", "--strict", "extra"], obj=obj)
    assert strict.exit_code == 1 and "extra [he]" in strict.output
    assert runner.invoke(i18n, ["extract", "nosuchaddon"], obj=obj).exit_code != 0


def _shipped_addons():
    from core.i18n.catalogs import in_repository
    return sorted(name for name, manifest in discover(use_entry_points=False).items() if in_repository(manifest))


@pytest.mark.parametrize("addon", _shipped_addons())
def test_every_message_of_a_shipped_addon_has_a_hebrew_translation(addon):
    """Extract afresh: a new label anywhere in the addon without a Hebrew translation fails here."""
    manifest = discover(use_entry_points=False)[addon]
    template = extract_catalog(manifest)
    path = po_path(manifest, "he")
    assert path == Path(translate.REPO_I18N) / "he" / "LC_MESSAGES" / f"{addon}.po"
    assert path.exists(), f"{path} is missing (run `kesher i18n extract {addon} && kesher i18n update --lang he {addon}`)"
    with open(path, "rb") as handle:
        hebrew = read_po(handle, locale="he", domain=addon)
    missing = [message.id for message in template if message.id and not (
        hebrew.get(message.id) is not None and hebrew[message.id].string
        and not hebrew[message.id].fuzzy)]
    if addon == "base":
        assert len(template) > 150
    assert missing == [], f"untranslated in {path} (run `kesher i18n extract {addon} && kesher i18n update " \
                          f"--lang he {addon}`, then translate): {missing}"
    report = check_po(path, addon, "he")
    assert report.errors == [] and report.fuzzy == []


def test_one_english_text_has_one_hebrew_translation_across_the_shipped_catalogs():
    """The catalogs of the installed addons are merged, a later addon's entry winning: the
    same English in two catalogs with two translations would make the installed addons
    decide the word on every screen. Homonyms get distinct English labels instead."""
    seen, conflicts = {}, []
    for addon in _shipped_addons():
        with open(po_path(discover(use_entry_points=False)[addon], "he"), "rb") as handle:
            for message in read_po(handle, locale="he"):
                if not message.id or not message.string:
                    continue
                first = seen.setdefault(message.id, (addon, message.string))
                if first[1] != message.string:
                    conflicts.append(f"{message.id!r}: {first[0]} {first[1]!r} / {addon} {message.string!r}")
    assert conflicts == []

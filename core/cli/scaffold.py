"""``kesher scaffold NAME``: a new addon that installs, works and has a passing test."""
from pathlib import Path

from ..exceptions import KesherError

MANIFEST = '''name = "{name}"
version = "1.0.0"
summary = "{title}"
license = "LGPL-3.0-or-later"
depends = ["base"]
data = []
demo = []
'''

INIT = '''"""{title}."""
'''

MODELS_INIT = '''"""The model classes of this addon, read by the registry."""
from .res_partner import Partner{camel}

MODELS = [Partner{camel}]
'''

MODEL = '''"""{title}: adds a note field to partners."""
from core.orm import Model, fields


class Partner{camel}(Model):
    _inherit = "res.partner"

    {name}_note = fields.Char("{title} note", help="A note kept by the {name} addon")
'''

TEST = '''"""The {name} addon installs, stores its field and uninstalls cleanly."""
from pathlib import Path

from core.addons.manager import init_database, uninstall
from core.config import load_config

ADDONS_PATH = Path(__file__).resolve().parents[2]


def test_{name}_note(tmp_path):
    config = load_config(environ={{}}).with_overrides(
        db_url=f"sqlite:///{{tmp_path / 'test.sqlite3'}}", addons_paths=[str(ADDONS_PATH)])
    registry = init_database(config, ["{name}"])
    with registry.env() as env:
        partner = env["res.partner"].create({{"name": "Test partner", "{name}_note": "hello"}})
        assert env["res.partner"].search([("{name}_note", "=", "hello")]) == partner
    registry = uninstall(config, ["{name}"])
    assert "{name}_note" not in registry.models["res.partner"]._fields
'''


def create_addon(name, folder):
    """Write the addon ``name`` under ``folder`` and return its path."""
    if not name.isidentifier() or not name.islower():
        raise KesherError(f"Addon name {name!r} must be a lower-case Python identifier, e.g. my_addon")
    path = Path(folder) / name
    if path.exists():
        raise KesherError(f"{path} already exists")
    values = {"name": name, "title": name.replace("_", " ").capitalize(),
              "camel": "".join(part.capitalize() for part in name.split("_"))}
    files = {
        "manifest.toml": MANIFEST, "__init__.py": INIT, "models/__init__.py": MODELS_INIT,
        "models/res_partner.py": MODEL, f"tests/test_{name}.py": TEST,
    }
    for relative, template in files.items():
        target = path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.format(**values), encoding="utf-8")
    return path

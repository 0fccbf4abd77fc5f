"""The generated documentation is kept in step with the code."""
from pathlib import Path

from core.config import load_config
from core.hooks.docs import hook_docs

ROOT = Path(__file__).resolve().parent.parent


def test_hook_lists_are_current():
    """docs/hooks.md lists the core's hooks, each addon's hooks.md its own."""
    for path, expected in hook_docs(load_config(environ={})).items():
        assert path.exists(), f"{path} is missing: run `kesher hooks --write`"
        assert path.read_text(encoding="utf-8") == expected, f"{path} is stale: run `kesher hooks --write`"


def test_every_core_hook_is_documented():
    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    from core.hooks import specs
    for name in dir(specs):
        if name.startswith("kesher_"):
            assert f"`{name}`" in text

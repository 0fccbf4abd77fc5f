"""The generated documentation is kept in step with the code."""
from pathlib import Path

from core.config import load_config
from core.hooks.docs import hook_list

ROOT = Path(__file__).resolve().parent.parent


def test_hook_list_is_current():
    expected = hook_list(load_config(environ={}), markdown=True).rstrip("\n")
    actual = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8").rstrip("\n")
    assert actual == expected, "docs/hooks.md is stale: run `kesher hooks --markdown > docs/hooks.md`"


def test_every_core_hook_is_documented():
    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    from core.hooks import specs
    for name in dir(specs):
        if name.startswith("kesher_"):
            assert f"`{name}`" in text

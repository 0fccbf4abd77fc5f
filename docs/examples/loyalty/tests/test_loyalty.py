"""The loyalty example: install, earn points, change tier, refuse bad input."""
from pathlib import Path

import pytest

from core.addons.manager import init_database
from core.config import load_config
from core.exceptions import ValidationError

EXAMPLES = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path):
    config = load_config(environ={}).with_overrides(
        db_url=f"sqlite:///{tmp_path / 'loyalty.sqlite3'}", addons_paths=[str(EXAMPLES)])
    registry = init_database(config, ["loyalty"])
    environment = registry.env()
    yield environment
    environment.close()
    registry.dispose()


def test_points_move_the_tier(env):
    partner = env["res.partner"].create({"name": "Dana"})
    assert partner.loyalty_tier_id == env.ref("loyalty.tier_basic")
    partner.add_points(1500)
    assert partner.loyalty_tier_id == env.ref("loyalty.tier_gold")
    assert env["res.partner"].search([("loyalty_tier_id.name", "=", "Gold")]) == partner


def test_negative_points_are_refused(env):
    partner = env["res.partner"].create({"name": "Dana"})
    with pytest.raises(ValidationError, match="cannot be negative"):
        partner.write({"loyalty_points": -5})

"""Installing the addon with its demo, then uninstalling it: customers let go of their price lists."""
from core.addons.manager import uninstall


def test_uninstall_after_customers_got_price_lists(make_registry, config):
    registry = make_registry(["pricelist"], demo=True)
    with registry.env() as env:
        env["pricelist.pricelist"].create({"name": "Kept by a customer"})
        other = env["res.partner"].create({"name": "Archived customer", "active": False,
                                           "pricelist_id": env.ref("pricelist.pricelist_wholesale").id})
        other_id = other.id
    registry.dispose()
    remaining = uninstall(config, ["pricelist"])
    try:
        assert "pricelist" not in remaining.addons and "sales" in remaining.addons
        with remaining.env() as env:
            assert env.ref("base.partner_hq").name == "Shefa Markets Ltd"
            assert env["res.partner"].with_context(active_test=False).browse(other_id).exists()
            assert not env.ref("pricelist.pricelist_wholesale", raise_if_not_found=False)
    finally:
        remaining.dispose()

"""Registries compose models per database; environments are all-or-nothing units of work."""
import pytest

from core.exceptions import KesherError, RegistryError, ValidationError
from core.orm.database import make_engine


def declaration(registry, model_name, addon):
    """The class ``addon`` declared for ``model_name`` (as written, before composition)."""
    return next(cls for cls, owner in registry.specs[model_name][3].items() if owner == addon)


def test_an_extension_adds_fields_and_overrides_with_super(make_registry):
    registry = make_registry(["test_ext_b"])
    with registry.env() as env:
        thing = env["test.thing"].create({"name": "lamp"})
        assert thing.colour == "blue"
        assert thing.describe() == "thing lamp in blue"
        thing.write({"colour": "red"})
        assert env["test.thing"].search([("colour", "=", "red")]) == thing
    fields = registry.models["test.thing"]._fields
    assert (fields["name"].addon, fields["colour"].addon) == ("test_ext_a", "test_ext_b")
    assert "colour" in registry.models["test.thing"]._table.c


def test_extending_a_model_outside_the_dependencies_is_refused(make_registry, config):
    from core.addons import state
    with pytest.raises(RegistryError) as info:
        make_registry(["test_ext_a", "test_ext_rogue"])
    message = str(info.value)
    assert "test_ext_rogue" in message and "test.thing" in message and "test_ext_a" in message
    assert "dependencies" in message
    engine = make_engine(config.db_url)
    try:
        with engine.connect() as connection:
            assert not {"test_ext_a", "test_ext_rogue"} & set(state.installed(connection))
    finally:
        engine.dispose()
    with pytest.raises(RegistryError, match="unknown model 'test.thing'"):
        make_registry(["test_ext_rogue"])


def test_two_registries_in_one_process_do_not_share_models(make_registry, config, tmp_path):
    plain = make_registry(["test_ext_a"])
    other_config = config.with_overrides(db_url=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    extended = make_registry(["test_ext_b"], cfg=other_config)
    assert plain.engine.url != extended.engine.url
    assert "colour" not in plain.models["test.thing"]._fields and "colour" in extended.models["test.thing"]._fields
    assert plain.models["test.thing"] is not extended.models["test.thing"]
    assert plain.metadata is not extended.metadata and "colour" not in plain.metadata.tables["test_thing"].c
    with plain.env() as env:
        thing = env["test.thing"].create({"name": "lamp"})
        assert thing.describe() == "thing lamp"
        with pytest.raises(ValidationError, match="colour"):
            env["test.thing"].create({"name": "chair", "colour": "red"})
    with extended.env() as env:
        assert env["test.thing"].create({"name": "lamp"}).describe() == "thing lamp in blue"
        assert env["test.thing"].search_count([]) == 1
    # declarations are never modified by composing them
    base_class, extension = declaration(extended, "test.thing", "test_ext_a"), declaration(extended, "test.thing",
                                                                                         "test_ext_b")
    assert base_class is declaration(plain, "test.thing", "test_ext_a")
    for cls in (base_class, extension):
        assert "_fields" not in cls.__dict__ and "_table" not in cls.__dict__


def test_models_inheriting_a_mixin_keep_their_own_name_field(registry):
    partner = registry.models["res.partner"]
    assert partner._rec_name == "name" and "name" in partner._rec_names_search
    with registry.env() as env:
        acme = env["res.partner"].create({"name": "Acme"})
        assert acme.display_name == "Acme" and acme.name_get() == [(acme.id, "Acme")]


def test_env_commits_on_success(registry):
    with registry.env() as env:
        partner = env["res.partner"].create({"name": "Kept"})
        env["test.order"].create({"name": "SO1", "partner_id": partner.id, "line_ids": [{"product": "a"}]})
    with registry.env() as env:
        assert env["test.order"].search([]).mapped("name") == ["SO1"]
        assert env["test.order"].search([]).line_ids.product == "a"


def test_env_rolls_back_everything_on_an_exception(registry):
    with registry.env() as env:
        partner_id = env["res.partner"].create({"name": "Before"}).id
    sent = []
    with pytest.raises(RuntimeError, match="boom"):
        with registry.env() as env:
            env.on_commit(lambda: sent.append("mail"))
            env["res.partner"].browse(partner_id).write({"name": "During"})
            order = env["test.order"].create({"name": "SO1", "partner_id": partner_id,
                                              "line_ids": [{"product": "a", "price_unit": 5}]})
            assert order.amount_total == 5
            raise RuntimeError("boom")
    assert sent == []
    with registry.env() as env:
        assert env["res.partner"].browse(partner_id).name == "Before"
        assert env["test.order"].search_count([]) == 0 and env["test.order.line"].search_count([]) == 0
        env.on_commit(lambda: sent.append("mail"))
    assert sent == ["mail"]


def test_run_commits_and_returns_the_result(registry):
    order_id = registry.run(lambda env: env["test.order"].create({
        "name": "SO1", "partner_id": env["res.partner"].create({"name": "P"}).id}).id)
    with registry.env() as env:
        assert env["test.order"].browse(order_id).exists()
    with pytest.raises(ValidationError):
        registry.run(lambda env: env["test.order"].create({"name": "no customer"}))
    with registry.env() as env:
        assert env["test.order"].search_count([]) == 1
        with pytest.raises(KesherError, match="'test.nothing'"):
            env["test.nothing"]

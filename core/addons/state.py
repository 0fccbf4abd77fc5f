"""System tables of a database: which addons are installed, and the external ids.

They live outside the model registry because they must exist before any registry can
be built: the installed addons decide which registry to build.
"""
import datetime as dt

import sqlalchemy as sa

from ..exceptions import AddonError

metadata = sa.MetaData()

modules = sa.Table(
    "ir_module_module", metadata,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),  # installed | uninstalled
    sa.Column("version", sa.String(32)),
    sa.Column("demo", sa.Boolean, nullable=False, default=False),
    sa.Column("write_date", sa.DateTime),
)

model_data = sa.Table(
    "ir_model_data", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("module", sa.String(128), nullable=False),
    sa.Column("name", sa.String(256), nullable=False),
    sa.Column("model", sa.String(128), nullable=False),
    sa.Column("res_id", sa.Integer, nullable=False),
    sa.Column("noupdate", sa.Boolean, nullable=False, default=False),
    sa.UniqueConstraint("module", "name", name="ir_model_data_module_name_uniq"),
    sa.Index("ir_model_data_model_res_id", "model", "res_id"),
)


signals = sa.Table(
    "ir_signal", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False, default=0),
)


def signal_version(session, name):
    """The committed-or-own version of a signal (None when the database predates signals)."""
    return session.execute(sa.select(signals.c.version).where(signals.c.name == name)).scalar()


def bump_signal(session, name):
    """Tell every worker that what ``name`` covers changed (visible when this commits)."""
    if not session.execute(sa.update(signals).where(signals.c.name == name)
                           .values(version=signals.c.version + 1)).rowcount:
        session.execute(sa.insert(signals).values(name=name, version=1))


def create_system_tables(connection):
    metadata.create_all(connection)


def installed(connection):
    """``{name: {"version", "demo"}}`` of the installed addons; error if not initialised."""
    if not sa.inspect(connection).has_table("ir_module_module"):
        raise AddonError("This database is not initialised: run 'kesher init' first")
    rows = connection.execute(sa.select(modules.c.name, modules.c.version, modules.c.demo)
                              .where(modules.c.state == "installed")).all()
    return {name: {"version": version, "demo": demo} for name, version, demo in rows}


def all_states(connection):
    if not sa.inspect(connection).has_table("ir_module_module"):
        return {}
    rows = connection.execute(sa.select(modules.c.name, modules.c.state, modules.c.version)).all()
    return {name: (state, version) for name, state, version in rows}


def set_state(connection, name, state, version=None, demo=False):
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    updated = connection.execute(sa.update(modules).where(modules.c.name == name)
                                 .values(state=state, version=version, demo=demo, write_date=now)).rowcount
    if not updated:
        connection.execute(sa.insert(modules).values(name=name, state=state, version=version, demo=demo,
                                                     write_date=now))

"""Values every transaction of a process reuses while the database says nothing changed.

Combined views, the menus a user sees, the security state: rebuilding them on every
request costs more than the page itself. Each is derived from data that changes rarely,
so a change bumps a named signal (a row of ``ir_signal``) and every worker — other
processes, other machines on the same PostgreSQL — sees the new version at its next
transaction, which reads all versions in one small query. A transaction that changed
the data itself works on a private copy until it commits.
"""
import sqlalchemy as sa

from .state import bump_signal, signals


def signal_versions(env):
    """``{signal name: version}`` as this transaction first saw them (one query per transaction);
    None on a database that predates signals."""
    registry, transaction = env.registry, env.transaction
    if getattr(registry, "_has_signals", None) is None:
        registry._has_signals = sa.inspect(env.session.connection()).has_table("ir_signal")
    if not registry._has_signals:
        return None
    if transaction.signal_versions is None:
        transaction.signal_versions = dict(env.session.execute(sa.select(signals.c.name, signals.c.version)).all())
    return transaction.signal_versions


def shared(env, *names):
    """A dict for values derived from what the signals ``names`` cover.

    Shared by every transaction of this process while the versions of ``names`` hold; a
    transaction that bumped one of them gets its own dict (its change is not committed yet).
    """
    transaction = env.transaction
    versions = signal_versions(env)
    if versions is None or transaction.signals_bumped.intersection(names):
        return transaction.signals_local.setdefault(names, {})
    key = tuple(versions.get(name, 0) for name in names)
    caches = env.registry.__dict__.setdefault("_shared_caches", {})
    entry = caches.get(names)
    if entry is None or entry[0] != key:
        entry = caches[names] = (key, {})
    return entry[1]


def changed(env, name):
    """What signal ``name`` covers changed in this transaction: tell every worker at commit."""
    transaction = env.transaction
    transaction.signals_bumped.add(name)
    for key in [key for key in transaction.signals_local if name in key]:
        transaction.signals_local.pop(key)
    if signal_versions(env) is not None:
        bump_signal(env.session, name)

"""Environments: one unit of work (a transaction) seen as a user with a context.

``registry.env(user=..., context=...)`` opens a transaction; ``with`` commits it whole
or rolls it back whole. ``env.sudo()``, ``env.with_user()`` and ``env.with_context()``
share the transaction and its cache.
"""
from types import MappingProxyType

from sqlalchemy.orm import Session

from ..exceptions import KesherError

SUPERUSER_ID = 1


class Cache:
    """Field values of records loaded in this transaction: ``field -> {id: value}``."""

    def __init__(self):
        self._data = {}

    def store(self, field):
        try:
            key = field.cache_key
        except AttributeError:  # a store of one's own: any object with model_name and name
            key = (field.model_name, field.name)
        store = self._data.get(key)
        if store is None:
            store = self._data[key] = {}
        return store

    def set_many(self, field, values):
        self.store(field).update(values)

    def invalidate(self, fields=None, ids=None):
        if fields is None:
            self._data.clear()
            return
        for field in fields:
            store = self._data.get((field.model_name, field.name))
            if store is None:
                continue
            if ids is None:
                store.clear()
            else:
                for rid in ids:
                    store.pop(rid, None)

    def forget_records(self, model_name, ids):
        for (name, _field), store in self._data.items():
            if name == model_name:
                for rid in ids:
                    store.pop(rid, None)


class Transaction:
    """The database session, cache and pending work of one unit of work."""

    def __init__(self, registry, readonly=False):
        self.registry = registry
        bind = registry.readonly_engine if readonly else registry.engine
        self.session = Session(bind=bind, autoflush=False, expire_on_commit=False)
        self.cache = Cache()
        self.to_recompute = {}
        self.recompute_held = 0  # while above zero, recompute_pending leaves the queue (see compute.held)
        self.after_commit = []
        self.closed = False
        self._forget_signals()

    def _forget_signals(self):
        """A new transaction reads the signal versions afresh (core.addons.shared_cache)."""
        self.signal_versions = None
        self.signals_bumped = set()
        self.signals_local = {}

    def commit(self):
        self.session.commit()
        self._forget_signals()
        callbacks, self.after_commit = self.after_commit, []
        for callback in callbacks:
            callback()

    def rollback(self):
        self.session.rollback()
        self._forget_signals()
        self.cache.invalidate()
        self.to_recompute.clear()
        self.after_commit.clear()

    def close(self):
        if not self.closed:
            self.session.close()
            self.closed = True


class Environment:
    """Access to the models of one registry, as one user, within one transaction."""

    def __init__(self, registry, transaction, uid=SUPERUSER_ID, context=None, su=False):
        self.registry = registry
        self.transaction = transaction
        self.uid = uid
        self.context = MappingProxyType(dict(context or {}))
        self.su = su
        self._user_groups = None

    # -- models -------------------------------------------------------------
    def __getitem__(self, model_name):
        try:
            cls = self.registry.models[model_name]
        except KeyError:
            raise KesherError(f"Unknown model {model_name!r} (is the addon that declares it installed?)") from None
        return cls(self, ())

    def __contains__(self, model_name):
        return model_name in self.registry.models

    def ref(self, xml_id, raise_if_not_found=True):
        """The record named by an external id such as ``base.main_company``."""
        from ..addons.xmlids import resolve_xmlid
        found = resolve_xmlid(self, xml_id)
        if found is None:
            if raise_if_not_found:
                raise KesherError(f"External id {xml_id!r} not found")
            return None
        model, res_id = found
        return self[model].browse(res_id)

    # -- derived environments ------------------------------------------------
    def _derive(self, uid=None, context=None, su=None):
        return Environment(self.registry, self.transaction, self.uid if uid is None else uid,
                           self.context if context is None else context, self.su if su is None else su)

    def sudo(self, flag=True):
        return self._derive(su=flag)

    def with_user(self, user):
        uid = user.id if hasattr(user, "_ids") else int(user)
        return self._derive(uid=uid, su=False)

    def with_context(self, **values):
        return self._derive(context={**self.context, **values})

    @property
    def user(self):
        return self["res.users"].browse(self.uid) if "res.users" in self.registry.models else None

    @property
    def lang(self):
        return self.context.get("lang") or "en"

    @property
    def is_superuser(self):
        return self.su

    @property
    def hooks(self):
        return self.registry.hooks.hook

    # -- transaction -------------------------------------------------------------
    @property
    def session(self):
        return self.transaction.session

    @property
    def cache(self):
        return self.transaction.cache

    def execute(self, statement, params=None):
        return self.transaction.session.execute(statement, params)

    def flush(self):
        """Finish pending recomputations (they also run at the end of each create/write)."""
        from .compute import recompute_pending
        recompute_pending(self)

    def commit(self):
        self.flush()
        self.transaction.commit()

    def rollback(self):
        self.transaction.rollback()

    def on_commit(self, callback):
        """Run ``callback`` after a successful commit only (emails, notifications)."""
        self.transaction.after_commit.append(callback)

    def close(self):
        self.transaction.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.commit()
            else:
                self.rollback()
        finally:
            self.close()
        return False

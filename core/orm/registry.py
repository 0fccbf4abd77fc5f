"""The registry of one database: the composed models of its installed addons.

A registry is a product, never mutated: install and upgrade build a new one and swap
it in. Each has its own SQLAlchemy ``MetaData``, mapper registry and plugin manager,
so two databases with different addons live side by side in one process.
"""
import random
import time

import sqlalchemy as sa
from sqlalchemy import orm as sa_orm

from ..addons.discovery import import_addon
from ..exceptions import ConcurrencyError
from ..hooks.manager import build_plugin_manager
from ..i18n.translate import _lt
from .compose import NAMING, build_tables, collect, compose
from .compute import build_triggers
from .database import is_retryable, make_engine
from .environment import SUPERUSER_ID, Environment, Transaction


class Registry:
    """Composed models, tables and hooks of a set of addons on one database."""

    def __init__(self, manifests, config, engine=None, db_url=None):
        self.config = config
        self.db_url = db_url or (config.db_url if config else None)
        self.engine = engine or make_engine(self.db_url)
        self.readonly_engine = self.engine.execution_options(kesher_readonly=True)
        self.manifests = list(manifests)
        self.addons = {m.name: m for m in self.manifests}
        self.metadata = sa.MetaData(naming_convention=NAMING)
        self.sa_registry = sa_orm.registry(metadata=self.metadata)
        self.access_checker = None
        self._mapped = {}
        modules = {m.name: import_addon(m) for m in self.manifests}
        self.modules = modules
        self.specs = collect(self.manifests, modules)
        self.models = compose(self.specs)
        build_tables(self)
        self.triggers = build_triggers(self)
        self.inverse_fields, self.m2m_by_relation = {}, {}
        for cls in self.models.values():
            for field in cls._fields.values():
                if field.type == "one2many":
                    self.inverse_fields.setdefault(field.comodel, []).append(field)
                elif field.type == "many2many":
                    self.m2m_by_relation.setdefault(field.relation, []).append(field)
        self.hooks = build_plugin_manager(self.manifests, modules)
        if "ir.model.access" in self.models:
            from ..security.checker import AccessChecker
            self.access_checker = AccessChecker(self)
        self.model_owner = {name: spec[0] for name, spec in self.specs.items()}

    def mapped_class(self, model_name):
        """A SQLAlchemy-mapped class of a model's table (mapped once, on first use)."""
        model = self.models[model_name]
        mapped = self._mapped.get(model_name)
        if mapped is None:
            mapped = type(model_name.replace(".", "_") + "_row", (), {"__module__": __name__})
            self.sa_registry.map_imperatively(mapped, model._table)
            self._mapped[model_name] = mapped
        return mapped

    def env(self, user=None, context=None, su=None, readonly=False):
        """A new transaction seen by ``user`` (the superuser by default)."""
        transaction = Transaction(self, readonly=readonly)
        uid = SUPERUSER_ID if user is None else (user.id if hasattr(user, "_ids") else int(user))
        return Environment(self, transaction, uid, context, (user is None) if su is None else su)

    def run(self, work, user=None, context=None, retries=5, readonly=False):
        """Run ``work(env)`` in one transaction; re-run it whole on a serialization failure.

        Side effects registered with ``env.on_commit`` run once, after the commit that
        succeeded; numbers drawn and rows written by failed attempts are rolled back.
        """
        for attempt in range(retries + 1):
            env = self.env(user=user, context=context, readonly=readonly)
            try:
                result = work(env)
                env.commit()
                return result
            except (sa.exc.OperationalError, sa.exc.DBAPIError) as error:
                env.rollback()
                if not is_retryable(error) or attempt == retries:
                    if is_retryable(error):
                        # lazy: raised after the request's language block, shown in it by the web layer
                        raise ConcurrencyError(_lt("The database is busy with conflicting changes: "
                                                   "please try again in a moment")) from None
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (2 ** attempt))
            except BaseException:
                env.rollback()
                raise
            finally:
                env.close()

    def dispose(self):
        self.engine.dispose()

    @property
    def dialect(self):
        return self.engine.dialect.name

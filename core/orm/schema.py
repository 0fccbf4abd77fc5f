"""Schema follows the installed addons: create tables, add columns, indexes and constraints.

Alembic's autogenerate comparison finds what is missing; its operations add it. A
column or table that the models no longer have is reported, never dropped silently.
A ``unique(...)`` constraint declared after its table was made is added as a unique
index (SQLite cannot add a constraint to a table), a ``check(...)`` one with ALTER TABLE
on PostgreSQL; rows that break it stop the upgrade with the constraint's message.
"""
import logging

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations

from ..exceptions import AddonError
from ..i18n.translate import _

_logger = logging.getLogger(__name__)


def sync_schema(registry, connection):
    """Bring the database to the registry's metadata; returns a list of what changed."""
    inspector = sa.inspect(connection)
    existing = set(inspector.get_table_names())
    missing = [t for t in registry.metadata.sorted_tables if t.name not in existing]
    changes = [f"create table {t.name}" for t in missing]
    if missing:
        registry.metadata.create_all(connection, tables=missing)
    present = {t.name for t in registry.metadata.sorted_tables} & existing
    if not present:
        return changes
    context = MigrationContext.configure(connection, opts={
        "include_name": lambda name, type_, parent: type_ != "table" or name in present,
        "compare_type": False,
    })
    operations = Operations(context)
    for diff in _flatten(compare_metadata(context, registry.metadata)):
        kind = diff[0]
        if kind == "add_column":
            _schema, table, column = diff[1], diff[2], diff[3]
            _add_column(operations, connection, table, column)
            _fill_default(registry, connection, table, column)
            changes.append(f"add column {table}.{column.name}")
        elif kind == "add_index":
            index = diff[1]
            if index.table.name in present and not _has_index(connection, index):
                operations.create_index(index.name, index.table.name, [c.name for c in index.columns],
                                        unique=index.unique)
                changes.append(f"add index {index.name}")
        elif kind in ("remove_column", "remove_table"):
            _logger.info("kept %s (no installed model declares it)", diff[-1])
    for table in registry.metadata.sorted_tables:
        if table.name in present:
            changes += _add_constraints(registry, connection, table)
    return changes


def _add_constraints(registry, connection, table):
    """The declared unique and check constraints the existing table lacks."""
    inspector = sa.inspect(connection)
    quote = connection.dialect.identifier_preparer.quote
    changes = []
    uniques = [c for c in table.constraints if isinstance(c, sa.UniqueConstraint) and c.name]
    if uniques:
        present = {frozenset(found["column_names"]) for found in inspector.get_unique_constraints(table.name)}
        present |= {frozenset(found["column_names"]) for found in inspector.get_indexes(table.name)
                    if found["unique"]}
        for constraint in uniques:
            names = [column.name for column in constraint.columns]
            if frozenset(names) in present:
                continue
            _add_or_refuse(registry, connection, table, constraint,
                           f"CREATE UNIQUE INDEX {quote(constraint.name)} ON {quote(table.name)} "
                           f"({', '.join(quote(name) for name in names)})")
            changes.append(f"add unique constraint {constraint.name}")
    checks = [c for c in table.constraints if isinstance(c, sa.CheckConstraint) and c.name]
    if checks and connection.dialect.name != "sqlite":
        present = {found["name"] for found in inspector.get_check_constraints(table.name)}
        for constraint in checks:
            if constraint.name in present or f"{table.name}_{constraint.name}" in present:
                continue
            _add_or_refuse(registry, connection, table, constraint, str(sa.schema.AddConstraint(constraint).compile(
                dialect=connection.dialect)))
            changes.append(f"add check constraint {constraint.name}")
    elif checks:
        _logger.info("%s: check constraints declared after the table was made are not added on SQLite", table.name)
    return changes


def _add_or_refuse(registry, connection, table, constraint, ddl):
    try:
        with connection.begin_nested():
            connection.exec_driver_sql(ddl)
    except sa.exc.IntegrityError:
        message = next((text for model in registry.models.values() if getattr(model, "_table", None) is table
                        for name, _definition, text in model._sql_constraints
                        if constraint.name in (name, f"{table.name}_{name}")), constraint.name)
        raise AddonError(_("%(table)s: existing rows break the new constraint %(name)s (%(message)s); correct "
                           "them and upgrade again") % {"table": table.name, "name": constraint.name,
                                                         "message": _(message)}) from None


def _add_column(operations, connection, table_name, column):
    """ADD COLUMN with the column's foreign key (``column._copy()`` leaves the key behind).

    SQLite cannot add a constraint to an existing table, but ADD COLUMN may carry an
    inline REFERENCES clause; elsewhere the constraint is added after the column.
    """
    constraints = [c for c in column.table.foreign_key_constraints if list(c.columns) == [column]]
    if connection.dialect.name != "sqlite" or not constraints:
        operations.add_column(table_name, column._copy())
        for constraint in constraints:
            connection.execute(sa.schema.AddConstraint(constraint))
        return
    quote = connection.dialect.identifier_preparer.quote
    target = constraints[0].elements[0].column
    definition = sa.schema.CreateColumn(column).compile(dialect=connection.dialect)
    references = f"REFERENCES {quote(target.table.name)} ({quote(target.name)})"
    if constraints[0].ondelete:
        references += f" ON DELETE {constraints[0].ondelete}"
    connection.exec_driver_sql(f"ALTER TABLE {quote(table_name)} ADD COLUMN {definition} {references}")


def _has_index(connection, index):
    """Whether ``index`` exists already: adding an indexed column creates its index too."""
    return index.name in {found["name"] for found in sa.inspect(connection).get_indexes(index.table.name)}


def _flatten(diffs):
    for diff in diffs:
        if isinstance(diff, list):
            yield from diff
        else:
            yield diff


def _fill_default(registry, connection, table_name, column):
    """Existing rows of a new column get the field's constant default, if it has one."""
    for model in registry.models.values():
        if getattr(model, "_table", None) is not None and model._table.name == table_name:
            field = model._fields.get(column.name)
            if field is not None and field.default is not None and not callable(field.default):
                value = field.convert(field.default, None)
                table = model._table
                connection.execute(sa.update(table).values({column.name: sa.bindparam("v", type_=table.c[column.name].type)}),
                                   {"v": value})

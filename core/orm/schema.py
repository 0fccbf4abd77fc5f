"""Schema follows the installed addons: create tables, add columns and indexes.

Alembic's autogenerate comparison finds what is missing; its operations add it. A
column or table that the models no longer have is reported, never dropped silently.
"""
import logging

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations

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
    return changes


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

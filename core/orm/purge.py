"""``uninstall --purge``: drop the tables and columns that only removed addons declared."""
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from ..exceptions import AddonError


def purge_addons(current, remaining, removed, connection):
    """Drop tables of models owned by ``removed`` and columns they added to other models."""
    remaining_names = {m.name for m in remaining}
    inspector = sa.inspect(connection)
    existing = set(inspector.get_table_names())
    operations = Operations(MigrationContext.configure(connection))
    tables, columns = [], []
    for name, cls in current.models.items():
        if cls._abstract:
            continue
        if current.model_owner[name] in removed:
            tables.append(cls._table)
            tables.extend(current.metadata.tables[f.relation] for f in cls._fields.values()
                          if f.type == "many2many")
            continue
        for field in cls._column_fields:
            if getattr(field, "addon", None) in removed and field.addon not in remaining_names:
                columns.append((cls._table.name, field.name))
    for table_name, column in columns:
        if connection.dialect.name == "sqlite":
            _sqlite_drop_column(operations, connection, table_name, column)
        else:
            operations.drop_column(table_name, column)
    for table in reversed(current.metadata.sorted_tables):
        if table in tables and table.name in existing:
            table.drop(connection)


def _sqlite_drop_column(operations, connection, table_name, column):
    """Drop a column in place; re-create the table only when no other table refers to it.

    Re-creating a table drops the old copy, and with foreign keys on (they cannot be turned
    off inside a transaction) that deletes its rows first: the ON DELETE actions of the
    tables referring to it would delete or empty their rows (the lines of every order).
    """
    inspector = sa.inspect(connection)
    for index in inspector.get_indexes(table_name):
        if column in index["column_names"]:
            operations.drop_index(index["name"], table_name=table_name)
    quote = connection.dialect.identifier_preparer.quote
    connection.exec_driver_sql("SAVEPOINT kesher_drop_column")
    try:
        connection.exec_driver_sql(f"ALTER TABLE {quote(table_name)} DROP COLUMN {quote(column)}")
    except sa.exc.OperationalError:  # a table constraint names the column: SQLite cannot drop it in place
        connection.exec_driver_sql("ROLLBACK TO SAVEPOINT kesher_drop_column")
        referring = sorted(other for other in inspector.get_table_names() if other != table_name and any(
            fk["referred_table"] == table_name for fk in inspector.get_foreign_keys(other)))
        if referring:
            raise AddonError(f"Cannot drop column {table_name}.{column} on SQLite: a constraint uses it and "
                             f"re-creating {table_name} would delete rows of {', '.join(referring)} "
                             f"(uninstall without --purge to keep the column)") from None
        with operations.batch_alter_table(table_name) as batch:
            batch.drop_column(column)
    finally:
        connection.exec_driver_sql("RELEASE SAVEPOINT kesher_drop_column")

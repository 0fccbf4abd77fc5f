"""``uninstall --purge``: drop the tables and columns that only removed addons declared."""
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations


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
        with operations.batch_alter_table(table_name) as batch:
            batch.drop_column(column)
    for table in reversed(current.metadata.sorted_tables):
        if table in tables and table.name in existing:
            table.drop(connection)

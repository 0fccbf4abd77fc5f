"""Many rows into one table with the driver's executemany, converted column by column.

SQLAlchemy converts the parameters of an executemany row by row (a dict per row, each
value through its type's bind processor); for the thousands of rows of a batch create
that bookkeeping costs more than the database's own work. Here each column's values go
through the same bind processors in one pass and the driver gets plain tuples (or
dicts, for drivers with named parameters). Statements still pass SQLAlchemy's
connection, so its events and the transaction are the session's.
"""
import sqlalchemy as sa

_STATEMENTS = {}  # (kind, table, column names, dialect name) -> (SQL, parameter names, processors, positional)


def insert_many(env, table, names, rows):
    """INSERT ``rows`` — sequences of values in the order of ``names`` — into ``table``."""
    _execute_many(env, ("insert", table, tuple(names)), names, rows)


def update_many(env, table, names, rows):
    """UPDATE ``names`` of many rows of ``table``: each row is ``(id, *values)``."""
    _execute_many(env, ("update", table, tuple(names)), ["_id", *names], rows)


def _execute_many(env, key, names, rows):
    connection = env.session.connection()
    sql, order, processors, positional = _statement(connection.dialect, key)
    index = {name: position for position, name in enumerate(names)}
    columns = []
    for name, processor in zip(order, processors):
        position = index[name]
        values = [row[position] for row in rows]
        if processor is None:
            columns.append(values)
        elif all(value is values[0] for value in values):  # one stamp, one company: converted once
            columns.append([processor(values[0])] * len(values))
        else:
            columns.append([processor(value) for value in values])
    params = list(zip(*columns)) if positional else [dict(zip(order, values)) for values in zip(*columns)]
    connection.exec_driver_sql(sql, params)


def _statement(dialect, key):
    found = _STATEMENTS.get((*key, dialect.name))
    if found is None:
        kind, table, names = key
        if kind == "insert":
            statement = sa.insert(table)
            compiled = statement.compile(dialect=dialect, column_keys=list(names))
        else:
            statement = sa.update(table).where(table.c.id == sa.bindparam("_id", type_=table.c.id.type)).values(
                {name: sa.bindparam(name, type_=table.c[name].type) for name in names})
            compiled = statement.compile(dialect=dialect)
        order = list(compiled.positiontup) if compiled.positional else ["_id", *names] if kind == "update" \
            else list(names)
        types = {"_id": table.c.id.type, **{name: table.c[name].type for name in names}}
        processors = [types[name]._cached_bind_processor(dialect) for name in order]
        found = _STATEMENTS[(*key, dialect.name)] = (compiled.string, order, processors, compiled.positional)
    return found

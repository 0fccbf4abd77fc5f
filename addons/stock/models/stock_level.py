"""Stock levels: the on-hand quantity per product and warehouse, kept by done moves.

The table is a running total, changed only by ``stock.move`` when moves are done (one
upsert per batch), so availability reads one row per product and warehouse instead of
summing the whole move history. ``rebuild()`` recomputes it from the moves.
"""
from collections import defaultdict

import sqlalchemy as sa

from core.orm import Model, fields
from core.orm.fields import now

from ..tools import ZERO


class StockLevel(Model):
    _name = "stock.level"
    _description = "Stock level"
    _order = "product_id, warehouse_id"
    _rec_name = "product_id"

    product_id = fields.Many2one("product.product", "Product", required=True, ondelete="cascade", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", "Warehouse", required=True, ondelete="cascade",
                                   readonly=True)
    quantity = fields.Decimal("On hand", digits=3, default=0, readonly=True)

    _sql_constraints = [("product_warehouse_uniq", "unique(product_id, warehouse_id)",
                         "One stock level per product and warehouse")]

    def _apply_deltas(self, deltas):
        """Add ``{(product_id, warehouse_id): Decimal}`` to the levels, in one statement."""
        rows = [{"product_id": p, "warehouse_id": w, "quantity": q} for (p, w), q in deltas.items() if q]
        if not rows:
            return
        table = type(self)._table
        stamp, uid = now(), self.env.uid
        for row in rows:
            row.update(create_date=stamp, write_date=stamp, create_uid=uid, write_uid=uid, version=1)
        insert = _dialect_insert(self.env)(table)
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.product_id, table.c.warehouse_id],
            set_={"quantity": table.c.quantity + insert.excluded.quantity, "write_date": insert.excluded.write_date,
                  "write_uid": insert.excluded.write_uid, "version": table.c.version + 1})
        self.env.execute(statement, rows)
        self.env.cache.invalidate([type(self)._fields[name] for name in ("quantity", "write_date", "version")])
        self.env.cache.invalidate([f for f in self.env.registry.inverse_fields.get(self._name, ())])

    def rebuild(self):
        """Recompute every level from the done moves (a repair; the running totals agree with it)."""
        totals = self.env["stock.move"]._done_totals()
        table = type(self)._table
        self.env.execute(sa.delete(table))
        self.env.cache.invalidate()
        self._apply_deltas(totals)
        return totals


def _dialect_insert(env):
    if env.registry.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def sum_deltas(items):
    """``[((product_id, warehouse_id), qty), ...]`` summed per key."""
    totals = defaultdict(lambda: ZERO)
    for key, qty in items:
        totals[key] += qty
    return totals

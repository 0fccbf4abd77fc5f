"""Availability: on hand, reserved, available and expected arrivals of many products at once.

Three aggregate queries whatever the number of products: the stock levels (a running
total kept by the moves), the active reservations, and the open purchase lines (the
confirmed quantity not yet received, by expected date).
"""
from collections import defaultdict

import sqlalchemy as sa

from core.orm import AbstractModel
from core.orm.query import id_in

from ..tools import ZERO, record_id, to_date


class StockAvailability(AbstractModel):
    _name = "stock.availability"
    _description = "Stock availability"

    def get(self, product_ids, warehouse_id=None, date=None):
        """``{product_id: {"on_hand", "reserved", "available", "incoming", "next_arrival", "projected"}}``.

        ``product_ids``: ids or a recordset; ``warehouse_id``: one warehouse (id or record)
        or None for all; ``date``: the day of ``projected`` (available + arrivals expected
        up to that day included); without it ``projected`` equals ``available``.
        ``incoming`` is ``[(date, qty), ...]`` sorted by date (late arrivals included, at
        their original date); ``next_arrival`` its first entry or None.
        """
        ids = list(dict.fromkeys(int(p) for p in (product_ids._ids if hasattr(product_ids, "_ids")
                                                  else product_ids)))
        self.env["stock.level"]._check_access("read")
        warehouse = record_id(warehouse_id)
        day = to_date(date)
        result = {pid: {"on_hand": ZERO, "reserved": ZERO, "available": ZERO, "incoming": [],
                        "next_arrival": None, "projected": ZERO} for pid in ids}
        if not ids:
            return result
        on_hand = self._sum_by_product("stock.level", "quantity", ids, warehouse)
        reserved = self._sum_by_product("stock.reservation", "quantity", ids, warehouse, state="active")
        incoming = self._incoming(ids, warehouse)
        for pid, values in result.items():
            values["on_hand"] = on_hand.get(pid, ZERO)
            values["reserved"] = reserved.get(pid, ZERO)
            values["available"] = values["on_hand"] - values["reserved"]
            schedule = incoming.get(pid, [])
            values["incoming"] = schedule
            values["next_arrival"] = schedule[0] if schedule else None
            projected = values["available"]
            if day is not None:
                projected += sum((qty for when, qty in schedule if when <= day), ZERO)
            values["projected"] = projected
        return result

    def projection(self, product_id, warehouse_id=None, date_from=None):
        """The projected available stock of one product over time: ``[(date, arriving, projected)]``.

        The first row is today's (or ``date_from``'s) available stock with what is late;
        then one row per expected arrival date.
        """
        import datetime as dt
        start = to_date(date_from) or dt.date.today()
        values = self.get([product_id], warehouse_id)[int(product_id)]
        running = values["available"]
        late = sum((qty for when, qty in values["incoming"] if when <= start), ZERO)
        running += late
        rows = [(start, late, running)]
        for when, qty in values["incoming"]:
            if when > start:
                running += qty
                rows.append((when, qty, running))
        return rows

    def _sum_by_product(self, model_name, column, ids, warehouse, state=None):
        entity = type(self.env[model_name])._entity
        amount = getattr(entity, column)
        total = sa.type_coerce(sa.func.sum(amount), amount.type)
        dialect = self.env.registry.dialect
        statement = sa.select(entity.product_id, total).where(id_in(entity.product_id, ids, dialect))
        if warehouse:
            statement = statement.where(entity.warehouse_id == warehouse)
        if state:
            statement = statement.where(entity.state == state)
        rows = self.env.execute(statement.group_by(entity.product_id))
        return {product_id: qty or ZERO for product_id, qty in rows}

    def _incoming(self, ids, warehouse):
        """``{product_id: [(date, qty), ...]}`` of confirmed purchase lines not yet received."""
        if "purchase.order.line" not in self.env.registry.models:
            return {}
        entity = type(self.env["purchase.order.line"])._entity
        total = sa.type_coerce(sa.func.sum(entity.qty_expected), entity.qty_expected.type)
        dialect = self.env.registry.dialect
        statement = (sa.select(entity.product_id, entity.date_expected, total)
                     .where(id_in(entity.product_id, ids, dialect), entity.qty_expected > 0))
        if warehouse:
            statement = statement.where(entity.warehouse_id == warehouse)
        statement = statement.group_by(entity.product_id, entity.date_expected).order_by(entity.date_expected)
        schedule = defaultdict(list)
        for product_id, when, qty in self.env.execute(statement):
            schedule[product_id].append((when, qty))
        return schedule

"""Reservations: quantities promised to documents (confirmed customer orders) but not yet out.

Other addons create and release them through ``reserve`` and ``release`` only; the
reserved quantity lowers what is available (available = on hand − reserved). A
reservation is a promise, not a lock: available may go below zero, which shows a
shortage to resolve (a purchase, a transfer) instead of refusing the customer's order.
"""
from collections import defaultdict

from core.exceptions import UserError, ValidationError
from core.orm import Model, fields

from ..tools import ZERO, positive_qty, record_id, tr

STATES = [("active", "Active"), ("released", "Released")]


class StockReservation(Model):
    _name = "stock.reservation"
    _description = "Stock reservation"
    _order = "date desc, id desc"
    _rec_name = "origin"

    product_id = fields.Many2one("product.product", "Product", required=True, ondelete="restrict", index=True)
    warehouse_id = fields.Many2one("stock.warehouse", "Warehouse", required=True, ondelete="restrict", index=True)
    quantity = fields.Decimal("Quantity", digits=3, required=True)
    date = fields.Datetime("Date", required=True, default=lambda self: fields.now())
    res_model = fields.Char("Source model", required=True, index=True)
    res_id = fields.Integer("Source record", required=True, index=True)
    origin = fields.Char("Source document")
    state = fields.Selection(STATES, "Status", required=True, default="active", index=True)
    release_date = fields.Datetime("Released on")

    _sql_constraints = [("quantity_positive", "check(quantity > 0)", "A reservation's quantity must be above zero")]

    def reserve(self, vals_list):
        """Reserve stock for documents, in one batch; returns the new reservations.

        ``vals_list``: ``[{"product_id", "quantity", "warehouse_id" (optional: the default
        warehouse), "res_model", "res_id", "origin", "date"}, ...]``. A service product, a
        quantity not above zero or a missing document is refused with one translated
        error, nothing written. Runs as the system: the calling document checked its user.
        """
        env = self.env
        vals_list = [dict(vals) for vals in vals_list]
        if not vals_list:
            return self.browse(())
        products = self._products({record_id(v.get("product_id")) for v in vals_list} - {None})
        default_wh = None
        for vals in vals_list:
            product_id = record_id(vals.get("product_id"))
            if product_id not in products:
                raise UserError(tr(env, "A reservation needs an existing product"))
            kind, label = products[product_id]
            if kind == "service":
                raise UserError(tr(env, "{product} is a service: services have no stock to reserve")
                                .format(product=label))
            vals["quantity"] = positive_qty(env, vals.get("quantity"), label)
            if not vals.get("res_model") or not vals.get("res_id"):
                raise UserError(tr(env, "A reservation must name the document it is for"))
            if not vals.get("warehouse_id"):
                default_wh = default_wh or env["stock.warehouse"].get_default().id
                vals["warehouse_id"] = default_wh
            vals.pop("state", None)
            if not vals.get("date"):
                vals.pop("date", None)
        return self.sudo().create(vals_list).with_env(env)

    def release(self, res_model, res_ids, product_quantities=None):
        """Release the reservations of documents; returns the released reservations.

        ``product_quantities=None`` releases everything these documents reserved; else
        ``{(res_id, product_id): qty}`` releases that much (the oldest promise last, a
        partial release leaves the rest active and keeps the released part as history;
        more than reserved releases all of it).
        """
        env = self.env
        res_ids = [record_id(r) for r in (res_ids if isinstance(res_ids, (list, tuple, set)) or
                                          hasattr(res_ids, "_ids") else [res_ids])]
        wanted = None
        if product_quantities is not None:
            wanted = {(int(res_id), int(product_id)): positive_qty(env, qty, tr(env, "Release"))
                      for (res_id, product_id), qty in product_quantities.items()}
            res_ids = sorted({key[0] for key in wanted} | set(res_ids or ()))
        if not res_ids:
            return self.browse(())
        model = self.sudo()
        active = model.search([("res_model", "=", res_model), ("res_id", "in", res_ids), ("state", "=", "active")],
                              order="date desc, id desc")
        stamp = fields.now()
        if wanted is None:
            active.write({"state": "released", "release_date": stamp})
            return active.with_env(env)
        by_key = defaultdict(list)
        for reservation in active:
            by_key[(reservation.res_id, reservation.product_id.id)].append(reservation)
        whole, splits = [], []
        for key, qty in wanted.items():
            left = qty
            for reservation in by_key.get(key, ()):
                if left <= 0:
                    break
                if reservation.quantity <= left:
                    whole.append(reservation.id)
                    left -= reservation.quantity
                else:
                    splits.append((reservation, left))
                    left = ZERO
        released = model.browse(tuple(whole))
        released.write({"state": "released", "release_date": stamp})
        history = []
        for reservation, qty in splits:
            reservation.write({"quantity": reservation.quantity - qty})
            history.append({"product_id": reservation.product_id.id, "warehouse_id": reservation.warehouse_id.id,
                            "quantity": qty, "date": reservation.date, "res_model": reservation.res_model,
                            "res_id": reservation.res_id, "origin": reservation.origin, "state": "released",
                            "release_date": stamp})
        if history:
            released |= model.create(history)
        return released.with_env(env)

    def _products(self, ids):
        products = self.env["product.product"].sudo().with_context(active_test=False).browse(tuple(ids)).exists()
        return {p.id: (p.type, p.display_name) for p in products}

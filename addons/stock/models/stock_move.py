"""Stock moves: the only way stock changes. Each is dated and points to its source document.

A move is a draft until done; doing it changes the stock levels (``stock.level``) in the
same transaction. A done move is never changed or deleted: a mistake is corrected by
another move (the history stays true). Kinds and their effect on the levels:

- ``in``: + quantity into ``warehouse_id`` (a goods receipt);
- ``out``: − quantity from ``warehouse_id`` (a delivery);
- ``internal``: − from ``warehouse_id``, + into ``dest_warehouse_id``;
- ``adjustment``: a stock count's correction of ``warehouse_id``, a surplus (+) or a
  shortage (−) as ``adjust_direction`` says.
"""
from collections import defaultdict

import sqlalchemy as sa

from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from ..tools import ZERO, positive_qty, record_id, tr

KINDS = [("in", "Incoming"), ("out", "Outgoing"), ("internal", "Transfer between warehouses"),
         ("adjustment", "Inventory adjustment")]
STATES = [("draft", "Draft"), ("done", "Done"), ("cancelled", "Cancelled")]
DIRECTIONS = [("gain", "Surplus"), ("loss", "Shortage")]
# what a done move may not change any more
FROZEN = ("product_id", "quantity", "kind", "warehouse_id", "dest_warehouse_id", "adjust_direction", "date",
          "res_model", "res_id")


class StockMove(Model):
    _name = "stock.move"
    _description = "Stock move"
    _order = "date desc, id desc"
    _rec_name = "origin"
    _rec_names_search = ["origin", "product_id.name", "product_id.default_code"]

    product_id = fields.Many2one("product.product", "Product", required=True, ondelete="restrict", index=True)
    quantity = fields.Decimal("Quantity", digits=3, required=True, default=1)
    kind = fields.Selection(KINDS, "Kind", required=True, default="in", index=True)
    adjust_direction = fields.Selection(DIRECTIONS, "Correction", default="gain",
                                        help="For an inventory adjustment: whether the count found more or less")
    warehouse_id = fields.Many2one("stock.warehouse", "Warehouse", required=True, ondelete="restrict",
                                   default=lambda self: self.env["stock.warehouse"].get_default().id,
                                   help="Where the goods arrive (incoming, adjustment) or leave from "
                                        "(outgoing, transfer)")
    dest_warehouse_id = fields.Many2one("stock.warehouse", "Destination warehouse", ondelete="restrict",
                                        help="Where a transfer brings the goods")
    date = fields.Datetime("Date", required=True, default=lambda self: fields.now(), index=True)
    state = fields.Selection(STATES, "Status", required=True, default="draft", readonly=True, index=True)
    origin = fields.Char("Source document", help="The reference users see, e.g. the receipt or delivery number")
    res_model = fields.Char("Source model", readonly=True, index=True)
    res_id = fields.Integer("Source record", readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", "Partner", ondelete="restrict")
    note = fields.Text("Note")
    inventory_id = fields.Many2one("stock.inventory", "Stock count", ondelete="restrict", readonly=True)
    receipt_id = fields.Many2one("stock.receipt", "Goods receipt", ondelete="restrict", readonly=True, index=True)

    _sql_constraints = [("quantity_positive", "check(quantity > 0)", "A move's quantity must be above zero")]

    # -- display ---------------------------------------------------------------------
    def _display_names(self):
        return {move.id: f"{move.origin or tr(self.env, 'Stock move')} — {move.product_id.display_name}"
                for move in self}

    @property
    def display_name(self):
        return self._display_names().get(self.id, "") if self else ""

    # -- create / write / unlink -------------------------------------------------------
    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(v) for v in ([vals_list] if single else vals_list)]
        default_wh = None
        for vals in vals_list:
            if not vals.get("warehouse_id"):
                default_wh = default_wh or self.env["stock.warehouse"].get_default().id
                vals["warehouse_id"] = default_wh
            if vals.get("state", "draft") != "draft" and not self.env.context.get("stock_move_done"):
                raise UserError(tr(self.env, "A stock move is created as a draft; use 'Done' to apply it"))
        self._check_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self._ids:
            return True
        if any(name in vals for name in FROZEN + ("state",)) and not self.env.context.get("stock_move_done"):
            if "state" in vals:
                raise UserError(tr(self.env, "The status of a stock move changes through its buttons only"))
            done = [move for move in self if move.state != "draft"]
            if done:
                raise UserError(tr(self.env, "A done or cancelled stock move cannot be changed: "
                                             "record a correcting move instead"))
            merged = []
            for move in self:
                current = {name: move[name] for name in FROZEN}
                current["product_id"] = move.product_id.id
                current["warehouse_id"] = move.warehouse_id.id
                current["dest_warehouse_id"] = move.dest_warehouse_id.id
                merged.append({**current, **vals})
            self._check_values(merged)
        return super().write(vals)

    def unlink(self):
        if any(move.state == "done" for move in self):
            raise UserError(tr(self.env, "A done stock move cannot be deleted: record a correcting move instead"))
        return super().unlink()

    def _check_values(self, vals_list):
        """Refuse bad moves before anything is written: one translated message."""
        env = self.env
        product_ids = {record_id(vals.get("product_id")) for vals in vals_list} - {None}
        products = env["product.product"].sudo().with_context(active_test=False).browse(tuple(product_ids))
        types = {p.id: (p.type, p.display_name) for p in products.exists()}
        for vals in vals_list:
            product_id = record_id(vals.get("product_id"))
            if product_id is None:
                raise ValidationError(tr(env, "A stock move needs a product"))
            if product_id not in types:
                raise ValidationError(tr(env, "Product {id} does not exist").format(id=product_id))
            kind_, label = types[product_id]
            if kind_ == "service":
                raise ValidationError(tr(env, "{product} is a service: services have no stock and cannot be moved")
                                .format(product=label))
            vals["quantity"] = positive_qty(env, vals.get("quantity", 1), label)
            kind = vals.get("kind") or "in"
            if kind not in dict(KINDS):
                raise ValidationError(tr(env, "Unknown kind of stock move: {kind}").format(kind=kind))
            if kind == "internal":
                dest = record_id(vals.get("dest_warehouse_id"))
                if not dest:
                    raise ValidationError(tr(env, "A transfer between warehouses needs a destination warehouse"))
                if dest == record_id(vals.get("warehouse_id")):
                    raise ValidationError(tr(env, "A transfer needs two different warehouses"))
            elif vals.get("dest_warehouse_id"):
                vals["dest_warehouse_id"] = None

    # -- doing moves --------------------------------------------------------------------
    def create_done(self, vals_list):
        """Create moves and do them at once, in one batch; the API of other addons' documents.

        ``vals_list``: ``[{"product_id", "quantity", "kind", "warehouse_id" (optional),
        "res_model", "res_id", "origin", "date"}, ...]``. Refuses service products and
        quantities not above zero with one translated error, nothing written. Runs as the
        system (the calling document checked its user's rights); returns the moves.
        """
        moves = self.sudo().with_context(stock_move_done=True).create(list(vals_list))
        moves._apply_done()
        return moves.with_env(self.env)

    @api.ui_callable
    def action_done(self):
        """Apply draft moves to the stock levels."""
        if any(move.state != "draft" for move in self):
            raise UserError(tr(self.env, "Only draft stock moves can be done"))
        self._check_values([{"product_id": m.product_id.id, "quantity": m.quantity, "kind": m.kind,
                             "warehouse_id": m.warehouse_id.id, "dest_warehouse_id": m.dest_warehouse_id.id}
                            for m in self])
        self.with_context(stock_move_done=True)._apply_done()
        return True

    @api.ui_callable
    def action_cancel(self):
        """Cancel draft moves (a done move is corrected by another move, never cancelled)."""
        if any(move.state == "done" for move in self):
            raise UserError(tr(self.env, "A done stock move cannot be cancelled: record a correcting move instead"))
        self.with_context(stock_move_done=True).write({"state": "cancelled"})
        return True

    def _apply_done(self):
        deltas = defaultdict(lambda: ZERO)
        for move in self:
            key = (move.product_id.id, move.warehouse_id.id)
            sign = _sign(move.kind, move.adjust_direction)
            deltas[key] += sign * move.quantity
            if move.kind == "internal":
                deltas[(move.product_id.id, move.dest_warehouse_id.id)] += move.quantity
        self.sudo().with_context(stock_move_done=True).write({"state": "done"})
        self.env["stock.level"].sudo()._apply_deltas(deltas)

    def _done_totals(self):
        """``{(product_id, warehouse_id): on hand}`` summed over all done moves (one query)."""
        entity = type(self)._entity
        sign = sa.case((entity.kind == "in", 1), (entity.kind == "adjustment",
                       sa.case((entity.adjust_direction == "loss", -1), else_=1)), else_=-1)
        signed = sa.type_coerce(sa.func.sum(entity.quantity * sign), entity.quantity.type)
        totals = defaultdict(lambda: ZERO)
        rows = self.env.execute(sa.select(entity.product_id, entity.warehouse_id, signed)
                                .where(entity.state == "done").group_by(entity.product_id, entity.warehouse_id))
        for product_id, warehouse_id, qty in rows:
            totals[(product_id, warehouse_id)] += qty or ZERO
        inbound = sa.type_coerce(sa.func.sum(entity.quantity), entity.quantity.type)
        rows = self.env.execute(sa.select(entity.product_id, entity.dest_warehouse_id, inbound)
                                .where(entity.state == "done", entity.kind == "internal")
                                .group_by(entity.product_id, entity.dest_warehouse_id))
        for product_id, warehouse_id, qty in rows:
            totals[(product_id, warehouse_id)] += qty or ZERO
        return totals


def _sign(kind, direction):
    if kind == "in" or (kind == "adjustment" and direction != "loss"):
        return 1
    return -1

"""Stock counts: what was counted in a warehouse becomes correcting moves, the differences logged.

A count is a draft while people count; ``action_fill`` lists what the warehouse holds.
``action_done`` compares each counted quantity with the stock on hand at that moment,
makes one adjustment move per difference (a surplus or a shortage) and writes the
differences in the count's message log.
"""
from core.exceptions import UserError, ValidationError
from core.orm import Model, api, fields

from ..tools import ZERO, record_id, to_qty, tr

STATES = [("draft", "Draft"), ("done", "Done"), ("cancelled", "Cancelled")]


class StockInventory(Model):
    _name = "stock.inventory"
    _inherit = ["mail.thread"]
    _description = "Stock count"
    _order = "date desc, id desc"

    name = fields.Char("Number", readonly=True, copy=False)
    warehouse_id = fields.Many2one("stock.warehouse", "Warehouse", required=True, ondelete="restrict",
                                   default=lambda self: self.env["stock.warehouse"].get_default().id)
    date = fields.Datetime("Counted on", required=True, default=lambda self: fields.now())
    state = fields.Selection(STATES, "Status", required=True, default="draft", readonly=True, tracking=True)
    line_ids = fields.One2many("stock.inventory.line", "inventory_id", "Counted products", copy=True)
    move_ids = fields.One2many("stock.move", "inventory_id", "Correcting moves")
    note = fields.Text("Note")

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [dict(v) for v in ([vals_list] if single else vals_list)]
        sequences = self.env["ir.sequence"]
        for vals in vals_list:
            vals.setdefault("name", sequences.next_by_code("stock.inventory"))
            for line in vals.get("line_ids") or ():
                if isinstance(line, dict):
                    self.env["stock.inventory.line"]._check_counted(line)
        return super().create(vals_list)

    @api.ui_callable
    def action_fill(self):
        """Add a line for each product held in the warehouse, counted = on hand (to correct)."""
        for count in self:
            count._check_draft()
            levels = self.env["stock.level"].search([("warehouse_id", "=", count.warehouse_id.id),
                                                     ("quantity", "!=", 0)])
            listed = set(count.line_ids.mapped("product_id").ids)
            count.write({"line_ids": [("create", {"product_id": lvl.product_id.id, "counted_qty": lvl.quantity})
                                      for lvl in levels if lvl.product_id.id not in listed]})
        return True

    @api.ui_callable
    def action_done(self):
        """Turn the counts into adjustment moves; log every difference."""
        for count in self:
            count._validate_count()
        for count in self:
            count._apply_count()
        return True

    @api.ui_callable
    def action_cancel(self):
        for count in self:
            count._check_draft()
        self.write({"state": "cancelled"})
        return True

    def _check_draft(self):
        if self.state != "draft":
            raise UserError(tr(self.env, "Stock count {name} is not a draft any more").format(name=self.name))

    def _validate_count(self):
        self._check_draft()
        if not self.line_ids:
            raise UserError(tr(self.env, "Stock count {name} has no counted product").format(name=self.name))
        seen = set()
        for line in self.line_ids:
            line._check_counted({"product_id": line.product_id.id, "counted_qty": line.counted_qty})
            if line.product_id.id in seen:
                raise UserError(tr(self.env, "{product} is counted twice in {name}: keep one line")
                                .format(product=line.product_id.display_name, name=self.name))
            seen.add(line.product_id.id)

    def _apply_count(self):
        env = self.env
        lines = self.line_ids
        answer = env["stock.availability"].sudo().get(lines.mapped("product_id").ids, warehouse_id=self.warehouse_id)
        moves, log = [], []
        for line in lines:
            on_hand = answer[line.product_id.id]["on_hand"]
            difference = line.counted_qty - on_hand
            line.write({"theoretical_qty": on_hand, "difference": difference})
            if not difference:
                continue
            moves.append({"product_id": line.product_id.id, "quantity": abs(difference), "kind": "adjustment",
                          "adjust_direction": "gain" if difference > 0 else "loss",
                          "warehouse_id": self.warehouse_id.id, "date": self.date, "origin": self.name,
                          "res_model": self._name, "res_id": self.id, "inventory_id": self.id})
            log.append(tr(env, "{product}: counted {counted}, on hand {on_hand}, difference {difference}").format(
                product=line.product_id.display_name, counted=line.counted_qty, on_hand=on_hand,
                difference=f"{difference:+}"))
        env["stock.move"].create_done(moves)
        self.write({"state": "done"})
        body = "\n".join(log) if log else tr(env, "The count matches the stock: no difference")
        self.message_post(body, subject=tr(env, "Stock count differences"))


class StockInventoryLine(Model):
    _name = "stock.inventory.line"
    _description = "Stock count line"
    _order = "inventory_id, id"

    inventory_id = fields.Many2one("stock.inventory", "Stock count", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", "Product", required=True, ondelete="restrict")
    counted_qty = fields.Decimal("Counted", digits=3, required=True, default=0)
    theoretical_qty = fields.Decimal("On hand when counted", digits=3, readonly=True)
    difference = fields.Decimal("Difference", digits=3, readonly=True)

    _sql_constraints = [("counted_positive", "check(counted_qty >= 0)", "A counted quantity cannot be negative")]

    def write(self, vals):
        if "counted_qty" in vals or "product_id" in vals:
            for line in self:
                if line.inventory_id.state != "draft":
                    raise UserError(tr(self.env, "A done stock count cannot be changed"))
                self._check_counted({"product_id": vals.get("product_id", line.product_id.id),
                                     "counted_qty": vals.get("counted_qty", line.counted_qty)})
        return super().write(vals)

    def create(self, vals_list):
        single = isinstance(vals_list, dict)
        vals_list = [vals_list] if single else list(vals_list)
        for vals in vals_list:
            self._check_counted(vals)
        return super().create(vals_list)

    def _check_counted(self, vals):
        counted = to_qty(vals.get("counted_qty", 0))
        if counted is None or counted < 0:
            raise ValidationError(tr(self.env, "A counted quantity cannot be negative (got {value})").format(
                value=vals.get("counted_qty")))
        product = self.env["product.product"].sudo().browse(record_id(vals.get("product_id"))).exists() \
            if vals.get("product_id") else None
        if product and product.type == "service":
            raise ValidationError(tr(self.env, "{product} is a service: services have no stock to count")
                            .format(product=product.display_name))
        return counted or ZERO

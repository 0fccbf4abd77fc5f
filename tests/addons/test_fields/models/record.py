"""A record with every field type, and the small models its relations point to."""
from core.exceptions import ValidationError
from core.orm import Model, api, fields


class Kind(Model):
    _name = "test.kind"
    _description = "Test kind"

    name = fields.Char("Name", required=True)


class Tag(Model):
    _name = "test.tag"
    _description = "Test tag"
    _order = "name"

    name = fields.Char("Name", required=True)


class Record(Model):
    _name = "test.record"
    _description = "Test record"
    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code must be unique"),
        ("amount_positive", "check(amount >= 0)", "The amount cannot be negative"),
    ]

    name = fields.Char("Name", size=20, required=True)
    code = fields.Char("Code", copy=False)
    description = fields.Text("Description")
    count = fields.Integer("Count", default=3)
    ratio = fields.Float("Ratio")
    weight = fields.Decimal("Weight", digits=3)
    amount = fields.Monetary("Amount")
    flag = fields.Boolean("Flag")
    day = fields.Date("Day")
    moment = fields.Datetime("Moment")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], "State", default="draft")
    label = fields.Char("Label", default=lambda model: f"new {model._name}")
    kind_id = fields.Many2one("test.kind", "Kind")
    restrict_kind_id = fields.Many2one("test.kind", "Protected kind", ondelete="restrict")
    cascade_kind_id = fields.Many2one("test.kind", "Owning kind", ondelete="cascade")
    line_ids = fields.One2many("test.record.line", "record_id", "Lines", copy=True)
    tag_ids = fields.Many2many("test.tag", string="Tags", domain=[("name", "!=", "hidden")])
    data = fields.Binary("Data")
    payload = fields.Json("Payload")
    kind_name = fields.Char("Kind name", related="kind_id.name")
    name_upper = fields.Char("Name in capitals", compute="_compute_name_upper")

    def _compute_name_upper(self):
        for record in self:
            record.name_upper = (record.name or "").upper()

    @api.constrains("count")
    def _check_count(self):
        for record in self:
            if record.count is not None and record.count < 0:
                raise ValidationError(f"{record.name}: the count cannot be negative", field="count")


class RecordLine(Model):
    _name = "test.record.line"
    _description = "Test record line"

    record_id = fields.Many2one("test.record", "Record", required=True, ondelete="cascade")
    name = fields.Char("Name")
    quantity = fields.Integer("Quantity", default=1)

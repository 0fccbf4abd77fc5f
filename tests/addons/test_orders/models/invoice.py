"""An invoice whose tax and total come from one compute method and its own columns, and
whose lines are kept in a descending order: the shapes that create fills without asking
the database again."""
from core.orm import Model, api, fields

COMPUTE_RUNS = []  # the number of invoices of each run of ``_compute_amounts``


class Invoice(Model):
    _name = "test.invoice"
    _description = "Test invoice"

    name = fields.Char("Number")
    amount_untaxed = fields.Monetary("Before tax", default=0)
    rate = fields.Decimal("Tax rate (%)", digits=2, default=17)
    amount_tax = fields.Monetary("Tax", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary("Total", compute="_compute_amounts", store=True)
    line_ids = fields.One2many("test.invoice.line", "invoice_id", "Lines")
    lines_total = fields.Monetary("Lines total", compute="_compute_lines_total", store=True)

    @api.depends("amount_untaxed", "rate")
    def _compute_amounts(self):
        COMPUTE_RUNS.append(len(self))
        for invoice in self:
            invoice.amount_tax = (invoice.amount_untaxed or 0) * (invoice.rate or 0) / 100
            invoice.amount_total = (invoice.amount_untaxed or 0) + invoice.amount_tax

    @api.depends("line_ids.amount")
    def _compute_lines_total(self):
        for invoice in self:
            invoice.lines_total = sum((line.amount or 0 for line in invoice.line_ids), 0)


class InvoiceLine(Model):
    _name = "test.invoice.line"
    _description = "Test invoice line"
    _order = "sequence desc, id"

    invoice_id = fields.Many2one("test.invoice", "Invoice", required=True, ondelete="cascade")
    sequence = fields.Integer("Sequence", default=10)
    amount = fields.Monetary("Amount")

"""Gapless document numbering: QT/2025/00042, drawn when a document is posted.

The counter row is incremented with one UPDATE ... RETURNING; the row lock it takes
lasts until the posting transaction ends, so concurrent postings queue for a moment and
a rolled-back posting gives its number back: no gaps, no duplicates.
"""
import datetime as dt

import sqlalchemy as sa

from core.exceptions import UserError
from core.i18n import _
from core.orm import Model, fields


class Sequence(Model):
    _name = "ir.sequence"
    _description = "Sequence"
    _order = "code"

    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True)
    prefix = fields.Char("Prefix", help="%(year)s is replaced by the year of the document, e.g. QT/%(year)s/")
    padding = fields.Integer("Digits", default=5)
    per_year = fields.Boolean("Restart every year", default=True)
    active = fields.Boolean("Active", default=True)
    counter_ids = fields.One2many("ir.sequence.counter", "sequence_id", "Counters")

    _sql_constraints = [("code_uniq", "unique(code)", "Another sequence already has this code")]

    def next_by_code(self, code, date=None):
        """The next number of the sequence ``code`` for a document dated ``date``."""
        sequence = self.sudo().search([("code", "=", code)], limit=1)
        if not sequence:
            raise UserError(_("No sequence with code %(code)r is defined") % {"code": code})
        return sequence.next_number(date)

    def next_number(self, date=None):
        self.ensure_one()
        date = fields.Date().convert(date) if date else dt.date.today()
        year = date.year if self.per_year else 0
        counters = self.env["ir.sequence.counter"].sudo()
        table = counters._table
        statement = (sa.update(table).where(table.c.sequence_id == self.id, table.c.year == year)
                     .values(number_next=table.c.number_next + 1).returning(table.c.number_next))
        number = self.env.execute(statement).scalar()
        if number is None:
            self.env.execute(_insert_counter(self.env, table, self.id, year))
            number = self.env.execute(statement).scalar()
        return self._format(number - 1, date)

    def _format(self, number, date):
        prefix = (self.prefix or "").replace("%(year)s", str(date.year))
        return f"{prefix}{number:0{self.padding or 1}d}"


class SequenceCounter(Model):
    _name = "ir.sequence.counter"
    _description = "Sequence counter"

    sequence_id = fields.Many2one("ir.sequence", "Sequence", required=True, ondelete="cascade")
    year = fields.Integer("Year", required=True, default=0)
    number_next = fields.Integer("Next number", required=True, default=1)

    _sql_constraints = [("sequence_year_uniq", "unique(sequence_id, year)", "One counter per sequence and year")]


def _insert_counter(env, table, sequence_id, year):
    """INSERT the year's counter unless a concurrent transaction just did (no error then)."""
    if env.registry.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    return insert(table).values(sequence_id=sequence_id, year=year, number_next=1, version=1, create_date=now,
                                write_date=now).on_conflict_do_nothing()

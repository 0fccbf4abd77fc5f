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
    _description = "Numbering sequence"
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
        """The next number for a document dated ``date`` (today by default)."""
        return self.next_numbers([date])[0]

    def next_numbers(self, dates):
        """One number per document, for documents dated ``dates`` (in that order): a batch
        draws its numbers with one UPDATE per year, however many documents."""
        self.ensure_one()
        convert = fields.Date().convert
        dates = [convert(date) if date else dt.date.today() for date in dates]
        by_year = {}
        for index, date in enumerate(dates):
            by_year.setdefault(date.year if self.per_year else 0, []).append(index)
        numbers = [None] * len(dates)
        for year, indexes in by_year.items():
            first = self._advance(year, len(indexes))
            for offset, index in enumerate(indexes):
                numbers[index] = self._format(first + offset, dates[index])
        return numbers

    def _advance(self, year, count):
        """Take ``count`` numbers of the year's counter; the first of them. The UPDATE's row
        lock holds concurrent transactions back until this one ends: no gap, no duplicate."""
        table = self.env["ir.sequence.counter"].sudo()._table
        statement = (sa.update(table).where(table.c.sequence_id == self.id, table.c.year == year)
                     .values(number_next=table.c.number_next + count).returning(table.c.number_next))
        after = self.env.execute(statement).scalar()
        if after is None:
            self.env.execute(_insert_counter(self.env, table, self.id, year))
            after = self.env.execute(statement).scalar()
        return after - count

    def _format(self, number, date):
        prefix = (self.prefix or "").replace("%(year)s", str(date.year))
        return f"{prefix}{number:0{self.padding or 1}d}"


class SequenceCounter(Model):
    _name = "ir.sequence.counter"
    _description = "Sequence counter"

    sequence_id = fields.Many2one("ir.sequence", "Numbering sequence", required=True, ondelete="cascade")
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

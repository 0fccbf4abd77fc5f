"""Column types that keep money exact and datetimes in UTC on every database.

SQLite has no decimal type and sums NUMERIC as floating point, so there money is
stored as an integer count of its smallest unit (agorot for 2 digits) and scaled back
on the way out; SUM over integers is exact. PostgreSQL keeps a real NUMERIC.
"""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.types import TypeDecorator


class ExactDecimal(TypeDecorator):
    """Decimal with a fixed number of digits after the point, exact on SQLite too."""

    impl = Numeric
    cache_ok = True

    def __init__(self, digits=2, precision=18):
        super().__init__()
        self.digits = digits
        self.precision = precision
        self.quantum = Decimal(1).scaleb(-digits)
        self.scale = 10 ** digits

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.digits, asdecimal=True))

    def quantize(self, value):
        if value is None:
            return None
        if not isinstance(value, Decimal):
            value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)

    def bind_processor(self, dialect):
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        quantum, digits, to_decimal = self.quantum, self.digits, self.quantize

        def process(value):  # process_bind_param in fewer steps: batches send thousands of amounts
            if value is None:
                return None
            if value.__class__ is not Decimal:
                value = to_decimal(value)
            return int(value.quantize(quantum, ROUND_HALF_UP).scaleb(digits))
        return process

    def process_bind_param(self, value, dialect):
        value = self.quantize(value)
        if value is None or dialect.name != "sqlite":
            return value
        return int(value.scaleb(self.digits))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            if isinstance(value, float):  # AVG and friends come back as floats
                return self.quantize(Decimal(repr(value)) / self.scale)
            return Decimal(int(value)).scaleb(-self.digits)  # exact: the stored integer, its point moved
        return self.quantize(value)

    @property
    def python_type(self):
        return Decimal


class UTCDateTime(TypeDecorator):
    """Datetimes stored naive in UTC and returned timezone-aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.timezone.utc)

    @property
    def python_type(self):
        return dt.datetime

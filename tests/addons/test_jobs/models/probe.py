"""A probe scheduled jobs write to, so tests can see what ran, when, and what was rolled back."""
import datetime as dt
import time

from core.exceptions import UserError
from core.orm import Model, fields


def _now():
    return dt.datetime.now(dt.timezone.utc)


class JobProbe(Model):
    _name = "test.job.probe"
    _description = "Job probe"

    name = fields.Char("Job", required=True)
    started = fields.Datetime("Started")
    finished = fields.Datetime("Finished")

    def tick(self):
        self.create({"name": "tick", "started": _now(), "finished": _now()})

    def boom(self):
        self.create({"name": "boom"})
        raise UserError("the probe exploded")

    def slow(self):
        started = _now()
        time.sleep(0.4)
        self.create({"name": "slow", "started": started, "finished": _now()})

    def needs_argument(self, value):
        return value

    def _private(self):
        return None

"""Scheduled jobs: a public method of a model, called every N minutes/hours/days/weeks.

A job names its method as data (``model`` + ``method``), so it is checked when it is
saved: a typo is refused at install rather than failing every minute in production.
The runner is ``core.jobs.runner``.
"""
import datetime as dt
import inspect

from core.exceptions import ValidationError
from core.i18n import _
from core.orm import Model, api, fields

INTERVAL_TYPES = ("minutes", "hours", "days", "weeks")  # keyword arguments of timedelta


def check_job_method(registry, model, method):
    """The method ``model.method`` a job may call, or a ValidationError saying why not."""
    if model not in registry.models:
        raise ValidationError(_("Scheduled job: unknown model %(model)r") % {"model": model}, field="model")
    cls = registry.models[model]
    if not method or not method.isidentifier() or method.startswith("_"):
        raise ValidationError(_("Scheduled job: %(method)r is not a public method name (private methods, starting "
                                "with '_', cannot be scheduled)") % {"method": method}, field="method")
    function = getattr(cls, method, None)
    if not inspect.isfunction(function):
        raise ValidationError(_("Scheduled job: model %(model)r has no method %(method)r")
                              % {"model": model, "method": method}, field="method")
    try:
        inspect.signature(function).bind(None)
    except TypeError:
        raise ValidationError(_("Scheduled job: %(model)s.%(method)s() needs arguments, but a job calls it with none")
                              % {"model": model, "method": method}, field="method") from None
    return function


class Cron(Model):
    _name = "ir.cron"
    _description = "Scheduled job"
    _order = "next_call, id"

    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True, help="Stable identifier, e.g. mail_outbox")
    model = fields.Char("Model", required=True, help="e.g. mail.mail")
    method = fields.Char("Method", required=True, help="Called on an empty recordset with no arguments")
    interval_number = fields.Integer("Every", required=True, default=1)
    interval_type = fields.Selection([(key, key.capitalize()) for key in INTERVAL_TYPES], "Unit", required=True,
                                     default="hours")
    next_call = fields.Datetime("Next run", required=True, index=True,
                                default=lambda self: dt.datetime.now(dt.timezone.utc))
    active = fields.Boolean("Active", default=True)
    last_run = fields.Datetime("Last run", readonly=True, copy=False)
    last_error = fields.Text("Last error", readonly=True, copy=False)
    failure_count = fields.Integer("Failures in a row", default=0, readonly=True, copy=False)

    _sql_constraints = [("code_uniq", "unique(code)", "Another scheduled job already has this code")]

    @api.constrains("model", "method", "interval_number")
    def _check_job(self):
        for job in self:
            check_job_method(self.env.registry, job.model, job.method)
            if (job.interval_number or 0) < 1:
                raise ValidationError(_("Scheduled job %(job)r: the interval must be at least 1") % {"job": job.name},
                                      field="interval_number")

    def interval(self):
        """The time between two runs, as a timedelta."""
        self.ensure_one()
        return dt.timedelta(**{self.interval_type: self.interval_number})

    def following_call(self, now):
        """The first time after ``now`` on this job's schedule: missed runs are not caught up."""
        self.ensure_one()
        step, start = self.interval(), self.next_call or now
        if start > now:
            return start
        return start + step * ((now - start) // step + 1)

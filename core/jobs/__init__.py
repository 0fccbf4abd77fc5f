"""Scheduled jobs: run the due ``ir.cron`` rows, each in a transaction of its own."""
from .runner import run_due_jobs, run_forever

__all__ = ["run_due_jobs", "run_forever"]

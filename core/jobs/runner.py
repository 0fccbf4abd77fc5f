"""Run due ``ir.cron`` jobs: one at a time, each in its own transaction, never twice at once.

A job's row is claimed before it runs: its ``next_call`` moves to the next time on its
schedule. On PostgreSQL the claim is a ``FOR UPDATE SKIP LOCKED`` row lock held until
the job is over, so another worker skips the job, and a crash leaves it due. SQLite's
lock is the whole database, so there the claim is committed before the job runs (its
new ``next_call`` keeps other runners away) and the outcome is saved afterwards.
A job must therefore not write its own ``ir.cron`` row on PostgreSQL (it would wait on
the runner's lock).
"""
import datetime as dt
import functools
import logging
import threading

import sqlalchemy as sa

from core.base.models.ir_cron import check_job_method

_logger = logging.getLogger(__name__)


def run_due_jobs(registry, now=None):
    """Run every active job due at ``now``; returns ``[(code, "ok" | "error: ...")]``.

    Jobs another worker is running are skipped (and not listed). ``now`` fixes the clock.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    due = registry.run(functools.partial(_due_ids, now=now), readonly=True)
    results = []
    for job_id in due:
        result = _run_job(registry, job_id, now)
        if result is not None:
            results.append(result)
    return results


def run_forever(registry, interval=60, stop=None):
    """Run due jobs every ``interval`` seconds until ``stop`` (a ``threading.Event``) is set."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            run_due_jobs(registry)
        except Exception:  # the database may be away for a moment: keep the scheduler alive
            _logger.exception("running scheduled jobs failed; next try in %s s", interval)
        stop.wait(interval)


def _due_clause(table, now):
    return sa.and_(table.c.active.is_(True), sa.or_(table.c.next_call.is_(None), table.c.next_call <= now))


def _due_ids(env, now):
    table = env["ir.cron"]._table
    statement = sa.select(table.c.id).where(_due_clause(table, now)).order_by(table.c.next_call, table.c.id)
    return env.execute(statement).scalars().all()


def _run_job(registry, job_id, now):
    hold_lock = registry.dialect != "sqlite"
    env = registry.env()
    try:
        job = _claim(env, job_id, now)
        if job is None:
            return None
        if not hold_lock:
            env.commit()
        error = _call(registry, job)
        if hold_lock:
            _finish(env, job_id, error)
            env.commit()
        else:
            registry.run(functools.partial(_finish, job_id=job_id, error=error))
    except BaseException:
        env.rollback()
        raise
    finally:
        env.close()
    return job["code"], "ok" if error is None else f"error: {error}"


def _claim(env, job_id, now):
    """Lock the job if it is still due and free, and move it to its next run."""
    table = env["ir.cron"]._table
    statement = (sa.select(table.c.id).where(table.c.id == job_id, _due_clause(table, now))
                 .with_for_update(skip_locked=True))
    if env.execute(statement).scalar() is None:
        return None
    job = env["ir.cron"].browse(job_id)
    job.write({"next_call": job.following_call(now), "last_run": now})
    return {"code": job.code, "model": job.model, "method": job.method}


def _call(registry, job):
    """Run the job's method in a transaction of its own; return None or the error text."""
    def work(env):
        check_job_method(env.registry, job["model"], job["method"])
        getattr(env[job["model"]], job["method"])()

    try:
        registry.run(work)
    except Exception as exc:
        _logger.exception("scheduled job %s failed", job["code"])
        return f"{type(exc).__name__}: {exc}"
    return None


def _finish(env, job_id, error):
    job = env["ir.cron"].browse(job_id)
    if error is None:
        job.write({"last_error": None, "failure_count": 0})
    else:
        job.write({"last_error": error, "failure_count": (job.failure_count or 0) + 1})

"""Scheduled jobs with a controlled clock: due jobs only, no catch-up, errors kept, no overlap."""
import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from core.exceptions import ValidationError
from core.jobs import run_due_jobs, run_forever
from smtp_helpers import SmtpServers, mail_config

T = dt.datetime(2020, 3, 1, 10, 0, tzinfo=dt.timezone.utc)  # before the install: the outbox job is not due
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def jobs(make_registry):
    return make_registry(["test_jobs"])


def add_jobs(registry, *specs):
    """Commit jobs ``(code, method, next_call, extra values)``; return ``{code: id}``."""
    def work(env):
        created = env["ir.cron"].create([
            {"name": code, "code": code, "model": "test.job.probe", "method": method, "next_call": next_call,
             "interval_number": 5, "interval_type": "minutes", **extra}
            for code, method, next_call, extra in specs])
        return dict(zip(created.mapped("code"), created.ids))
    return registry.run(work)


def job_state(registry, code):
    def work(env):
        [row] = env["ir.cron"].search([("code", "=", code)]).read(
            ["next_call", "last_run", "last_error", "failure_count"])
        return row
    return registry.run(work)


def probes(registry):
    return registry.run(lambda env: env["test.job.probe"].search([]).mapped("name"))


def test_outbox_job_is_declared(env):
    job = env.ref("base.cron_mail_outbox")
    assert (job.model, job.method, job.interval_number, job.interval_type, job.active) == (
        "mail.mail", "process_outbox", 1, "minutes", True)


def test_runs_due_jobs_only_and_advances_without_catch_up(jobs):
    add_jobs(jobs, ("late", "tick", T - 12 * MINUTE, {}), ("future", "tick", T + MINUTE, {}),
             ("paused", "tick", T - MINUTE, {"active": False}))
    assert run_due_jobs(jobs, now=T) == [("late", "ok")]
    assert probes(jobs) == ["tick"]  # three missed runs, run once
    state = job_state(jobs, "late")
    assert (state["last_run"], state["next_call"], state["failure_count"]) == (T, T + 3 * MINUTE, 0)
    assert run_due_jobs(jobs, now=T) == []
    assert run_due_jobs(jobs, now=T + 3 * MINUTE) == [("future", "ok"), ("late", "ok")]
    assert job_state(jobs, "future")["next_call"] == T + 6 * MINUTE


def test_failing_job_is_rolled_back_recorded_and_the_loop_goes_on(jobs):
    add_jobs(jobs, ("boom", "boom", T - 2 * MINUTE, {}), ("tick", "tick", T - MINUTE, {}))
    assert run_due_jobs(jobs, now=T) == [("boom", "error: UserError: the probe exploded"), ("tick", "ok")]
    assert probes(jobs) == ["tick"]  # the failing job's own row is gone with its transaction
    state = job_state(jobs, "boom")
    assert (state["last_error"], state["failure_count"]) == ("UserError: the probe exploded", 1)
    assert state["next_call"] == T + 3 * MINUTE
    run_due_jobs(jobs, now=T + 3 * MINUTE)
    assert job_state(jobs, "boom")["failure_count"] == 2
    jobs.run(lambda env: env["ir.cron"].search([("code", "=", "boom")]).write({"method": "tick"}))
    run_due_jobs(jobs, now=T + 8 * MINUTE)
    state = job_state(jobs, "boom")
    assert (state["last_error"], state["failure_count"]) == (None, 0)


@pytest.mark.parametrize("values, message", [
    ({"method": "nope"}, "has no method 'nope'"),
    ({"method": "_private"}, "not a public method name"),
    ({"method": "needs_argument"}, r"needs_argument\(\) needs arguments"),
    ({"method": "name"}, "has no method 'name'"),
    ({"model": "no.such.model"}, "unknown model 'no.such.model'"),
    ({"interval_number": 0}, "at least 1"),
])
def test_bad_job_is_refused(jobs, values, message):
    with jobs.env() as env:
        job = env["ir.cron"].create({"name": "ok", "code": "ok", "model": "test.job.probe", "method": "tick"})
        with pytest.raises(ValidationError, match=message):
            env["ir.cron"].create({"name": "bad", "code": "bad", "model": "test.job.probe", "method": "tick",
                                   **values})
        with pytest.raises(ValidationError, match=message):
            job.write(values)


@pytest.mark.postgresql_only
def test_job_locked_by_another_transaction_is_skipped(jobs, db_url):
    ids = add_jobs(jobs, ("locked", "tick", T - MINUTE, {}), ("free", "tick", T - MINUTE, {}))
    with jobs.engine.connect() as other:
        other.execute(sa.text("SELECT id FROM ir_cron WHERE id = :id FOR UPDATE"), {"id": ids["locked"]})
        assert run_due_jobs(jobs, now=T) == [("free", "ok")]
        other.rollback()
    assert job_state(jobs, "locked")["next_call"] == T - MINUTE
    assert run_due_jobs(jobs, now=T) == [("locked", "ok")]


def test_runs_do_not_overlap(jobs):
    """Two schedulers at once: the slow job runs once, and no job of theirs runs twice."""
    add_jobs(jobs, ("slow", "slow", T - MINUTE, {}), ("tick", "tick", T - MINUTE, {}))
    start, results = threading.Barrier(2), []

    def scheduler():
        start.wait()
        results.extend(run_due_jobs(jobs, now=T))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [("slow", "ok"), ("tick", "ok")]
    assert sorted(probes(jobs)) == ["slow", "tick"]


def test_outbox_job_sends_through_cron(make_registry, db_url, tmp_path):
    servers = SmtpServers()
    handler, port = servers.start()
    try:
        registry = make_registry(["test_jobs"], cfg=mail_config(tmp_path, db_url, port))
        registry.run(lambda env: env["mail.mail"].create({"subject": "שלום", "body_text": "גוף",
                                                           "email_to": "dana@example.com"}))
        now = dt.datetime.now(dt.timezone.utc) + MINUTE
        assert run_due_jobs(registry, now=now) == [("mail_outbox", "ok")]
        assert len(handler.envelopes) == 1
        assert job_state(registry, "mail_outbox")["next_call"] > now
    finally:
        servers.stop_all()


def test_run_forever_stops(jobs):
    add_jobs(jobs, ("tick", "tick", T, {}))
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(jobs,), kwargs={"interval": 0.05, "stop": stop})
    thread.start()
    for _ in range(100):
        if probes(jobs):
            break
        stop.wait(0.05)
    stop.set()
    thread.join(10)
    assert not thread.is_alive() and probes(jobs) == ["tick"]

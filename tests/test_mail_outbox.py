"""Email templates and the outbox, against a real local SMTP server, on SQLite and PostgreSQL."""
import datetime as dt
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa

from core.exceptions import UserError
from core.mail.outbox import process_outbox
from core.mail.render import TemplateError
from smtp_helpers import SmtpServers, free_port, mail_config

SUBJECT = ("{% if lang == 'he' %}הצעת מחיר עבור {{ object.name }}{% else %}Quote for {{ object.name }}{% endif %}")


@pytest.fixture
def servers():
    started = SmtpServers()
    yield started
    started.stop_all()


@pytest.fixture
def outbox(make_registry, db_url, tmp_path, servers):
    """``outbox(port=None, refuse=None)``: (registry, handler) with [smtp] at a fresh server."""
    def make(port=None, refuse=None, listen=True):
        handler, port = servers.start(port, refuse) if listen else (None, port or free_port())
        return make_registry(["test_jobs"], cfg=mail_config(tmp_path, db_url, port)), handler
    return make


def queue(registry, names=("דנה כהן",), subject=SUBJECT, email="dana@example.com"):
    """Commit partners and one queued email each (through a template); return the mail ids."""
    def work(env):
        partners = env["res.partner"].create([{"name": n, "email": email, "lang": "he"} for n in names])
        template = env["mail.template"].create({
            "name": "Quote", "model": "res.partner", "subject": subject, "lang": "{{ object.lang }}",
            "body_text": "שלום {{ object.name }},\nמצורפת הצעת המחיר.", "email_to": "{{ object.email }}"})
        return template.send_mail(partners).ids
    return registry.run(work)


def mails(registry, ids):
    return registry.run(lambda env: env["mail.mail"].browse(ids).read(
        ["state", "attempts", "last_error", "next_try", "sent_date", "message_id", "subject", "body_text"]))


def test_render_per_record_and_language(env):
    he, en = env["res.partner"].create([{"name": "דנה", "lang": "he", "email": "dana@example.com"},
                                        {"name": "Dan", "lang": "en", "email": "dan@example.com"}])
    template = env["mail.template"].create({
        "name": "Quote", "model": "res.partner", "subject": SUBJECT + "\n", "lang": "{{ object.lang }}",
        "body_text": "{{ object.city }}|{{ object.company_id.name }}|{{ object.display_name }}",
        "body_html": "<p>{{ object.name }} &amp; {{ '<b>' }}</p>",
        "email_to": '{{ object.name }} <{{ object.email }}>', "email_cc": "boss@example.com"})
    assert template.render_for(he) == {
        "subject": "הצעת מחיר עבור דנה", "body_text": "||דנה", "body_html": "<p>דנה &amp; &lt;b&gt;</p>",
        "email_to": '"דנה" <dana@example.com>', "email_cc": "boss@example.com", "lang": "he"}
    assert template.render_for(en)["subject"] == "Quote for Dan"
    template.write({"lang": False})  # no expression: the language of the caller's context
    assert template.render_for(he.with_context(lang="en"))["lang"] == "en"
    with pytest.raises(UserError, match="is for res.partner"):
        template.render_for(env["res.users"].browse(env.uid))


@pytest.mark.parametrize("source, error", [
    ("{{ object._records.env }}", "unsafe"),
    ("{{ object.write({'name': 'x'}) }}", "failed to render"),
    ("{{ object.env.registry.config }}", None),  # not a field: renders empty, reaches nothing
])
def test_template_sees_fields_only(env, source, error):
    partner = env["res.partner"].create({"name": "Dana", "email": "dana@example.com"})
    template = env["mail.template"].create({"name": "T", "model": "res.partner", "subject": source})
    if error:
        with pytest.raises(TemplateError, match=error):
            template.render_for(partner)
    else:
        assert template.render_for(partner)["subject"] == ""
    assert partner.name == "Dana"


def test_send_mail_queues_and_logs(outbox):
    registry, handler = outbox()
    ids = queue(registry, names=("דנה", "רון"))
    with registry.env() as env:
        queued = env["mail.mail"].browse(ids)
        assert [m.state for m in queued] == ["outgoing", "outgoing"]
        assert [m.subject for m in queued] == ["הצעת מחיר עבור דנה", "הצעת מחיר עבור רון"]
        assert len({m.message_id for m in queued}) == 2 and all(m.message_id.endswith("@kesher.test>") for m in queued)
        partner = env["res.partner"].browse(queued[0].res_id)
        assert (queued[0].res_model, partner.name) == ("res.partner", "דנה")
        [logged] = partner.message_ids().filtered(lambda m: m.message_type == "email")
        assert (logged.subject, logged.body) == ("הצעת מחיר עבור דנה", "שלום דנה,\nמצורפת הצעת המחיר.")
        template = env["mail.template"].search([], limit=1)
        with pytest.raises(UserError, match="not valid"):
            template.write({"email_to": "nobody"})
            template.send_mail(partner)
    assert handler.envelopes == []  # queuing never talks to SMTP


def test_process_outbox_sends_once(outbox):
    registry, handler = outbox()
    ids = queue(registry)
    assert process_outbox(registry) == {"sent": 1, "retry": 0, "exception": 0}
    assert process_outbox(registry) == {"sent": 0, "retry": 0, "exception": 0}
    [envelope] = handler.envelopes
    [mail] = mails(registry, ids)
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert (received["Subject"], received["Message-ID"], envelope.rcpt_tos) == (
        "הצעת מחיר עבור דנה כהן", mail["message_id"], ["dana@example.com"])
    assert received.get_body(("plain",)).get_content().splitlines() == ["שלום דנה כהן,", "מצורפת הצעת המחיר."]
    assert (mail["state"], mail["attempts"], mail["last_error"]) == ("sent", 1, None) and mail["sent_date"]
    probes = registry.run(lambda env: env["test.job.probe"].search([]).mapped("name"))
    assert probes == [f"sent {mail['message_id']}"]  # kesher_mail_sent fired after the commit


def test_failing_listener_does_not_resend(outbox):
    registry, handler = outbox()
    ids = queue(registry, subject="the listener breaks")
    assert process_outbox(registry)["sent"] == 1
    assert process_outbox(registry)["sent"] == 0
    assert len(handler.envelopes) == 1 and mails(registry, ids)[0]["state"] == "sent"


def test_server_down_retries_with_backoff_then_keeps_the_mail(outbox, servers):
    registry, _ = outbox(listen=False)
    port = registry.config.get("smtp", "port")
    [mail_id] = queue(registry)
    t0 = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    assert process_outbox(registry, now=t0)["retry"] == 1
    [mail] = mails(registry, [mail_id])
    assert (mail["state"], mail["attempts"], mail["next_try"]) == ("outgoing", 1, t0 + dt.timedelta(minutes=1))
    assert f"127.0.0.1:{port}" in mail["last_error"]
    assert process_outbox(registry, now=t0) == {"sent": 0, "retry": 0, "exception": 0}  # not due yet
    t1 = t0 + dt.timedelta(minutes=1)
    assert process_outbox(registry, now=t1)["retry"] == 1
    assert mails(registry, [mail_id])[0]["next_try"] == t1 + dt.timedelta(minutes=2)
    assert process_outbox(registry, now=t1 + dt.timedelta(hours=1))["exception"] == 1  # max_retries = 3
    [mail] = mails(registry, [mail_id])
    assert (mail["state"], mail["attempts"]) == ("exception", 3) and "could not talk" in mail["last_error"]
    assert process_outbox(registry, now=t0 + dt.timedelta(days=1))["retry"] == 0
    handler, _ = servers.start(port)  # the server is back: the kept email goes out on request
    registry.run(lambda env: env["mail.mail"].browse(mail_id).retry())
    assert process_outbox(registry)["sent"] == 1
    assert len(handler.envelopes) == 1 and mails(registry, [mail_id])[0]["body_text"].startswith("שלום")


def test_permanent_refusal_fails_at_once(outbox):
    registry, handler = outbox(refuse={"dana@example.com": "550 5.1.1 No such user"})
    [mail_id] = queue(registry)
    assert process_outbox(registry) == {"sent": 0, "retry": 0, "exception": 1}
    [mail] = mails(registry, [mail_id])
    assert (mail["state"], mail["attempts"]) == ("exception", 1) and "550" in mail["last_error"]
    assert handler.envelopes == []
    with pytest.raises(UserError, match="was sent"):
        registry.run(lambda env: env["mail.mail"].create({"email_to": "x@example.com", "state": "sent"}).retry())


@pytest.mark.postgresql_only
def test_mail_locked_by_another_worker_is_skipped(outbox, db_url):
    registry, handler = outbox()
    [mail_id] = queue(registry)
    with registry.engine.connect() as other:
        other.execute(sa.text("SELECT id FROM mail_mail WHERE id = :id FOR UPDATE"), {"id": mail_id})
        assert process_outbox(registry)["sent"] == 0
        other.rollback()
    assert process_outbox(registry)["sent"] == 1 and len(handler.envelopes) == 1


def test_outbox_method_refuses_an_open_sqlite_transaction(outbox, db_url):
    registry, handler = outbox()
    queue(registry)
    with registry.env() as env:
        env["res.partner"].search_count([])
        if db_url.startswith("sqlite"):
            with pytest.raises(UserError, match="outside an open transaction"):
                env["mail.mail"].process_outbox()
        else:
            assert env["mail.mail"].process_outbox()["sent"] == 1

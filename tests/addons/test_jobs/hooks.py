"""Listens to sent emails: leaves a probe row, or breaks on purpose for one subject."""
from core.hooks import hookimpl


@hookimpl
def kesher_mail_sent(env, message):
    if message.subject == "the listener breaks":
        raise RuntimeError("listener broke")
    env["test.job.probe"].create({"name": f"sent {message.message_id}"})

"""A real local SMTP server (aiosmtpd) and a Config pointing at it, for outbox and cron tests."""
import socket
from pathlib import Path

from aiosmtpd.controller import Controller

TEST_ADDONS = Path(__file__).parent / "addons"

SENDER = "Kesher <noreply@kesher.test>"


class Collector:
    """aiosmtpd handler keeping every envelope; answers ``refuse`` recipients with a code."""

    def __init__(self, refuse=None):
        self.envelopes = []
        self.refuse = refuse or {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServers:
    """Starts servers on demand (``start(port=None, refuse=None)``); ``stop_all`` at teardown."""

    def __init__(self):
        self.controllers = []

    def start(self, port=None, refuse=None):
        handler, port = Collector(refuse), port or free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        self.controllers.append(controller)
        return handler, port

    def stop_all(self):
        for controller in self.controllers:
            controller.stop()


def mail_config(tmp_path, db_url, port, max_retries=3):
    """A Config whose ``[smtp]`` is the local server on ``port``."""
    from core.config import load_config
    path = tmp_path / f"kesher-{port}.toml"
    path.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "{SENDER}"\ntimeout = 5\n\n'
                    f"[mail]\nmax_retries = {max_retries}\n", encoding="utf-8")
    return load_config(path=path, environ={}).with_overrides(db_url=db_url, addons_paths=[str(TEST_ADDONS)])

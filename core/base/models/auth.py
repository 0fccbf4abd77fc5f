"""Authentication: passwords with login throttling, and API tokens hashed at rest.

Failed attempts are rows in the database, so several workers (or machines on one
PostgreSQL) share the throttling state. Every login, good or bad, is in the audit log.
"""
import datetime as dt
import hashlib
import logging
import secrets

from core.exceptions import AccessError, ValidationError
from core.i18n import _
from core.orm import Model, fields

_logger = logging.getLogger(__name__)
TOKEN_PREFIX = "ksr_"




class LoginAttempt(Model):
    _name = "res.users.login"
    _description = "Login attempt"
    _order = "date desc, id desc"
    _rec_name = "login"

    login = fields.Char("Login", required=True, index=True)
    remote_addr = fields.Char("Address")
    success = fields.Boolean("Succeeded")
    throttled = fields.Boolean("Refused unchecked", help="Refused for too many failures, the password unchecked: "
                                                          "not counted as a failure")
    date = fields.Datetime("Date", required=True, default=lambda self: fields.now(), index=True)


class UsersAuth(Model):
    _inherit = "res.users"

    def _login(self, login, password, remote_addr=None, now=None):
        """``(user id, None)`` if ``password`` is right, else ``(None, reason)``; all logged.

        Use ``core.security.auth.authenticate``: it commits the attempt even when it fails.

        After ``[security] login_max_failures`` failures within ``login_window_seconds``,
        further attempts are refused for ``login_lockout_seconds`` after the last failure,
        even with the right password; the refusals are logged (and do not prolong the lock).
        """
        system = self.sudo().with_context(active_test=False)
        now = now or fields.now()
        if system._login_locked(login, now):
            _logger.warning("login %r refused: throttled after too many failures", login)
            system._audit_login(login, remote_addr, False, "Login refused: too many failed attempts", now,
                                throttled=True)
            return None, _("Too many failed attempts for this login: try again in a few minutes")
        user = system.search([("login", "=", login)], limit=1)
        if not user or not user.active or not user.check_password(password):
            _logger.info("login %r failed from %s", login, remote_addr or "?")
            system._audit_login(login, remote_addr, False, "Login failed", now, user)
            return None, _("Wrong login or password")
        system._audit_login(login, remote_addr, True, "Logged in", now, user)
        return user.id, None

    def _login_locked(self, login, now):
        """Whether ``login_max_failures`` failures of ``login`` fall within one window, the
        last of them less than ``login_lockout_seconds`` before ``now``."""
        settings = self.env.registry.config.section("security")
        limit = settings["login_max_failures"]
        window = dt.timedelta(seconds=settings["login_window_seconds"])
        lockout = dt.timedelta(seconds=settings["login_lockout_seconds"])
        failures = self.env["res.users.login"].search([
            ("login", "=", login), ("success", "=", False), ("throttled", "=", False),
            ("date", ">", now - lockout - window), ("date", "<=", now)], order="date desc")
        dates = failures.mapped("date")
        for index in range(len(dates) - limit + 1):
            if now >= dates[index] + lockout:
                return False
            if dates[index] - dates[index + limit - 1] <= window:
                return True
        return False

    def _audit_login(self, login, remote_addr, success, text, now, user=None, throttled=False):
        self.env["res.users.login"].create({"login": login, "remote_addr": remote_addr, "success": success,
                                            "throttled": throttled, "date": now})
        self.env["mail.message"].create({
            "model": "res.users", "res_id": user.id if user else 0, "message_type": "audit",
            "subject": text, "body": f"{text}: {login} from {remote_addr or 'unknown address'}",
            "author_id": user.id if user and success else None, "date": now})

    def create_api_token(self, name="API token", expires=None):
        """A new token for this user, returned once in clear; only its hash is stored.

        A user makes tokens for himself; only administrators make them for others.
        """
        self.ensure_one()
        if not self.env.su and self.id != self.env.uid and not self.env.user.has_group("base.group_system"):
            raise AccessError(_("You are not allowed to create API tokens (model res.users.apikey) for another user."))
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.env["res.users.apikey"].sudo().create({
            "user_id": self.id, "name": name, "prefix": token[:12], "key_hash": _hash(token), "expires": expires})
        return token

    def authenticate_token(self, token, now=None):
        """The id of the user owning ``token`` if it is valid, not revoked and not expired."""
        if not token or not token.startswith(TOKEN_PREFIX):
            raise AccessError(_("Invalid API token"))
        keys = self.env["res.users.apikey"].sudo().search([("prefix", "=", token[:12])])
        now = now or fields.now()
        for key in keys:
            if secrets.compare_digest(key.key_hash, _hash(token)):
                if key.expires and key.expires <= now:
                    raise AccessError(_("This API token has expired"))
                if not key.user_id.active:
                    raise AccessError(_("The user of this API token is disabled"))
                return key.user_id.id
        raise AccessError(_("Invalid API token"))


def _hash(token):
    """Tokens are 256 random bits: a plain SHA-256 is enough (no dictionary to guess from)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiKey(Model):
    _name = "res.users.apikey"
    _description = "API token"
    _order = "id desc"

    user_id = fields.Many2one("res.users", "User", required=True, ondelete="cascade")
    name = fields.Char("Description", required=True)
    prefix = fields.Char("Starts with", required=True, index=True, readonly=True)
    key_hash = fields.Char("Hash", required=True, readonly=True, groups="base.group_system")
    expires = fields.Datetime("Expires")

    def revoke(self):
        """Revoke these tokens (one's own: the record rules say whose): they stop working at once."""
        self._check_rules("unlink")
        self.sudo().unlink()
        return True

    def write(self, vals):
        if {"key_hash", "prefix", "user_id"} & set(vals):
            raise ValidationError(_("A token cannot be changed: revoke it and create a new one"))
        return super().write(vals)

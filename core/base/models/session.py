"""Web sessions, kept in the database so that several workers or machines share them."""
import datetime as dt
import hashlib
import secrets

from core.orm import Model, fields

LIFETIME = dt.timedelta(hours=12)




def _hash(sid):
    return hashlib.sha256(sid.encode()).hexdigest()


class Session(Model):
    _name = "ir.session"
    _description = "Web session"
    _rec_name = "sid_hash"

    sid_hash = fields.Char("Session hash", required=True, index=True)
    user_id = fields.Many2one("res.users", "User", ondelete="cascade")
    csrf_token = fields.Char("CSRF token", required=True)
    lang = fields.Char("Language")
    expires = fields.Datetime("Expires", required=True)
    remote_addr = fields.Char("Address")

    _sql_constraints = [("sid_hash_uniq", "unique(sid_hash)", "Session ids are unique")]

    def open_session(self, user_id=None, lang=None, remote_addr=None):
        """A new session (a new id every time: at login and at logout). Returns ``(sid, record)``."""
        sid = secrets.token_urlsafe(32)
        record = self.sudo().create({"sid_hash": _hash(sid), "user_id": user_id, "lang": lang,
                                     "csrf_token": secrets.token_urlsafe(24), "expires": fields.now() + LIFETIME,
                                     "remote_addr": remote_addr})
        return sid, record

    def find(self, sid):
        """The live session with id ``sid``, or an empty recordset."""
        if not sid:
            return self.browse(())
        record = self.sudo().search([("sid_hash", "=", _hash(sid)), ("expires", ">", fields.now())], limit=1)
        return record

    def purge_expired(self):
        """Delete expired sessions (a scheduled job)."""
        self.sudo().search([("expires", "<=", fields.now())]).unlink()

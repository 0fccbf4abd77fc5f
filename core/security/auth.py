"""Log in with a password or an API token; the attempt is committed whatever the outcome."""
from ..exceptions import AccessError


def authenticate(registry, login, password, remote_addr=None, now=None):
    """The user id for ``login``/``password``; AccessError (after logging) otherwise."""
    uid, reason = registry.run(lambda env: env["res.users"]._login(login, password, remote_addr, now))
    if uid is None:
        raise AccessError(reason)
    return uid


def authenticate_token(registry, token, now=None):
    """The user id owning the API ``token``; AccessError if it is unknown, revoked or expired."""
    return registry.run(lambda env: env["res.users"].authenticate_token(token, now), readonly=True)

"""The owners each user may see: himself and those granted to him."""
import sqlalchemy as sa

from core.hooks import hookimpl


@hookimpl
def kesher_rule_values(env, user):
    grants = env["test.secure.grant"]._table  # one query per transaction, asked on every rule check
    owners = env.execute(sa.select(grants.c.owner_id).where(grants.c.user_id == user.id)).scalars()
    return {"allowed_owner_ids": sorted({user.id, *owners})}

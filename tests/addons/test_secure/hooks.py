"""The owners each user may see: himself and those granted to him."""
from core.hooks import hookimpl


@hookimpl
def kesher_rule_values(env, user):
    grants = env["test.secure.grant"].search([("user_id", "=", user.id)])
    return {"allowed_owner_ids": sorted({user.id} | {g.owner_id.id for g in grants})}

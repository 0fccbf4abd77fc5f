"""External ids (``addon.name``): stable names of data records across databases."""
import sqlalchemy as sa

from .state import model_data


def split_xmlid(xml_id, module=None):
    if "." in xml_id:
        return tuple(xml_id.split(".", 1))
    return module, xml_id


def resolve_xmlid(env, xml_id, module=None):
    """``(model, res_id)`` of an external id, or None."""
    addon, name = split_xmlid(xml_id, module)
    row = env.execute(sa.select(model_data.c.model, model_data.c.res_id)
                      .where(model_data.c.module == addon, model_data.c.name == name)).first()
    return tuple(row) if row else None


def xmlid_row(env, module, name):
    return env.execute(sa.select(model_data).where(model_data.c.module == module,
                                                   model_data.c.name == name)).mappings().first()


def set_xmlid(env, module, name, model, res_id, noupdate=False):
    row = xmlid_row(env, module, name)
    if row is None:
        env.execute(sa.insert(model_data).values(module=module, name=name, model=model, res_id=res_id,
                                                 noupdate=noupdate))
    else:
        env.execute(sa.update(model_data).where(model_data.c.id == row["id"])
                    .values(model=model, res_id=res_id, noupdate=noupdate))


def module_xmlids(env, module):
    """``[(id, name, model, res_id)]`` of an addon's records, newest first."""
    return env.execute(sa.select(model_data.c.id, model_data.c.name, model_data.c.model, model_data.c.res_id)
                       .where(model_data.c.module == module).order_by(model_data.c.id.desc())).all()


def delete_xmlids(env, row_ids):
    if row_ids:
        env.execute(sa.delete(model_data).where(model_data.c.id.in_(list(row_ids))))

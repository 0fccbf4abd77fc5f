"""``<sales_demo>``: demo documents dated relative to the day they are loaded, taken through
their real life (confirmed, delivered, invoiced, paid) by calling the documents' methods.

```xml
<sales_demo>
  <record id="quote_shefa" model="sale.quote">
    <field name="date" days="-20"/>                     <!-- today - 20 days -->
  </record>
  <apply ref="quote_shefa" method="action_create_order" save_as="order_shefa"/>
  <apply ref="payment_check" method="action_bounce" date_days="-2"/>
</sales_demo>
```

``save_as`` names the document a method returned (``{"order": record}`` and the like)
with an external id; ``date_days`` passes ``date=today + N days``. The documents are
walked through once, when the demo is installed (not again on upgrades).
"""
import datetime as dt

from core.addons.xmlids import resolve_xmlid, set_xmlid, split_xmlid
from core.exceptions import AddonError


def load_sales_demo(loader, path, node, noupdate):
    for child in node.iterchildren("*"):
        if child.tag == "record":
            _relative_dates(path, child)
            loader.load_record(path, child, noupdate)
        elif child.tag == "apply":
            if loader.mode != "update":
                _apply(loader, path, child, noupdate)
        else:
            raise AddonError(f"{path}: line {child.sourceline}: <sales_demo> holds <record> and <apply> only, "
                             f"not <{child.tag}>")


def _relative_dates(path, record):
    today = dt.date.today()
    for field in record.iterchildren("field"):
        days = field.attrib.pop("days", None)
        if days is not None:
            field.text = (today + dt.timedelta(days=_int(path, field, days))).isoformat()


def _int(path, node, text):
    try:
        return int(text)
    except ValueError:
        raise AddonError(f"{path}: line {node.sourceline}: {text!r} is not a whole number") from None


def _apply(loader, path, node, noupdate):
    xml_id, method = node.get("ref"), node.get("method")
    if not xml_id or not method or method.startswith("_"):
        raise AddonError(f"{path}: line {node.sourceline}: <apply> needs ref and a public method")
    found = resolve_xmlid(loader.env, xml_id, loader.module)
    if found is None:
        raise AddonError(f"{path}: line {node.sourceline}: external id {xml_id!r} not found")
    record = loader.env[found[0]].browse(found[1])
    kwargs = {}
    if node.get("date_days") is not None:
        kwargs["date"] = dt.date.today() + dt.timedelta(days=_int(path, node, node.get("date_days")))
    result = getattr(record, method)(**kwargs)
    save_as = node.get("save_as")
    if save_as:
        made = [value for value in (result.values() if isinstance(result, dict) else [result])
                if hasattr(value, "_ids") and len(value) == 1]
        if not made:
            raise AddonError(f"{path}: line {node.sourceline}: {method} made no document to call {save_as!r}")
        module, name = split_xmlid(save_as, loader.module)
        set_xmlid(loader.env, module, name, made[0]._name, made[0].id, noupdate)

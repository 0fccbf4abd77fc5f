"""``<stock_demo>``: demo data with dates relative to the day it is loaded, and buttons pressed.

The core data loader takes literal values only; demo purchase orders must arrive "in
the coming weeks" whenever the demo is installed. Inside ``<stock_demo>``:

```xml
<stock_demo>
  <record id="demo_po_line" model="purchase.order.line">
    <field name="date_expected" days="14"/>          <!-- today + 14 days (negative: in the past) -->
  </record>
  <apply ref="demo_po" method="action_confirm"/>    <!-- a button of the record (@api.ui_callable only) -->
</stock_demo>
```
"""
import datetime as dt

from core.addons.xmlids import resolve_xmlid
from core.exceptions import AddonError


def load_stock_demo(loader, path, node, noupdate):
    for child in node.iterchildren("*"):
        if child.tag == "record":
            _relative_dates(path, child)
            loader.load_record(path, child, noupdate)
        elif child.tag == "apply":
            _apply(loader, path, child)
        else:
            raise AddonError(f"{path}: line {child.sourceline}: <stock_demo> holds <record> and <apply> only, "
                             f"not <{child.tag}>")


def _relative_dates(path, record):
    today = dt.date.today()
    for field in record.iterchildren("field"):
        days = field.attrib.pop("days", None)
        if days is None:
            continue
        try:
            field.text = (today + dt.timedelta(days=int(days))).isoformat()
        except ValueError:
            raise AddonError(f"{path}: line {field.sourceline}: days={days!r} is not a whole number") from None


def _apply(loader, path, node):
    xml_id, method = node.get("ref"), node.get("method")
    if not xml_id or not method:
        raise AddonError(f"{path}: line {node.sourceline}: <apply> needs ref and method attributes")
    found = resolve_xmlid(loader.env, xml_id, loader.module)
    if found is None:
        raise AddonError(f"{path}: line {node.sourceline}: external id {xml_id!r} not found")
    record = loader.env[found[0]].browse(found[1])
    function = getattr(type(record), method, None)
    if not getattr(function, "_ui_callable", False):
        raise AddonError(f"{path}: line {node.sourceline}: {found[0]}.{method} is not a button method")
    getattr(record, method)()

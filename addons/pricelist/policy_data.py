"""Everything a batch of price computations needs, loaded in a fixed number of queries.

One query each for the products, the product families, the price lists, the items, the
special prices, the family discounts and the supplier prices, plus one per level of
head offices for the customers: never one per line. The pricing policy is read as the
system (a salesperson quoting a customer gets the customer's prices even without the
right to open the price lists); the caller checks that the user may read the inputs.
"""
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from core.orm.query import id_in

from .money import to_decimal

ZERO = to_decimal(0)


@dataclass(slots=True)
class Partner:
    id: int
    name: str
    parent_id: int
    head_office_id: int
    pricelist_id: int
    general_discount: object


@dataclass(slots=True)
class Product:
    id: int
    family_id: int
    list_price: object
    cost: object


@dataclass(slots=True)
class Pricelist:
    id: int
    name: str
    active: bool
    currency_id: int
    date_start: dt.date
    date_end: dt.date
    base: str
    base_pricelist_id: int
    supplier_ids: frozenset = frozenset()


@dataclass(slots=True)
class Item:
    id: int
    pricelist_id: int
    applied_on: str
    product_id: int
    family_id: int
    min_quantity: object
    date_start: dt.date
    compute_price: str
    fixed_price: object
    percent: object
    rounding: object
    rounding_ending: object
    surcharge: object


@dataclass(slots=True)
class Special:
    id: int
    partner_id: int
    product_id: int
    price: object
    min_quantity: object
    date_start: dt.date
    date_end: dt.date


@dataclass(slots=True)
class SupplierPrice:
    partner_id: int
    name: str
    price: object
    min_quantity: object


class PolicyData:
    """The loaded policy of some customers for some products on one date, in one currency."""

    def __init__(self, env, date, currency_id):
        self.env, self.date, self.currency_id = env, date, currency_id
        self.partners, self.products, self.families, self.pricelists = {}, {}, {}, {}
        self.items = {}            # pricelist id -> {"product": {id: [items]}, "family": {id: [items]}, "all": []}
        self.specials = {}         # (partner id, product id) -> [specials], best first
        self.family_discounts = {}  # partner id -> {family id: (discount, line id)}
        self.supplier_prices = {}  # product id -> [SupplierPrice], the preferred first
        self._chains, self._paths = {}, {}

    # -- loading ------------------------------------------------------------------
    def _rows(self, model, columns, *where):
        table = self.env.registry.models[model]._table
        return self.env.execute(sa.select(*(table.c[c] for c in columns)).where(*where)).all()

    def _in(self, model, column, ids):
        return id_in(self.env.registry.models[model]._table.c[column], list(ids), self.env.registry.dialect)

    def load(self, pairs):
        """Load the policy for these ``(customer id, product id)`` pairs: the customers' and
        their head offices' special prices, discounts and price lists; of the price lists,
        only the items that may apply to the products asked of each list."""
        pairs = set(pairs)
        product_ids = {product_id for _partner, product_id in pairs}
        self._load_partners({partner_id for partner_id, _product in pairs})
        self.load_catalog(product_ids)
        chain_ids = list(self.partners)
        self._load_specials(chain_ids, product_ids)
        for partner_id, family_id, discount, line_id in self._rows(
                "pricelist.family_discount", ["partner_id", "family_id", "discount", "id"],
                self._in("pricelist.family_discount", "partner_id", chain_ids)):
            self.family_discounts.setdefault(partner_id, {})[family_id] = (discount, line_id)
        needs = {}
        for partner_id, product_id in pairs:
            owner = self.pricelist_owner(partner_id) if partner_id in self.partners else None
            if owner is not None:
                needs.setdefault(self.partners[owner].pricelist_id, set()).add(product_id)
        self.load_items(needs)
        return self

    def load_catalog(self, product_ids):
        """The products, every product family and every price list (families and lists are few)."""
        self._load_products(product_ids)
        self.families = {row[0]: row[1:] for row in self._rows("product.family", ["id", "parent_id", "complete_name"])}
        self.pricelists = {row[0]: Pricelist(*row) for row in self._rows(
            "pricelist.pricelist", ["id", "name", "active", "currency_id", "date_start", "date_end", "base",
                                    "base_pricelist_id"])}
        return self

    def load_items(self, needs):
        """The items that may apply to ``needs`` = ``{price list id: product ids}`` (and to the
        same products in the lists these are based on), and supplier prices if needed."""
        needs = {pid: set(products) for pid, products in needs.items() if pid in self.pricelists}
        todo = list(needs)
        while todo:  # a list based on another one asks it the same products
            pricelist = self.pricelists[todo.pop()]
            base = pricelist.base_pricelist_id if pricelist.base == "pricelist" else None
            if base in self.pricelists and not needs.get(base, set()) >= needs[pricelist.id]:
                needs[base] = needs.get(base, set()) | needs[pricelist.id]
                todo.append(base)
        self._load_items(needs)
        supplier_based = [pid for pid in needs if self.pricelists[pid].base == "supplier"]
        if supplier_based:
            self.load_supplier_prices({product for pid in supplier_based for product in needs[pid]})
            field = self.env.registry.models["pricelist.pricelist"]._fields["supplier_ids"]
            relation = field.relation_table(self.env.registry)
            chosen = {}
            for pricelist_id, partner_id in self.env.execute(sa.select(relation.c.pricelist_id, relation.c.partner_id)
                                                             .where(relation.c.pricelist_id.in_(supplier_based))):
                chosen.setdefault(pricelist_id, set()).add(partner_id)
            for pricelist_id, partner_ids in chosen.items():
                self.pricelists[pricelist_id].supplier_ids = frozenset(partner_ids)

    def _load_partners(self, partner_ids):
        wanted = set(partner_ids)
        while wanted:
            rows = self._rows("res.partner", ["id", "name", "parent_id", "head_office_id", "pricelist_id",
                                              "general_discount"], self._in("res.partner", "id", wanted))
            for row in rows:
                self.partners[row[0]] = Partner(*row)
            wanted = {ref for row in rows for ref in (row[2], row[3]) if ref and ref not in self.partners}

    def _load_products(self, product_ids):
        for row in self._rows("product.product", ["id", "family_id", "list_price", "cost"],
                              self._in("product.product", "id", product_ids)):
            self.products[row[0]] = Product(row[0], row[1], row[2] or ZERO, row[3] or ZERO)

    def _valid_on_date(self, table):
        return sa.and_(sa.or_(table.c.date_start.is_(None), table.c.date_start <= self.date),
                       sa.or_(table.c.date_end.is_(None), table.c.date_end >= self.date))

    def _load_specials(self, partner_ids, product_ids):
        table = self.env.registry.models["pricelist.special_price"]._table
        rows = self._rows("pricelist.special_price",
                          ["id", "partner_id", "product_id", "price", "min_quantity", "date_start", "date_end"],
                          self._in("pricelist.special_price", "partner_id", partner_ids),
                          self._in("pricelist.special_price", "product_id", product_ids),
                          table.c.currency_id == self.currency_id, self._valid_on_date(table))
        for row in rows:
            self.specials.setdefault((row[1], row[2]), []).append(Special(*row))
        for specials in self.specials.values():
            specials.sort(key=_best_first)

    def _load_items(self, needs):
        if not needs:
            return
        table = self.env.registry.models["pricelist.item"]._table
        products = [sa.and_(table.c.pricelist_id == pid, self._in("pricelist.item", "product_id", ids))
                    for pid, ids in needs.items()]
        families = {fid for ids in needs.values() for product_id in ids if product_id in self.products
                    for fid in self.family_path(self.products[product_id].family_id)}
        scope = sa.or_(table.c.applied_on == "all",
                       sa.and_(table.c.applied_on == "product", sa.or_(*products)),
                       sa.and_(table.c.applied_on == "family", self._in("pricelist.item", "family_id", families)))
        rows = self._rows("pricelist.item", ["id", "pricelist_id", "applied_on", "product_id", "family_id",
                                             "min_quantity", "date_start", "compute_price", "fixed_price",
                                             "percent", "rounding", "rounding_ending", "surcharge"],
                          self._in("pricelist.item", "pricelist_id", needs), self._valid_on_date(table), scope)
        for row in rows:
            item = Item(*row)
            index = self.items.setdefault(item.pricelist_id, {"product": {}, "family": {}, "all": []})
            if item.applied_on == "product":
                index["product"].setdefault(item.product_id, []).append(item)
            elif item.applied_on == "family":
                index["family"].setdefault(item.family_id, []).append(item)
            else:
                index["all"].append(item)
        for index in self.items.values():
            index["all"].sort(key=_best_first)
            for group in (index["product"], index["family"]):
                for items in group.values():
                    items.sort(key=_best_first)

    def load_supplier_prices(self, product_ids):
        """The suppliers' prices of these products valid on the date, in this currency
        (stock's ``stock.supplierinfo``), in the order stock prefers them (``best_for``):
        lowest priority number, then lowest price, then the highest minimum quantity."""
        info = self.env.registry.models["stock.supplierinfo"]._table
        partners = self.env.registry.models["res.partner"]._table
        statement = (sa.select(info.c.product_id, info.c.partner_id, partners.c.name, info.c.price, info.c.min_qty,
                               info.c.sequence, info.c.id)
                     .join(partners, partners.c.id == info.c.partner_id)
                     .where(id_in(info.c.product_id, list(product_ids), self.env.registry.dialect),
                            info.c.currency_id == self.currency_id, self._valid_on_date(info)))
        ranked = {}
        for product_id, partner_id, name, price, min_qty, sequence, rid in self.env.execute(statement).all():
            ranked.setdefault(product_id, []).append(
                ((sequence or 0, price or ZERO, -(min_qty or ZERO), rid),
                 SupplierPrice(partner_id, name, price or ZERO, min_qty or ZERO)))
        for product_id, offers in ranked.items():
            self.supplier_prices[product_id] = [offer for _key, offer in sorted(offers, key=lambda o: o[0])]

    # -- questions the resolution asks ---------------------------------------------
    def chain(self, partner_id):
        """Partner ids whose policy applies to ``partner_id``, nearest first (see README)."""
        found = self._chains.get(partner_id)
        if found is None:
            partner = self.partners[partner_id]
            seen = set()
            while partner.parent_id and partner.parent_id not in seen:  # a contact person: its company
                seen.add(partner.id)
                partner = self.partners[partner.parent_id]
            found = []
            while partner is not None and partner.id not in found:
                found.append(partner.id)
                partner = self.partners.get(partner.head_office_id) if partner.head_office_id else None
            self._chains[partner_id] = found
        return found

    def pricelist_owner(self, partner_id):
        """The nearest partner of the chain with a price list (None when there is none)."""
        return next((pid for pid in self.chain(partner_id) if self.partners[pid].pricelist_id), None)

    def supplier_price(self, product_id, quantity, supplier_ids=()):
        """The preferred supplier offer with a minimum quantity not above ``quantity`` (of
        ``supplier_ids`` only, when given); None when there is none."""
        for offer in self.supplier_prices.get(product_id, ()):
            if offer.min_quantity <= quantity and (not supplier_ids or offer.partner_id in supplier_ids):
                return offer
        return None

    def family_path(self, family_id):
        """The family and its ancestors, deepest first."""
        found = self._paths.get(family_id)
        if found is None:
            found, current = [], family_id
            while current and current not in found:
                found.append(current)
                current = self.families[current][0] if current in self.families else None
            self._paths[family_id] = found
        return found


def _best_first(record):
    """Higher minimum quantity first, then the later start date, then the older record."""
    start = record.date_start.toordinal() if record.date_start else 0
    return (-(record.min_quantity or ZERO), -start, record.id)

"""THE resolution rule (README.md, "The resolution rule"): which price and which discount.

Pure Python over a loaded ``PolicyData``: no query here. Each step below is numbered as
in the README; change one only together with the other.
"""
from dataclasses import dataclass, field

from core.i18n import _lt, gettext

from .money import HUNDRED, amount_text, number_text, round_money, round_step
from .policy_data import ZERO

# the sentences of an explanation, each translated whole (no word order is assumed)
BASE_LIST_PRICE = _lt("the sales price")
BASE_COST = _lt("the cost")
HEAD_OFFICE = _lt("head office {name}")
SPECIAL = _lt("Special price {price} of {owner}")
NO_PRICELIST = _lt("No price list: the product's sales price")
PRICELIST_NOT_VALID = _lt("Price list {pricelist} of {owner} does not apply on this date or in this currency: "
                          "the product's sales price")
PRICELIST_NO_ITEM = _lt("Price list {pricelist} of {owner} has no item for this product and quantity: "
                        "the product's sales price")
PRICELIST = _lt("Price list {pricelist} of {owner}")
FIXED = _lt("fixed price {price}")
DISCOUNT_ON = _lt("{base} {amount} less {percent}%")
MARKUP_ON = _lt("{base} {amount} plus {percent}%")
ROUNDED = _lt("rounded to {price}")
SURCHARGE = _lt("surcharge {amount}")
BASE_SUPPLIER = _lt("the price of supplier {supplier}")
BASE_PRICELIST = _lt("price list {name}")
ITEM_PRODUCT = _lt("item for this product")
ITEM_FAMILY = _lt("item for family {family}")
ITEM_ALL = _lt("item for all products")
FROM_QUANTITY = _lt("(from quantity {quantity})")
SPECIAL_NET = _lt("no discount on a special price")
FAMILY_DISCOUNT = _lt("family discount of {owner} for {family}: {percent}%")
INSTEAD_OF_GENERAL = _lt("instead of the general discount {percent}%")
GENERAL_DISCOUNT = _lt("general discount of {owner}: {percent}%")


@dataclass(slots=True)
class Result:
    price_unit: object
    discount: object = ZERO
    source: str = "list_price"            # special | pricelist | list_price
    price_partner_id: int = None           # whose special price or price list
    special_price_id: int = None
    pricelist_id: int = None
    item_id: int = None
    discount_kind: str = None              # family | general | None
    discount_partner_id: int = None
    discount_family_id: int = None
    explanation: list = field(default_factory=list)

    def as_dict(self):
        return {"price_unit": self.price_unit, "discount": self.discount, "explanation": "; ".join(self.explanation),
                "source": self.source, "price_partner_id": self.price_partner_id,
                "special_price_id": self.special_price_id, "pricelist_id": self.pricelist_id,
                "item_id": self.item_id, "discount_kind": self.discount_kind,
                "discount_partner_id": self.discount_partner_id, "discount_family_id": self.discount_family_id}


class Resolver:
    """Applies the rule to lines, with explanations in ``lang``."""

    def __init__(self, data, lang, digits=2):
        self.data, self.lang, self.digits = data, lang, digits
        self._texts = {}
        # memos of what does not change within one call (texts, fixed items, discounts)
        self._owners, self._items, self._fixed, self._discounts, self._applying = {}, {}, {}, {}, {}

    def tr(self, text):
        """``text`` (a lazy string of this module) in the language of the explanations."""
        found = self._texts.get(text.source)
        if found is None:
            found = self._texts[text.source] = gettext(self.lang, text.source)
        return found

    def owner(self, customer_id, partner_id):
        """The customer itself by name, or 'head office <name>' when the policy is inherited."""
        key = (customer_id, partner_id)
        found = self._owners.get(key)
        if found is None:
            name = self.data.partners[partner_id].name
            found = self._owners[key] = name if partner_id == customer_id else \
                self.tr(HEAD_OFFICE).format(name=name)
        return found

    # -- 1. the price -------------------------------------------------------------------
    def resolve(self, partner_id, product_id, quantity):
        data = self.data
        chain = data.chain(partner_id)
        customer = chain[0]
        product = data.products[product_id]
        result = self._special_price(chain, customer, product, quantity)
        if result is None:
            result = self._pricelist_price(chain, customer, product, quantity)
        result.price_unit = round_money(result.price_unit, self.digits)
        self._discount(result, chain, customer, product)
        return result

    def _special_price(self, chain, customer, product, quantity):
        """1a. The nearest partner of the chain with a special price for this quantity wins."""
        for partner_id in chain:
            for special in self.data.specials.get((partner_id, product.id), ()):
                if special.min_quantity <= quantity:
                    result = Result(special.price, source="special", price_partner_id=partner_id,
                                    special_price_id=special.id)
                    text = self.tr(SPECIAL).format(
                        price=amount_text(special.price), owner=self.owner(customer, partner_id))
                    result.explanation.append(text + self._from_quantity(special.min_quantity))
                    return result
        return None

    def _pricelist_price(self, chain, customer, product, quantity):
        """1b. The price list of the nearest partner that has one; 1c. else the sales price."""
        data = self.data
        owner_id = data.pricelist_owner(chain[0])
        if owner_id is None:
            return Result(product.list_price, explanation=[self.tr(NO_PRICELIST)])
        pricelist = data.pricelists[data.partners[owner_id].pricelist_id]
        if not self._applies(pricelist):
            return Result(product.list_price, explanation=[self._pricelist_text(PRICELIST_NOT_VALID, customer, owner_id,
                                                                                pricelist)])
        found = self.price_in(pricelist, product, quantity)
        if found is None:
            return Result(product.list_price, explanation=[self._pricelist_text(PRICELIST_NO_ITEM, customer, owner_id,
                                                                                pricelist)])
        price, item, how = found
        result = Result(price, source="pricelist", price_partner_id=owner_id, pricelist_id=pricelist.id,
                        item_id=item.id)
        result.explanation.append(self._pricelist_text(PRICELIST, customer, owner_id, pricelist) + ", "
                                  + self._item_text(item) + ": " + how)
        return result

    def _pricelist_text(self, text, customer, owner_id, pricelist):
        """'Price list <name> of <owner>' (or one of its sentences), once per customer and list."""
        key = (text.source, customer, owner_id, pricelist.id)
        found = self._owners.get(key)
        if found is None:
            found = self._owners[key] = self.tr(text).format(pricelist=pricelist.name,
                                                             owner=self.owner(customer, owner_id))
        return found

    def _applies(self, pricelist):
        found = self._applying.get(pricelist.id)
        if found is None:
            date = self.data.date
            found = self._applying[pricelist.id] = bool(
                pricelist.active and pricelist.currency_id == self.data.currency_id
                and (not pricelist.date_start or pricelist.date_start <= date)
                and (not pricelist.date_end or date <= pricelist.date_end))
        return found

    def price_in(self, pricelist, product, quantity, depth=0):
        """``(price, item, how)`` from the first item of ``pricelist`` that applies, else None.

        Items are tried most specific first: the product's, its family's (deepest family
        first), then those for all products; within each, the highest minimum quantity not
        above ``quantity``. A percentage item whose base price is missing is passed over.
        """
        index = self.data.items.get(pricelist.id)
        if index is None or depth > 8:
            return None
        groups = [index["product"].get(product.id, ())]
        groups += [index["family"].get(fid, ()) for fid in self.data.family_path(product.family_id)]
        groups.append(index["all"])
        for items in groups:
            for item in items:
                if item.min_quantity > quantity:
                    continue
                found = self._apply_item(pricelist, item, product, quantity, depth)
                if found is not None:
                    return found[0], item, found[1]
        return None

    def _apply_item(self, pricelist, item, product, quantity, depth):
        """Base -> percentage -> rounding -> surcharge (README, step 1b)."""
        if item.compute_price == "fixed":
            found = self._fixed.get(item.id)
            if found is None:
                found = self._fixed[item.id] = self._finish(item, item.fixed_price or ZERO, self.tr(FIXED).format(
                    price=amount_text(item.fixed_price)))
            return found
        else:
            base = self._base_price(pricelist, product, quantity, depth)
            if base is None:
                return None
            amount, label = base
            percent = item.percent or ZERO
            if item.compute_price == "discount":
                price = amount * (HUNDRED - percent) / HUNDRED
                how = self.tr(DISCOUNT_ON)
            else:
                price = amount * (HUNDRED + percent) / HUNDRED
                how = self.tr(MARKUP_ON)
            how = how.format(percent=self._percent_text(item), base=label, amount=amount_text(amount))
        return self._finish(item, price, how)

    def _percent_text(self, item):
        key = ("percent", item.id)
        found = self._items.get(key)
        if found is None:
            found = self._items[key] = number_text(item.percent or ZERO)
        return found

    def _finish(self, item, price, how):
        """Steps 2 and 3 of an item's price: rounding, then surcharge."""
        if item.rounding:
            rounded = round_step(price, item.rounding, item.rounding_ending)
            if rounded != price:
                how += ", " + self.tr(ROUNDED).format(price=amount_text(rounded))
            price = rounded
        if item.surcharge:
            price += item.surcharge
            how += ", " + self.tr(SURCHARGE).format(amount=amount_text(item.surcharge))
        return price, how

    def _base_price(self, pricelist, product, quantity, depth):
        """``(amount, label)`` the percentage applies to, or None when there is none."""
        if pricelist.base == "list_price":
            return product.list_price, self.tr(BASE_LIST_PRICE)
        if pricelist.base == "cost":
            return product.cost, self.tr(BASE_COST)
        if pricelist.base == "supplier":
            offer = self.data.supplier_price(product.id, quantity, pricelist.supplier_ids)
            if offer is None:
                return None
            return offer.price, self.tr(BASE_SUPPLIER).format(supplier=offer.name)
        base_list = self.data.pricelists.get(pricelist.base_pricelist_id)
        label = self.tr(BASE_PRICELIST).format(name=base_list.name if base_list else "")
        found = self.price_in(base_list, product, quantity, depth + 1) \
            if base_list is not None and self._applies(base_list) else None
        return (found[0] if found else product.list_price), label

    def _item_text(self, item):
        found = self._items.get(item.id)
        if found is None:
            found = self._items[item.id] = self._describe_item(item)
        return found

    def _describe_item(self, item):
        if item.applied_on == "product":
            text = self.tr(ITEM_PRODUCT)
        elif item.applied_on == "family":
            text = self.tr(ITEM_FAMILY).format(family=self.data.families[item.family_id][1])
        else:
            text = self.tr(ITEM_ALL)
        return text + self._from_quantity(item.min_quantity)

    def _from_quantity(self, min_quantity):
        if not min_quantity:
            return ""
        return " " + self.tr(FROM_QUANTITY).format(quantity=number_text(min_quantity))

    # -- 2. the discount ----------------------------------------------------------------
    def _discount(self, result, chain, customer, product):
        key = (customer, product.family_id, result.source == "special")
        found = self._discounts.get(key)
        if found is None:
            found = self._discounts[key] = self._decide_discount(chain, customer, product.family_id, key[2])
        percent, kind, partner_id, family_id, text = found
        if kind:
            result.discount, result.discount_kind = percent, kind
            result.discount_partner_id, result.discount_family_id = partner_id, family_id
        if text:
            result.explanation.append(text)

    def _decide_discount(self, chain, customer, family_id, special):
        """The family discount of the nearest partner that has one for the product's family (or an
        ancestor family) REPLACES the general discount; else the nearest general discount.
        Special prices are net: no discount. -> ``(percent, kind, partner, family, text)``"""
        data = self.data
        family = None
        path = data.family_path(family_id)
        for partner_id in chain:
            discounts = data.family_discounts.get(partner_id)
            if discounts:
                family = next(((partner_id, fid, discounts[fid][0]) for fid in path if fid in discounts), None)
                if family:
                    break
        general = next(((pid, data.partners[pid].general_discount) for pid in chain
                        if data.partners[pid].general_discount is not None), None)
        if special:
            applies = (family and family[2]) or (general and general[1])
            return ZERO, None, None, None, self.tr(SPECIAL_NET) if applies else None
        if family:
            partner_id, found_family, percent = family
            text = self.tr(FAMILY_DISCOUNT).format(
                percent=number_text(percent), family=data.families[found_family][1],
                owner=self.owner(customer, partner_id))
            if general and general[1]:
                text += ", " + self.tr(INSTEAD_OF_GENERAL).format(percent=number_text(general[1]))
            return round_money(percent), "family", partner_id, found_family, text
        if general and general[1]:
            partner_id, percent = general
            text = self.tr(GENERAL_DISCOUNT).format(percent=number_text(percent),
                                                    owner=self.owner(customer, partner_id))
            return round_money(percent), "general", partner_id, None, text
        return ZERO, None, None, None, None

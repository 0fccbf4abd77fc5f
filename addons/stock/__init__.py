"""Stock and purchasing: what is on hand, promised and on its way, per product and warehouse."""

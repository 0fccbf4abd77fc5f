"""Price lists and customer pricing policies: which price and discount a customer gets, and why."""

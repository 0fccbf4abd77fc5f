"""Sales: quotes → orders → delivery notes → tax invoices → receipts, and the customer ledger."""

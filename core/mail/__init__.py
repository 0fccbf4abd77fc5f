"""Transport-level mail: building MIME messages, SMTP delivery and template rendering.

Kept independent of the ORM so the outbox model can be swapped or tested on its own.
"""

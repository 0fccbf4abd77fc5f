"""Security in the ORM: model access, record rules and field groups, for every read path."""

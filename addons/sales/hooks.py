"""Hook implementations of the sales addon."""

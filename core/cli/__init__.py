"""The kesher command line."""

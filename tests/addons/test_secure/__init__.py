"""Test addon for the permission matrix: owners, grants, a restricted field."""

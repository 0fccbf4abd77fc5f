"""Internationalisation helpers (locale-aware formatting, translations)."""

"""Kesher core: the ORM registry, addon system, hook bus and services every addon stands on."""

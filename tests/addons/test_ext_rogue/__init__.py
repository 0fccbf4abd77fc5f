"""Test addon: extends a model outside its dependencies, which the registry refuses."""

"""The base addon: always installed; the models every other addon builds on."""

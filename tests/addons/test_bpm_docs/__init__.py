"""Test addon of bpm: a document model with a flow."""

"""The addon system: manifests, discovery on the addons path, and the dependency graph."""

"""The generic web UI (werkzeug + Jinja2): any model rendered from its declared views."""

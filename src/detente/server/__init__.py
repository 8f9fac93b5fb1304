"""The HTTP API and the dashboard (``detente serve``)."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]

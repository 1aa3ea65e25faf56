"""The HTTP API: `create_app(settings)` builds a FastAPI app over one `Liaison`."""

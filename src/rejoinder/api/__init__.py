"""The public REST API (/api/v1) and its error shape."""

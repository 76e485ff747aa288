"""HTTP API v1 (FastAPI): wiring, dependencies and error handling; routes live per domain."""

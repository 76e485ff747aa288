"""Storage stage: SQLAlchemy 2 models, sessions, and the sealed store for pending input."""

"""Audit domain: append-only records of text reads and triage actions."""

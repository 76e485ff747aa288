"""Flags: the reviewers 'triage queue for urgent, high-severity and unclassifiable items."""

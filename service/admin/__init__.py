"""Admin domain: API tokens and roles."""

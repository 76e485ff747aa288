"""API tokens and roles: the stored hash of each token, and how a request proves its token."""

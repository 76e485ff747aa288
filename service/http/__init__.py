"""What every route shares: the `Annotated` dependencies, the error body, the sign-in rate limit."""

"""Upstander: consent-gated, PII-redacted early warning of workplace bullying."""

__version__ = "0.1.0"

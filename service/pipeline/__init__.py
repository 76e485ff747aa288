"""Pipeline stages, one module each: consent → redaction → classification → urgent rules."""

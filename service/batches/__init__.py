"""Batches domain: upload, chunked processing, results."""

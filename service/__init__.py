"""Upstander: consent-gated, PII-redacted early warning of workplace bullying."""

import os

# An item's scores must never depend on its batchmates. On CPUs with AVX-512, MKL's default sgemm picks
# kernels by matrix size, so the same text encoded alone or beside another of its length differed by
# ~1e-7 (tests/pipeline/test_encoder_batches.py, session 27). Strict conditional numerical
# reproducibility fixes the summation order at the same speed on this machine; it must be set
# before torch loads MKL, hence here, the first module any entry point imports. An admin may override it.
os.environ.setdefault("MKL_CBWR", "AUTO,STRICT")

__version__ = "0.1.0"

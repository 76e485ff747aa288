"""Process-wide, load-once pipeline components (Presidio + spaCy, the shipped classifier)."""

from __future__ import annotations

import logging
import warnings
from functools import lru_cache

from service.settings import Settings


def quiet_libraries() -> None:
    """Keep third-party progress bars and deprecation chatter out of logs and stderr."""
    warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\..*")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover
        pass
    for name in ("presidio-analyzer", "presidio-anonymizer", "tldextract", "filelock"):
        logging.getLogger(name).setLevel(logging.ERROR)


@lru_cache(maxsize=2)
def _pipeline(models_dir: str, model_name: str, secret: str, bfloat16: bool = False, explain: bool | str = True):
    # Imported here, not at the top: importing this module must not load torch, spaCy or Presidio.
    from service.pipeline.classification import load_classifier
    from service.pipeline.redaction import get_redactor
    from service.pipeline.runner import Pipeline

    quiet_libraries()
    return Pipeline(get_redactor(secret), load_classifier(models_dir, model_name, bfloat16), explain=explain)


def get_pipeline(settings: Settings):
    return _pipeline(
        str(settings.models_dir),
        settings.model_name,
        settings.pseudonym_secret.get_secret_value(),
        settings.encoder_bfloat16,
        False if settings.evidence == "phrases" else settings.evidence,
    )

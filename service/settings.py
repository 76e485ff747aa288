"""The one place configuration is read (environment variables with the UPSTANDER_ prefix)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-pseudonym-secret-change-me"
MAX_ITEM_CHARS_CEILING = 1_000_000  # the most UPSTANDER_MAX_ITEM_CHARS may allow


EvidenceMode = Literal["gradient", "occlusion", "phrases"]  # `evidence` below; the CLI checks against it


class Settings(BaseSettings):
    """Runtime configuration; in production, refuses the development secret.

    Relative paths are resolved against the current directory once, when settings are read: the
    data folder is `./data` where the command runs (never inside the installed package), and `.env`
    is read from there too.
    """

    model_config = SettingsConfigDict(env_prefix="UPSTANDER_", env_file=".env", extra="ignore")

    environment: str = Field("development", pattern="^(development|test|production)$")
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: SQLite file under data_dir
    models_dir: Path = REPO_ROOT / "models"
    model_name: str = "upstander-clf"
    # bfloat16 encoder: 1.7x faster scoring on CPUs with AVX-512 BF16; decisions agreed with float32
    # on 99.8% of validation items (README). Off by default: the published figures are float32.
    encoder_bfloat16: bool = False
    # Evidence for flagged items, besides the matched danger phrases: the clauses that drove the
    # decision, found by "gradient" attribution (one backward pass per flagged item) or by "occlusion"
    # (one model pass per clause: slower, no closer to the marked rationales on validation); or
    # "phrases" (danger phrases only), for bulk runs that feed trends and need no explanation.
    evidence: EvidenceMode = "gradient"
    pseudonym_secret: SecretStr = SecretStr(DEV_SECRET)
    input_key: SecretStr | None = None  # base64 AES key sealing pending input; dev: data/.input_key

    max_item_chars: int = Field(20_000, ge=100, le=MAX_ITEM_CHARS_CEILING)
    max_upload_bytes: int = Field(200 * 1024 * 1024, ge=1024)
    chunk_size: int = Field(64, ge=1, le=10_000)
    chunk_lease_seconds: int = Field(300, ge=5)
    worker_enabled: bool = True  # run the in-process worker inside `serve`
    worker_poll_seconds: float = Field(0.5, gt=0)

    # Scale-out (service/tasks/): set a Redis broker and batch work moves to Celery workers.
    broker_url: SecretStr | None = None  # redis://host:port/db; unset: the embedded in-process worker
    broker_visibility_timeout_seconds: int = Field(60, ge=10, le=3600)  # a dead worker's tasks come back after this
    broker_restore_seconds: int = Field(5, ge=1, le=60)  # how often workers look for such tasks
    requeue_seconds: float = Field(15.0, gt=0)  # how often `serve` re-enqueues chunks whose task was lost
    evaluation_sync_max_work: int = Field(20_000, ge=0)  # items x bootstrap rounds above which POST is a job

    # Flags: urgent flags are pushed to a webhook (HMAC-signed, retried from an outbox table).
    webhook_url: str | None = Field(None, pattern=r"^https?://")
    webhook_secret: SecretStr | None = None
    webhook_timeout_seconds: float = Field(5.0, gt=0, le=60)
    webhook_max_attempts: int = Field(10, ge=1, le=100)
    webhook_backoff_seconds: float = Field(5.0, gt=0)  # doubles each attempt, capped at one hour
    urgent_claim_minutes: float = Field(30.0, gt=0)  # an unclaimed urgent flag is overdue after this
    housekeeping_seconds: float = Field(5.0, gt=0)  # how often workers send webhooks and mark overdue
    retention_days: int = Field(365, ge=1)  # items and flags older than this are purged
    retention_check_seconds: float = Field(3600.0, gt=0)

    auth_failures_per_minute: int = Field(20, ge=1, le=10_000)  # per client address, then 429

    min_group_size: int = Field(5, ge=2)
    min_comment_group_size: int = Field(10, ge=2)
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _absolute_data_dir(self) -> Settings:
        if not self.data_dir.is_absolute():
            self.data_dir = Path.cwd() / self.data_dir
        return self

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production" and self.pseudonym_secret.get_secret_value() == DEV_SECRET:
            raise ValueError(
                "UPSTANDER_PSEUDONYM_SECRET must be set in production (the development default is refused)"
            )
        if self.webhook_url and not (self.webhook_secret and self.webhook_secret.get_secret_value()):
            raise ValueError("UPSTANDER_WEBHOOK_SECRET must be set when a webhook is configured")
        if self.broker_url and not self.broker_url.get_secret_value().startswith(("redis://", "rediss://")):
            raise ValueError("UPSTANDER_BROKER_URL must be a redis:// or rediss:// URL")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'upstander.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Settings read from the environment and an optional `.env` file.

They live in storage/, the lowest layer, so that every other package (bot, handlers,
scheduler) can read them without importing upwards.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///boardbot.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL, validation_alias=AliasChoices("BOARDBOT_DATABASE_URL")
    )
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("BOARDBOT_LOG_LEVEL"))
    port: int = Field(default=3978, validation_alias=AliasChoices("BOARDBOT_PORT", "PORT"))
    # Slack
    slack_bot_token: str | None = Field(default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET")
    )
    slack_app_token: str | None = Field(default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(
        default="https://slack.com/api/", validation_alias=AliasChoices("BOARDBOT_SLACK_API_URL")
    )
    # Microsoft Teams (single-tenant app registration)
    microsoft_app_id: str | None = Field(default=None, validation_alias=AliasChoices("MicrosoftAppId"))
    microsoft_app_password: str | None = Field(
        default=None, validation_alias=AliasChoices("MicrosoftAppPassword")
    )
    microsoft_app_tenant_id: str | None = Field(
        default=None, validation_alias=AliasChoices("MicrosoftAppTenantId")
    )
    # Reminders: seconds between dispatcher runs; the SQLite leader lock file (default: the
    # database file + ".scheduler.lock").
    reminder_interval: int = Field(default=60, ge=1, validation_alias=AliasChoices("BOARDBOT_REMINDER_INTERVAL"))
    reminder_lock_file: str | None = Field(default=None, validation_alias=AliasChoices("BOARDBOT_REMINDER_LOCK_FILE"))
    # Charts: where PNGs are written before they are posted (default: <tmp>/boardbot-charts).
    chart_dir: str | None = Field(default=None, validation_alias=AliasChoices("BOARDBOT_CHART_DIR"))
    # Ingest
    max_document_bytes: int = Field(
        default=50 * 1024 * 1024, validation_alias=AliasChoices("BOARDBOT_MAX_DOCUMENT_BYTES")
    )
    # Limits on reading one uploaded file (storage/ingest/sandbox.py): what a DOCX (a zip) may
    # unpack to, what one PDF stream may inflate to, pages, wall time and the reading process's
    # memory (address space). A file beyond any of them is refused with nothing written.
    max_unpacked_bytes: int = Field(
        default=150 * 1024 * 1024, ge=1, validation_alias=AliasChoices("BOARDBOT_MAX_UNPACKED_BYTES"))
    max_inflated_stream_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1, validation_alias=AliasChoices("BOARDBOT_MAX_INFLATED_STREAM_BYTES"))
    max_document_pages: int = Field(default=600, ge=1, validation_alias=AliasChoices("BOARDBOT_MAX_DOCUMENT_PAGES"))
    max_read_seconds: float = Field(default=300, gt=0, validation_alias=AliasChoices("BOARDBOT_MAX_READ_SECONDS"))
    max_read_memory_bytes: int = Field(
        default=2048 * 1024 * 1024, ge=64 * 1024 * 1024,
        validation_alias=AliasChoices("BOARDBOT_MAX_READ_MEMORY_BYTES"))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

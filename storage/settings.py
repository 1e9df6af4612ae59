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
    # The address people and platforms reach `boardbot serve` at (calendar subscriptions, served
    # files); default http://localhost:<port>.
    public_url: str | None = Field(default=None, validation_alias=AliasChoices("BOARDBOT_PUBLIC_URL"))
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
    # A fixed "now" for every command (the demo's date; staging): YYYY-MM-DD (09:00 Stockholm)
    # or YYYY-MM-DDTHH:MM (Stockholm time unless an offset is given). Unset: the real clock.
    fixed_now: str | None = Field(default=None, validation_alias=AliasChoices("BOARDBOT_NOW"))
    # Ingest
    max_document_bytes: int = Field(
        default=50 * 1024 * 1024, validation_alias=AliasChoices("BOARDBOT_MAX_DOCUMENT_BYTES")
    )


def public_base_url(settings: Settings) -> str:
    return (settings.public_url or f"http://localhost:{settings.port}").rstrip("/")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

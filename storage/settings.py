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
    # PostgreSQL: the role the application connects as, when it is not the one that owns the
    # tables. `boardbot db upgrade` (run as the owner) grants it what it needs and no more: it
    # may append to the audit log but not change it, and, not owning it, cannot lift its guard.
    database_app_role: str | None = Field(default=None,
                                          validation_alias=AliasChoices("BOARDBOT_DATABASE_APP_ROLE"))
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("BOARDBOT_LOG_LEVEL"))
    # The address people and platforms reach `boardbot serve` at (calendar subscriptions, served
    # files); default http://localhost:<port>.
    public_url: str | None = Field(default=None, validation_alias=AliasChoices("BOARDBOT_PUBLIC_URL"))
    # How long an address `boardbot serve` hands out (a chart in a Teams card, a protocol version
    # for signers) stays valid, in seconds; afterwards it is 404.
    served_file_ttl: int = Field(default=7 * 24 * 3600, ge=60,
                                 validation_alias=AliasChoices("BOARDBOT_SERVED_FILE_TTL"))
    port: int = Field(default=3978, validation_alias=AliasChoices("BOARDBOT_PORT", "PORT"))
    # Where `boardbot serve` listens: loopback unless told otherwise, so that only a TLS reverse
    # proxy on the same machine (or a deliberate choice) exposes it.
    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("BOARDBOT_HOST"))
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
    # Other Entra tenants (ids, comma separated) whose Teams users may use the bot; the app
    # registration's own tenant always may, and no other unless listed.
    teams_other_tenants: str = Field(default="", validation_alias=AliasChoices("BOARDBOT_TEAMS_OTHER_TENANTS"))
    # Local mode for the Bot Framework Emulator: no token checks, so only on loopback.
    teams_emulator: bool = Field(default=False, validation_alias=AliasChoices("BOARDBOT_TEAMS_EMULATOR"))
    # The hosts replies and proactive messages may go to (an activity's serviceUrl), comma
    # separated; "*.example.com" matches any subdomain. https only, except loopback hosts
    # listed here explicitly (the Emulator, tests).
    teams_service_hosts: str = Field(
        default="smba.trafficmanager.net,*.botframework.com",
        validation_alias=AliasChoices("BOARDBOT_TEAMS_SERVICE_HOSTS"),
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
    # Limits on reading one uploaded file (storage/ingest/sandbox.py): what a DOCX (a zip) may
    # unpack to, what one PDF stream may inflate to, pages, wall time and the reading process's
    # memory (address space). A file beyond any of them is refused with nothing written.
    max_unpacked_bytes: int = Field(
        default=150 * 1024 * 1024, ge=1, validation_alias=AliasChoices("BOARDBOT_MAX_UNPACKED_BYTES"))
    max_inflated_stream_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1, validation_alias=AliasChoices("BOARDBOT_MAX_INFLATED_STREAM_BYTES"))
    max_document_pages: int = Field(default=600, ge=1, validation_alias=AliasChoices("BOARDBOT_MAX_DOCUMENT_PAGES"))
    max_read_seconds: float = Field(default=600, gt=0, validation_alias=AliasChoices("BOARDBOT_MAX_READ_SECONDS"))
    max_read_memory_bytes: int = Field(
        default=2048 * 1024 * 1024, ge=64 * 1024 * 1024,
        validation_alias=AliasChoices("BOARDBOT_MAX_READ_MEMORY_BYTES"))


def public_base_url(settings: Settings) -> str:
    return (settings.public_url or f"http://localhost:{settings.port}").rstrip("/")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

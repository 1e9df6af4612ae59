"""The Bot Framework CloudAdapter, configured for a single-tenant app registration.

Azure requires new bots to be single tenant: MicrosoftAppId, MicrosoftAppPassword and
MicrosoftAppTenantId together; then every request must carry a Bot Framework token. Without
them Teams is off: `/api/messages` does not exist. The one exception is the local mode for
the Bot Framework Emulator, which checks no tokens and so must be asked for explicitly
(BOARDBOT_TEAMS_EMULATOR=1) and listens on loopback only. A half-filled set of credentials is
an error at start-up rather than a bot that silently cannot answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.teams.references import is_guid
from storage.db import StoreError
from storage.settings import Settings

log = logging.getLogger(__name__)


class TeamsSetupError(StoreError):
    """Teams settings that cannot work; a StoreError so `boardbot` prints it without a traceback."""


@dataclass(frozen=True)
class TeamsConfig:
    app_id: str | None
    password: str | None
    tenant_id: str | None
    # Every tenant whose users are served: the app's own and BOARDBOT_TEAMS_OTHER_TENANTS.
    tenants: frozenset[str] = frozenset()

    @property
    def local(self) -> bool:
        """The Emulator's local mode: no tokens checked or sent."""
        return not self.app_id


EMULATOR_SETTING = "BOARDBOT_TEAMS_EMULATOR"


def config_from_settings(settings: Settings) -> TeamsConfig | None:
    """The Teams configuration, or None when Teams is off (no credentials, no Emulator mode)."""
    app_id = (settings.microsoft_app_id or "").strip() or None
    password = settings.microsoft_app_password or None
    tenant_id = (settings.microsoft_app_tenant_id or "").strip() or None
    if app_id is None:
        if password or tenant_id:
            raise TeamsSetupError(
                "MicrosoftAppPassword or MicrosoftAppTenantId is set but MicrosoftAppId is not: "
                "set all three (single-tenant Azure Bot), or none to leave Teams off."
            )
        if settings.teams_emulator:
            return TeamsConfig(None, None, None)
        return None
    if settings.teams_emulator:
        raise TeamsSetupError(
            f"{EMULATOR_SETTING}=1 turns token checks off and cannot be combined with MicrosoftAppId: "
            f"unset {EMULATOR_SETTING} to serve Teams, or the MicrosoftApp* settings to use the Emulator."
        )
    missing = [name for name, value in (("MicrosoftAppPassword", password),
                                         ("MicrosoftAppTenantId", tenant_id)) if not value]
    if missing:
        raise TeamsSetupError(
            f"MicrosoftAppId is set but {' and '.join(missing)} {'are' if len(missing) > 1 else 'is'} "
            "not: a single-tenant Azure Bot "
            "needs the app id, a client secret and the directory (tenant) id."
        )
    if not is_guid(app_id):
        raise TeamsSetupError(f"MicrosoftAppId {app_id!r} is not a GUID: copy the Microsoft App ID "
                              "from the Azure Bot's Configuration page.")
    if tenant_id and not is_guid(tenant_id):
        raise TeamsSetupError(f"MicrosoftAppTenantId {tenant_id!r} is not a GUID: use the Directory "
                              "(tenant) ID of the app registration.")
    others = [t for t in settings.teams_other_tenants.replace(",", " ").split() if t]
    bad = [t for t in others if not is_guid(t)]
    if bad:
        raise TeamsSetupError(f"BOARDBOT_TEAMS_OTHER_TENANTS holds {', '.join(map(repr, bad))}, which is not a "
                              "tenant id (a GUID): list Directory (tenant) IDs, comma separated.")
    tenants = frozenset(t.lower() for t in [tenant_id or "", *others] if t)
    return TeamsConfig(app_id, password, tenant_id, tenants)


class _AuthSettings:
    """The attribute names ConfigurationBotFrameworkAuthentication reads."""

    def __init__(self, config: TeamsConfig) -> None:
        self.APP_ID = config.app_id or ""
        self.APP_PASSWORD = config.password or ""
        self.APP_TENANTID = config.tenant_id or ""
        # SingleTenant insists on all three values; local mode has none, and botbuilder's
        # default (MultiTenant) with an empty app id is what turns authentication off.
        self.APP_TYPE = "MultiTenant" if config.local else "SingleTenant"


def create_adapter(config: TeamsConfig) -> CloudAdapter:
    if config.local:
        log.warning(
            "Teams: Emulator mode (%s=1), authentication is OFF: /api/messages answers loopback "
            "callers only; use this only with the Bot Framework Emulator.", EMULATOR_SETTING
        )
    else:
        log.info("Teams: single-tenant app %s in tenant %s", config.app_id, config.tenant_id)
    # No on_turn_error: a failed turn propagates to the endpoint, which logs it and answers 500.
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(_AuthSettings(config)))

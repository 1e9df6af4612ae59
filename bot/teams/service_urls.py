"""Which Bot Framework service addresses the bot may write to.

Every reply and proactive message goes to the `serviceUrl` of an activity (stored with the
conversation for later sends). Botbuilder sends wherever that URL points, and with credentials
it attaches the bot's access token; so only hosts of the Bot Framework service are allowed:
a forged or misconfigured serviceUrl can neither pull answers to another host nor reach an
internal one. Imports nothing from botbuilder.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from storage.settings import Settings

_LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost" (an IPv6 address may come in brackets)."""
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_hosts(text: str) -> tuple[str, ...]:
    """The comma- or space-separated host patterns of BOARDBOT_TEAMS_SERVICE_HOSTS, lowercased."""
    return tuple(p.strip().strip("[]").lower().rstrip(".") for p in text.replace(",", " ").split() if p.strip())


@dataclass(frozen=True)
class ServiceUrlPolicy:
    patterns: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> ServiceUrlPolicy:
        return cls(parse_hosts(settings.teams_service_hosts))

    def allows(self, url: str | None) -> bool:
        """True when `url` is https (or http to a listed loopback host) on an allowed host."""
        if not url:
            return False
        try:
            parts = urlsplit(url.strip())
            host = (parts.hostname or "").rstrip(".")
            _ = parts.port  # raises ValueError for a port that is not a number
        except ValueError:
            return False
        if not host or parts.username is not None or parts.password is not None:
            return False
        if parts.scheme == "http":
            # Plain http only to this machine, and only when the operator listed it.
            return is_loopback(host) and host in self.patterns
        return parts.scheme == "https" and any(_matches(host, p) for p in self.patterns)


def _matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        suffix = pattern[1:]  # ".botframework.com"
        return host.endswith(suffix) and len(host) > len(suffix)
    return host == pattern

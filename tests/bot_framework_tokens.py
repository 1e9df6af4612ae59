"""The token side of the Bot Framework, on 127.0.0.1: what lets tests run Teams with credentials.

The Bot Connector signs each activity it posts to a bot with a JWT (issuer
https://api.botframework.com, audience the bot's app id, a `serviceurl` claim equal to the
activity's serviceUrl), with keys published at an OpenID metadata URL. This stand-in publishes
its own RSA key the same way and signs tokens with it; `trusted()` points botbuilder's channel
validation at it, so botbuilder's real JWT validation (signature, issuer, audience, expiry,
endorsements, serviceurl claim) decides every request. Tokens the bot gets for its own
outgoing calls come from Azure AD (MSAL); `trusted()` replaces only that call with a fixed
token, which the Bot Connector stand-in then sees in the Authorization header.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock

import jwt
from botframework.connector.auth import ChannelValidation, MicrosoftAppCredentials
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

APP_ID = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
FAKE_CLIENT_SECRET = "test-only"  # never sent anywhere: outgoing tokens are stubbed below
ISSUER = "https://api.botframework.com"
KEY_ID = "standin-signing-key"
OUTBOUND_TOKEN = "standin-outbound-token"  # what the bot sends with its replies


class TokenService:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server: ThreadingHTTPServer | None = None

    @property
    def metadata_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}/v1/.well-known/openidconfiguration"

    def start(self) -> None:
        """Serves the metadata from a thread: botbuilder fetches it with blocking `requests`,
        from inside the event loop that also runs the test's own servers."""
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path == "/v1/.well-known/openidconfiguration":
                    body: dict[str, Any] = {"issuer": ISSUER, "jwks_uri": f"{base}/v1/.well-known/keys",
                                            "id_token_signing_alg_values_supported": ["RS256"]}
                elif self.path == "/v1/.well-known/keys":
                    jwk = json.loads(RSAAlgorithm.to_jwk(service.key.public_key()))
                    body = {"keys": [jwk | {"kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="bf-token-standin").start()

    def channel_token(self, service_url: str, *, audience: str = APP_ID, issuer: str = ISSUER,
                      lifetime: int = 3600, key: rsa.RSAPrivateKey | None = None) -> str:
        """A token as the Bot Connector sends it with an activity for `service_url`."""
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "serviceurl": service_url,
                  "nbf": now - 60, "iat": now - 60, "exp": now + lifetime}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def header(self, activity: dict[str, Any], **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.channel_token(activity['serviceUrl'], **kwargs)}"}


@cache
def token_service() -> TokenService:
    """One per test process: a key pair and a metadata server (a daemon thread) shared by all."""
    service = TokenService()
    service.start()
    return service


@contextmanager
def trusted() -> Iterator[TokenService]:
    """Botbuilder trusts the stand-in's keys, and gets OUTBOUND_TOKEN for its own calls."""
    service = token_service()
    with mock.patch.object(ChannelValidation, "open_id_metadata_endpoint", service.metadata_url), \
            mock.patch.object(MicrosoftAppCredentials, "get_access_token", lambda self, *a, **k: OUTBOUND_TOKEN):
        yield service

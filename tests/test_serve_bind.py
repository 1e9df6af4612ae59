"""`boardbot serve` run for real: where it listens, and what it refuses to start with."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.commands import serve as serve_command
from storage.db import upgrade
from storage.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
# Settings a developer's shell may hold that would change what is tested here.
_CLEARED = ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "BOARDBOT_TEAMS_EMULATOR",
            "BOARDBOT_HOST", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "BOARDBOT_PORT", "PORT")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets LISTENing on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            next(f)
            for line in f:
                local, state = line.split()[1], line.split()[3]
                address, _, port_hex = local.partition(":")
                if state == "0A" and int(port_hex, 16) == port:
                    found.add(address)
    return found


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="needs Linux's /proc/net/tcp")
def test_serve_listens_on_loopback_only_by_default_and_has_no_teams_without_credentials(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(BOARDBOT_DATABASE_URL=url, PYTHONPATH=str(REPO), BOARDBOT_REMINDER_LOCK_FILE=str(tmp_path / "lock"))
    server = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=tmp_path,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {server.communicate()[0]}") from None
                time.sleep(0.2)
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/messages", method="POST",
                                         data=b'{"type": "message"}', headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 404
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Teams: off" in output and f"http://127.0.0.1:{port}" in output


def _must_not_start(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"serve started listening: {kwargs}")


def test_serve_refuses_the_emulator_mode_off_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOARDBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("BOARDBOT_TEAMS_EMULATOR", "1")
    # If the refusal failed, serve would start and never return: fail instead.
    monkeypatch.setattr(serve_command.web, "run_app", _must_not_start)
    for host in ("0.0.0.0", "::", "192.168.1.20"):
        result = CliRunner().invoke(app, ["serve", "--host", host])
        assert result.exit_code == 2
        assert "loopback only" in result.output and "--host 127.0.0.1" in result.output
    monkeypatch.setenv("BOARDBOT_HOST", "0.0.0.0")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and "loopback only" in result.output

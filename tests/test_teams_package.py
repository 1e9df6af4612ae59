"""`boardbot teams-package`: the zip Teams accepts, validated against the manifest schema it declares."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft7Validator, validators
from PIL import Image
from typer.testing import CliRunner

from bot.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "teams"
APP_ID = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
# The Teams schemas declare draft-04 but use draft-06's `const` (for manifestVersion): check it too.
ManifestValidator = validators.extend(Draft4Validator, {"const": Draft7Validator.VALIDATORS["const"]})


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's checkout
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    """Errors against the schema version the manifest itself declares."""
    declared = re.fullmatch(r"https://developer\.microsoft\.com/json-schemas/teams/v(\d+\.\d+)/"
                            r"MicrosoftTeams\.schema\.json", manifest["$schema"])
    assert declared, manifest["$schema"]
    version = declared.group(1)
    schema = json.loads((FIXTURES / f"MicrosoftTeams.v{version}.schema.json").read_text(encoding="utf-8"))
    validator = ManifestValidator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(manifest)]


def read_package(path: Path) -> tuple[dict[str, Any], Image.Image, Image.Image]:
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))
    return manifest, color, outline


def test_package_validates_against_the_schema_it_declares(cli: CliRunner, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    result = cli.invoke(app, ["teams-package", "--out", "teams-app.zip", "--website", "https://forbund.example.se",
                              "--version", "1.2.0"])
    assert result.exit_code == 0, result.output
    manifest, color, outline = read_package(tmp_path / "teams-app.zip")

    assert schema_errors(manifest) == []
    assert manifest["manifestVersion"] == "1.17"
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["id"] == APP_ID
    assert manifest["version"] == "1.2.0"
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    assert manifest["developer"]["privacyUrl"] == "https://forbund.example.se"

    assert (color.format, color.size) == ("PNG", (192, 192))
    assert (outline.format, outline.size) == ("PNG", (32, 32))
    rgba = outline.convert("RGBA")
    pixels = [rgba.getpixel((x, y)) for x in range(32) for y in range(32)]
    drawn = [p for p in pixels if p[3] > 0]
    assert drawn and len(drawn) < len(pixels)  # something drawn, on a transparent background
    assert all(p[:3] == (255, 255, 255) for p in drawn)  # only white


def test_the_validation_would_catch_a_broken_manifest(cli: CliRunner, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    assert cli.invoke(app, ["teams-package"]).exit_code == 0
    manifest, _, _ = read_package(tmp_path / "teams-app.zip")
    broken = dict(manifest, manifestVersion="1.16")
    assert any("manifestVersion" in e for e in schema_errors(broken))
    broken = dict(manifest, bots=[dict(manifest["bots"][0], botId="my-bot")])
    assert any("botId" in e for e in schema_errors(broken))
    broken = {k: v for k, v in manifest.items() if k != "developer"}
    assert any("developer" in e for e in schema_errors(broken))


def test_without_an_app_id_only_an_explicit_test_package(cli: CliRunner, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    refused = cli.invoke(app, ["teams-package", "--out", str(tmp_path / "local.zip")])
    assert refused.exit_code != 0 and "--test-package" in refused.output
    monkeypatch.setenv("MicrosoftAppId", "00000000-0000-0000-0000-000000000000")
    assert cli.invoke(app, ["teams-package", "--out", str(tmp_path / "local.zip")]).exit_code != 0
    assert not list(tmp_path.glob("*.zip"))
    result = cli.invoke(app, ["teams-package", "--test-package", "--out", str(tmp_path / "local.zip")])
    assert result.exit_code == 0, result.output
    assert "TESTPAKET" in result.output
    manifest, _, _ = read_package(tmp_path / "local.zip")
    assert manifest["bots"][0]["botId"] == "00000000-0000-0000-0000-000000000000"
    assert schema_errors(manifest) == []


@pytest.mark.parametrize(("args", "env_app_id", "message"), [
    (["--version", "1.0"], APP_ID, "is not a version number"),
    (["--website", "http://insecure.example"], APP_ID, "must start with https://"),
    ([], "my-bot", "is not a GUID"),
    (["--color-icon", "missing.png"], APP_ID, "cannot read icon"),
])
def test_bad_input_is_refused_and_nothing_is_written(cli: CliRunner, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     args: list[str], env_app_id: str, message: str) -> None:
    monkeypatch.setenv("MicrosoftAppId", env_app_id)
    result = cli.invoke(app, ["teams-package", "--out", "teams-app.zip", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("*.zip"))


def test_own_icons_are_used_when_they_fit(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    Image.new("RGBA", (192, 192), (200, 30, 30, 255)).save(tmp_path / "logo.png")
    Image.new("RGBA", (32, 32), (255, 0, 0, 255)).save(tmp_path / "red-outline.png")
    refused = cli.invoke(app, ["teams-package", "--color-icon", "logo.png", "--outline-icon", "red-outline.png"])
    assert refused.exit_code == 1 and "white and transparent" in refused.output
    result = cli.invoke(app, ["teams-package", "--color-icon", "logo.png"])
    assert result.exit_code == 0, result.output
    _, color, _ = read_package(tmp_path / "teams-app.zip")
    assert color.convert("RGBA").getpixel((96, 96)) == (200, 30, 30, 255)

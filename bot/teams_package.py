"""The Teams app package: manifest.json and two icons in a zip, for upload to Teams.

The manifest comes from bot/teams_app_template/manifest.json (schema v1.17) with the bot's
app id and the publisher's details filled in; the icons are drawn here with Pillow unless the
publisher brings their own.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

TEMPLATE_DIR = Path(__file__).parent / "teams_app_template"
PLACEHOLDER_BOT_ID = "00000000-0000-0000-0000-000000000000"
ACCENT = (0x1F, 0x5C, 0x99)
COLOR_SIZE = 192
OUTLINE_SIZE = 32
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")


class PackageError(Exception):
    """Input that would make a package Teams refuses; the message says what to change."""


@dataclass(frozen=True)
class PackageInfo:
    bot_id: str
    app_id: str
    version: str
    developer_name: str
    website_url: str
    privacy_url: str
    terms_url: str


def default_version() -> str:
    try:
        return version("boardbot")
    except PackageNotFoundError:
        return "0.1.0"


def check(info: PackageInfo) -> None:
    for label, value in (("the bot id (MicrosoftAppId)", info.bot_id), ("the app id", info.app_id)):
        if not _GUID.match(value):
            raise PackageError(f"{label} {value!r} is not a GUID like 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d")
    if not _SEMVER.match(info.version):
        raise PackageError(f"version {info.version!r} is not a version number like 1.0.0")
    if not info.developer_name.strip() or len(info.developer_name) > 32:
        raise PackageError("the developer name must be 1 to 32 characters")
    for label, url in (("website", info.website_url), ("privacy", info.privacy_url),
                       ("terms of use", info.terms_url)):
        if not re.match(r"^https://[^\s]+$", url) or len(url) > 2048:
            raise PackageError(f"the {label} URL {url!r} must start with https://")


def manifest(info: PackageInfo) -> dict[str, Any]:
    values = {
        "{{BOT_ID}}": info.bot_id.lower(),
        "{{APP_ID}}": info.app_id.lower(),
        "{{VERSION}}": info.version,
        "{{DEVELOPER_NAME}}": info.developer_name,
        "{{WEBSITE_URL}}": info.website_url,
        "{{PRIVACY_URL}}": info.privacy_url,
        "{{TERMS_URL}}": info.terms_url,
    }

    def fill(node: Any) -> Any:
        # Filled in after parsing, so a value can never break the JSON around it.
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value) for value in node]
        if isinstance(node, str):
            for placeholder, value in values.items():
                node = node.replace(placeholder, value)
        return node

    template = json.loads((TEMPLATE_DIR / "manifest.json").read_text(encoding="utf-8"))
    filled: dict[str, Any] = fill(template)
    return filled


def _document(draw: ImageDraw.ImageDraw, scale: float, fill: tuple[int, ...] | None,
              outline: tuple[int, ...] | None, width: int, line_colour: tuple[int, ...]) -> None:
    """A page with a folded corner and three lines: a protocol."""

    def s(*points: float) -> list[float]:
        return [p * scale for p in points]

    page = [(s(6)[0], s(3)[0]), (s(20)[0], s(3)[0]), (s(26)[0], s(9)[0]), (s(26)[0], s(29)[0]),
            (s(6)[0], s(29)[0])]
    draw.polygon(page, fill=fill, outline=outline, width=width)
    draw.line(s(20, 3, 20, 9, 26, 9), fill=outline or line_colour, width=width)
    for y in (14, 19, 24):
        draw.line(s(10, y, 22, y), fill=line_colour, width=width)


def color_icon() -> bytes:
    """192×192, full colour: a white protocol page on the accent colour."""
    image = Image.new("RGBA", (COLOR_SIZE, COLOR_SIZE), (*ACCENT, 255))
    draw = ImageDraw.Draw(image)
    _document(draw, COLOR_SIZE / 32, fill=(255, 255, 255, 255), outline=None, width=8,
              line_colour=(*ACCENT, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def outline_icon() -> bytes:
    """32×32, white on transparent, as Teams requires for the outline icon."""
    image = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    white = (255, 255, 255, 255)
    _document(draw, 1, fill=None, outline=white, width=2, line_colour=white)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _own_icon(path: Path, size: int, outline: bool) -> bytes:
    try:
        with Image.open(path) as image:
            image.load()
            if image.size != (size, size) or image.format != "PNG":
                raise PackageError(f"{path} must be a {size}×{size} PNG (it is a "
                                   f"{image.size[0]}×{image.size[1]} {image.format})")
            if outline:
                rgba = image.convert("RGBA")
                pixels = (rgba.getpixel((x, y)) for x in range(size) for y in range(size))
                if any(p[3] and p[:3] != (255, 255, 255) for p in pixels if isinstance(p, tuple)):
                    raise PackageError(f"{path}: the outline icon may only have white and transparent pixels")
    except OSError as exc:
        raise PackageError(f"cannot read icon {path}: {exc}") from None
    return path.read_bytes()


def build(info: PackageInfo, out: Path, color: Path | None = None, outline: Path | None = None) -> Path:
    """Writes the zip to `out` (all or nothing) and returns its path."""
    check(info)
    files = {
        "manifest.json": json.dumps(manifest(info), ensure_ascii=False, indent=2).encode("utf-8"),
        "color.png": _own_icon(color, COLOR_SIZE, False) if color else color_icon(),
        "outline.png": _own_icon(outline, OUTLINE_SIZE, True) if outline else outline_icon(),
    }
    out = out.resolve()
    if not out.parent.is_dir():
        raise PackageError(f"folder {out.parent} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=".teams-app-", suffix=".zip", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)  # at the root of the zip, where Teams looks
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out

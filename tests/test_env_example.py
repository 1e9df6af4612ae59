"""`.env.example` is where an operator learns what can be set: it names every setting."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import AliasChoices

from storage.settings import Settings

ENV_EXAMPLE = Path(__file__).resolve().parent.parent / ".env.example"


def test_env_example_names_every_setting() -> None:
    listed = set(re.findall(r"^#?\s*([A-Za-z_][A-Za-z0-9_]*)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M))
    missing = []
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names = [str(a) for a in alias.choices] if isinstance(alias, AliasChoices) else [name.upper()]
        if not listed.intersection(names):
            missing.append(names[0])
    assert not missing, f".env.example does not mention {', '.join(missing)}"

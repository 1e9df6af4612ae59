"""The question bank of issue 14 is well formed: it parses in the eval format, is big enough in
every family, holds enough questions the documents cannot answer, and its held-out third is the
one the stable rule picks (so adding questions never moves one between the splits)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.evaluation import load_items

BANK = Path(__file__).resolve().parent / "eval"
DEV = BANK / "bank_dev.yaml"
HELD_OUT = BANK / "heldout" / "bank_heldout.yaml"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
FAMILIES = ("colloquial", "english", "compare", "relative-time", "why-what", "people", "not-in-documents")


def held_out(item_id: str) -> bool:
    return int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % 3 == 0


@pytest.fixture(scope="module")
def splits() -> dict[str, list]:
    return {"dev": load_items(DEV), "held-out": load_items(HELD_OUT)}


def test_size_families_and_unanswerable(splits: dict[str, list]) -> None:
    items = splits["dev"] + splits["held-out"]
    assert len(items) >= 400
    per_family = Counter(i.family for i in items)
    assert set(per_family) == set(FAMILIES)
    assert all(per_family[f] >= 30 for f in FAMILIES), per_family
    unanswerable = [i for i in items if i.unanswered]
    assert len(unanswerable) >= 60
    assert all(i.family == "not-in-documents" for i in unanswerable)
    assert all(i.expect and not i.unanswered for i in items if i.family != "not-in-documents")
    # Both languages in every family that is not English by definition.
    english = re.compile(r"\b(what|who|how|which|when|where|why|is|was|the)\b", re.I)
    for family in FAMILIES:
        asks = [i.ask for i in items if i.family == family]
        assert any(english.search(a) for a in asks), family
        assert family == "english" or any(not english.search(a) for a in asks), family


def test_ids_unique_and_split_is_the_stable_third(splits: dict[str, list]) -> None:
    ids = [i.id for i in splits["dev"] + splits["held-out"]]
    assert len(ids) == len(set(ids))
    assert all(held_out(i.id) for i in splits["held-out"])
    assert not any(held_out(i.id) for i in splits["dev"])
    share = len(splits["held-out"]) / len(ids)
    assert 0.28 <= share <= 0.39, share


def test_every_item_names_where_its_fact_is() -> None:
    for path in (DEV, HELD_OUT):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            if line.startswith("- id:"):
                assert n > 0 and lines[n - 1].startswith("#"), f"{path.name}:{n + 1} has no source comment"


def test_fragments_are_text_and_nothing_copies_the_shared_sets(splits: dict[str, list]) -> None:
    for item in splits["dev"] + splits["held-out"]:
        for fragment in item.expect:
            options = fragment if isinstance(fragment, list) else [fragment]
            assert options and all(isinstance(o, str | int) and str(o).strip() for o in options), item.id
    shared = [SHARED / "questions.yaml", SHARED / "families.yaml"]
    if not all(p.exists() for p in shared):
        pytest.skip("../shared/eval not found")
    # The same words asked in another förbund or on another day are another question.
    seen = {(str(q["ask"]).casefold(), q.get("org"), str(q.get("as_of")) if q.get("as_of") else None)
            for p in shared for q in yaml.safe_load(p.read_text(encoding="utf-8"))}
    copied = [i.id for i in splits["dev"] + splits["held-out"]
              if (i.ask.casefold(), i.org, i.as_of.isoformat() if i.as_of else None) in seen]
    assert not copied

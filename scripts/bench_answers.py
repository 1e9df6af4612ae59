"""Answer latency on a large store, beside the raw indexed SQL lookup of the same facts.

Builds (once, cached in /tmp) a SQLite store of 80 förbund × 10 years: about 100 000
paragraphs, 20 000 grants and 100 000 budget rows, then asks a mix of questions through the
Assistant and times each, and times the plain indexed query that fetches the same fact.
Prints p50/p99 for both and their ratio. Aim: p99 ≤ 50 ms and ≤ 10× the raw lookup.

    python scripts/bench_answers.py [--db /tmp/boardbot-bench.db] [--questions 400]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant
from handlers.messages import Message
from handlers.understanding import lexicon
from storage.db import open_engine
from storage.models import BudgetFigure, Document, Grant, GrantEvent, Organisation, Paragraph, Protocol
from storage.search import paragraph_search_text

ORGS, YEARS, MEETINGS_PER_YEAR, PARAGRAPHS_PER_MEETING = 80, 10, 5, 25
GRANTS_PER_MEETING = 5
LINES = ["Kansli", "Styrelse", "Information", "Ekonomihantering", "Kompetensutveckling", "Projektgemensamt",
         "Summa intäkter", "Summa kostnader", "Årets resultat", "Eget kapital", "Försäkringskassan",
         "Regionen"]
BASE_WORDS = ("samverkan arbetsmarknad rehabilitering ungdomar lokaler hemsida signering revision budget "
              "uppföljning kompetens individ försörjning insatser region kommun myndighet utbildning").split()
# Real protocols draw on thousands of words with a few very common ones: a Zipf-like mix of
# the base words and invented ones keeps the index's selectivity realistic.
WORDS = BASE_WORDS + [f"{a}{b}" for a in ("sam", "för", "ut", "in", "över", "till", "an", "be")
                      for b in ("verkan", "ordning", "stöd", "plan", "arbete", "gång", "del", "tal", "lag",
                            "ställning", "sättning", "visning", "läggning", "ledning", "byggnad", "rätt")]
GRANT_WORDS = ["Vägen", "Steget", "Bron", "Språnget", "Kompassen", "Navet", "Torget", "Porten", "Stigen", "Lyftet"]


def build(engine: Engine, seed: int = 7) -> None:
    rng = random.Random(seed)
    with Session(engine) as s:
        for o in range(ORGS):
            org = Organisation(name=f"Samordningsförbundet Bench {o:02d}")
            s.add(org)
            s.flush()
            assert org.id
            plan = Document(organisation_id=org.id, kind="verksamhetsplan", title="Verksamhetsplan",
                            file_name=f"plan{o}.txt", content_hash=f"plan-{o}", text="-")
            s.add(plan)
            s.flush()
            budget_rows = []
            for year in range(2015, 2015 + YEARS):
                for kind in ("budget", "prognos", "utfall"):
                    for line in LINES + [f"Insats {i}" for i in range(30)]:
                        budget_rows.append({"organisation_id": org.id, "year": year, "kind": kind, "line": line,
                                            "amount": rng.randrange(10, 5000) * 1000, "unit": "kr",
                                            "document_id": plan.id})
            s.execute(insert(BudgetFigure), budget_rows[: 100_000 // ORGS])
            for year in range(2015, 2015 + YEARS):
                for m in range(MEETINGS_PER_YEAR):
                    day = dt.date(year, 2 + 2 * m, 10 + o % 15)
                    doc = Document(organisation_id=org.id, kind="protokoll", file_name=f"p{o}-{day}.txt",
                                   content_hash=f"p-{o}-{day}", version_key=f"protokoll:{day}", text="-")
                    s.add(doc)
                    s.flush()
                    assert doc.id
                    protocol = Protocol(document_id=doc.id, organisation_id=org.id, meeting_date=day,
                                        version_hash=doc.content_hash, status="justerat")
                    s.add(protocol)
                    s.flush()
                    rows = []
                    for n in range(PARAGRAPHS_PER_MEETING):
                        body = " ".join(WORDS[min(int(rng.paretovariate(1.2)) - 1, len(WORDS) - 1)]
                                        if rng.random() < 0.5 else rng.choice(WORDS) for _ in range(40))
                        title = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
                        rows.append({"document_id": doc.id, "organisation_id": org.id, "protocol_id": protocol.id,
                                     "number": n + 1, "title": title, "body": body, "decision": "Att godkänna.",
                                     "search_text": paragraph_search_text(org.id, title, body)})
                    s.execute(insert(Paragraph), rows)
                    for g in range(GRANTS_PER_MEETING):
                        name = f"{rng.choice(GRANT_WORDS)} {o}-{year}-{m}-{g}"
                        grant = Grant(organisation_id=org.id, key=name.lower(), name=name, dnr=f"P{year % 100}/{m}{g}",
                                      max_amount=rng.randrange(50, 2000) * 1000, status="granted",
                                      document_id=doc.id)
                        s.add(grant)
                        s.flush()
                        assert grant.id
                        s.add(GrantEvent(grant_id=grant.id, status="granted", date=day,
                                         amount=grant.max_amount, document_id=doc.id))
            s.commit()


def _refresh_after_ingest(engine: Engine) -> float:
    """Ingest one small protocol, then time the first look-up that must rebuild the lexicon."""
    from storage.ingest.load import ingest_path

    sample = sorted((Path(__file__).resolve().parents[1] / "bot" / "samples").glob("norrvik_protokoll_*.txt"))[0]
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / sample.name
        # A line of its own makes the content new on each run, so the ingest always adds a document.
        copy.write_text(sample.read_text(encoding="utf-8") + f"\nBench {time.time_ns()}\n", encoding="utf-8")
        ingest_path(engine, copy)
    with Session(engine) as s:
        started = time.perf_counter()
        lexicon.lexicon(s)
        return time.perf_counter() - started


def raw_lookup(engine: Engine, kind: str, org_id: int, value: str, year: int) -> float:
    start = time.perf_counter()
    with engine.connect() as conn:
        if kind == "grant":
            conn.execute(text("SELECT max_amount FROM insats WHERE organisation_id=:o AND key=:k"),
                         {"o": org_id, "k": value.lower()}).fetchall()
        else:
            conn.execute(text("SELECT amount FROM budgetfigure WHERE organisation_id=:o AND year=:y AND kind='budget' "
                              "AND line=:l"), {"o": org_id, "y": year, "l": value}).fetchall()
    return time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/boardbot-bench.db")
    parser.add_argument("--questions", type=int, default=400)
    args = parser.parse_args()
    path = Path(args.db)
    fresh = not path.exists()
    engine = open_engine(f"sqlite:///{path}")
    if fresh:
        started = time.perf_counter()
        build(engine)
        print(f"built store in {time.perf_counter() - started:.1f} s")
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("paragraph", "insats", "budgetfigure", "organisation")}
    print("store:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    # The lexicon of everything the store names: built cold once, then refreshed after an ingest.
    lexicon.forget()
    with Session(engine) as s:
        started = time.perf_counter()
        lex = lexicon.lexicon(s)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        lexicon.lexicon(s)
        cached = time.perf_counter() - started
    refresh = _refresh_after_ingest(engine)
    print(f"lexicon: {len(lex.entries)} names, built cold in {cold * 1000:.0f} ms; cached look-up "
          f"{cached * 1000:.2f} ms; refreshed after an ingest in {refresh * 1000:.0f} ms")
    assistant = Assistant(engine)
    rng = random.Random(1)
    with Session(engine) as s:
        grants = s.exec(text("SELECT organisation_id, name FROM insats")).all()  # type: ignore[call-overload]
    answer_times: list[float] = []
    raw_times: list[float] = []
    for i in range(args.questions):
        org_id, grant_name = rng.choice(grants)
        org = f"Bench {org_id - 1:02d}"
        year = rng.randrange(2015, 2025)
        line = rng.choice(LINES[:6])
        mix = i % 4
        if mix == 0:
            question, raw = f"Hur mycket har {grant_name} beviljats?", ("grant", grant_name)
        elif mix == 1:
            question, raw = f"Vad är budgeten för {line} {year}?", ("budget", line)
        elif mix == 2:
            question, raw = f"Vad beslutade styrelsen om {rng.choice(WORDS)}?", ("budget", line)
        else:
            question, raw = f"Vem justerar protokollet från {year}-04-{10 + (org_id - 1) % 15}?", ("budget", line)
        start = time.perf_counter()
        reply = assistant.handle(Message(text=question, organisation_hint=org))
        answer_times.append(time.perf_counter() - start)
        raw_times.append(raw_lookup(engine, raw[0], org_id, raw[1], year))
        if i < 4:
            print(f"  e.g. {question!r} -> answered={reply.answered}: {reply.text[:80]!r}")
    p50, p99 = pct(answer_times, 0.5), pct(answer_times, 0.99)
    r50, r99 = pct(raw_times, 0.5), pct(raw_times, 0.99)
    print(f"answers: p50 {p50:.1f} ms, p99 {p99:.1f} ms over {len(answer_times)} questions "
          f"(mean {statistics.mean(answer_times) * 1000:.1f} ms)")
    print(f"raw SQL: p50 {r50:.2f} ms, p99 {r99:.2f} ms")
    print(f"ratio p99 answer/raw: {p99 / r99:.1f}×  (aim: p99 ≤ 50 ms and ≤ 10×)")


if __name__ == "__main__":
    main()

"""The seeds rendered to PDF and DOCX must give the same facts as their text: print the difference.

Each .txt file is rendered by scripts/render_documents.py (PDF with positioned table columns and
no tab in its text layer; DOCX with Word tables; optionally a scanned, image-only PDF read by
OCR), read back through the product's extraction, parsed, and compared field by field with the
parse of the text itself. Prints nothing but a summary line when every rendering agrees; exits 1
when a difference is found.

    python scripts/format_diff.py [--formats pdf,docx] [FILE.txt ...]   (default: ../shared/seeds)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_documents import RENDERERS

from storage.ingest.extract import extract_text_from_bytes
from storage.ingest.parse import parse_document
from storage.ingest.report import FieldScore, document_facts, fact_diff

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
LIMIT = 200 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", default="pdf,docx", help="comma-separated: pdf, docx, scan")
    parser.add_argument("--quiet", action="store_true", help="Only the precision/recall table, not each fact.")
    parser.add_argument("files", type=Path, nargs="*")
    args = parser.parse_args(argv)
    files = args.files or sorted(SEEDS.glob("*.txt"))
    differences = 0
    scores: dict[str, dict[str, FieldScore]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        expected = parse_document(text, path.name)
        for fmt in args.formats.split(","):
            suffix, render = RENDERERS[fmt]
            extracted = extract_text_from_bytes(render(text), path.stem + suffix, LIMIT)
            got = parse_document(extracted.text, path.stem + suffix)
            mine, theirs = document_facts(expected), document_facts(got)
            for name in set(mine) | set(theirs):
                a, b = mine.get(name, set()), theirs.get(name, set())
                scores.setdefault(fmt, {}).setdefault(name, FieldScore()).add(
                    FieldScore(tp=len(a & b), fp=len(b - a), fn=len(a - b)))
            for name, (missing, extra) in fact_diff(expected, got).items():
                differences += len(missing) + len(extra)
                if args.quiet:
                    continue
                print(f"{path.name} [{fmt}] {name}")
                for fact in sorted(missing, key=repr):
                    print(f"   - {fact}")
                for fact in sorted(extra, key=repr):
                    print(f"   + {fact}")
    for fmt, fields in scores.items():
        print(f"\n{fmt}: {'field':<26}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>5}{'fn':>5}")
        for name, fs in sorted(fields.items()):
            if fs.tp + fs.fp + fs.fn:
                print(f"{'':<{len(fmt) + 2}}{name:<26}{fs.precision:>10.3f}{fs.recall:>8.3f}{fs.tp:>6}{fs.fp:>5}{fs.fn:>5}")
    print(f"format_diff: {len(files)} documents × {args.formats}: {differences} facts differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())

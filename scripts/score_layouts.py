"""Precision and recall of the reader per layout family × format, dev and held-out apart.

Reads a folder written by `generate_documents.py --families` (documents and their <name>.yaml
ground truth), reads every document as an upload would be read, and prints for each family,
format and split the worst field's precision and recall, with the fields below target
(precision 0.98, recall 0.95; 0.90 for scans) named for the dev split only.

    python scripts/score_layouts.py DIR [--show-held-out]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storage.ingest.extract import ExtractError, extract_text
from storage.ingest.parse import parse_document
from storage.ingest.report import GroupScore, group_key, layout_lines, load_truth, score

LIMIT = 200 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--show-held-out", action="store_true", help="also name the held-out split's misses")
    parser.add_argument("--verbose", action="store_true", help="print every dev document's misses")
    args = parser.parse_args(argv)
    groups: dict[tuple[str, str, str], GroupScore] = {}
    for path in sorted(p for p in args.folder.iterdir() if p.suffix != ".yaml"):
        truth = load_truth(args.folder, path.stem)
        key = group_key(truth, path.name) if truth else None
        if key is None:
            continue
        try:
            text = extract_text(path, LIMIT).text
        except ExtractError as exc:
            print(f"{path.name}: {exc.message_en}", file=sys.stderr)
            text = ""
        scores = score(parse_document(text, path.name), truth)
        groups.setdefault(key, GroupScore({})).add(scores)
        if args.verbose and key[2] == "dev":
            misses = [f"{n} (fp {s.fp}, fn {s.fn})" for n, s in sorted(scores.items()) if s.fp or s.fn]
            if misses:
                print(f"{path.name}: {', '.join(misses)}")
    for line in layout_lines(groups, show_held_out=args.show_held_out):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

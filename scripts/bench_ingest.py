"""Ingest speed: 1 000 generated documents shaped like the seeds into a fresh SQLite store.

Prints documents per second, the split between parsing and storing, and peak memory (the
process's maximum resident set size). Aim: at least 50 documents per second on 2 cores.
One transaction per document, as the product does.

    python scripts/bench_ingest.py [--count 1000] [--seed 1] [--workers 0] [--pdf 20] [--scan 2]

--pdf N (default 20) also renders the first N of those documents as PDFs (tables as placed
columns, scripts/render_documents.py) and ingests them into another fresh store; --scan M
(default 2) renders M as scanned, image-only PDFs read by OCR. Both report documents/s and
pages/s.

--workers N reads and parses in N other processes while this one stores, in order
(storage.ingest.load.ingest_paths); the split is then not measured, and peak memory is this
process's only. On a machine shared with other work the wall-clock figures vary from run to
run; the CPU time printed with them varies less.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_documents import generate

from storage.db import open_engine, session_scope
from storage.ingest.extract import extract_text
from storage.ingest.load import ingest_paths, load_parsed
from storage.ingest.parse import parse_document


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0, help="processes that read and parse (0: none)")
    parser.add_argument("--pdf", type=int, default=20, help="documents also ingested as PDFs (0: none)")
    parser.add_argument("--scan", type=int, default=2, help="documents also ingested as scans, by OCR (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder) / "docs"
        generate(args.count, docs, args.seed)
        files = sorted(docs.glob("*.txt"))
        engine = open_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        parse_s = store_s = 0.0
        rejected = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        if args.workers > 0:
            rejected = sum(1 for result in ingest_paths(engine, files, workers=args.workers) if not result.ok)
        else:
            for path in files:
                extracted = extract_text(path, 50 * 1024 * 1024)
                t0 = time.perf_counter()
                parsed = parse_document(extracted.text, path.name)
                t1 = time.perf_counter()
                with session_scope(engine) as session:
                    result = load_parsed(session, extracted, parsed)
                    if not result.ok:
                        rejected += 1
                        session.rollback()
                store_s += time.perf_counter() - t1
                parse_s += t1 - t0
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        engine.dispose()
        rendered = [(fmt, n) for fmt, n in (("pdf", args.pdf), ("scan", args.scan)) if n > 0]
        other = [_bench_rendered(files[:n], fmt, Path(folder)) for fmt, n in rendered]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ingested {len(files) - rejected} of {len(files)} documents in {elapsed:.1f} s: "
          f"{len(files) / elapsed:.1f} documents/s (aim ≥ 50)")
    if args.workers > 0:
        print(f"  read and parsed in {args.workers} worker process(es), stored here; "
              f"this process's CPU {cpu:.1f} s; peak memory {peak_mb:.0f} MB")
    else:
        print(f"  parsing {parse_s:.1f} s, storing {store_s:.1f} s (CPU {cpu:.1f} s in all); "
              f"peak memory {peak_mb:.0f} MB")
    for line in other:
        print(line)


def _bench_rendered(files: list[Path], fmt: str, folder: Path) -> str:
    """The same documents as PDFs (text layer) or scans (OCR): documents/s and pages/s."""
    import pypdfium2 as pdfium
    from render_documents import RENDERERS

    suffix, render = RENDERERS[fmt]
    out = folder / fmt
    out.mkdir()
    paths, pages = [], 0
    for path in files:
        target = out / (path.stem + suffix)
        target.write_bytes(render(path.read_text(encoding="utf-8")))
        document = pdfium.PdfDocument(target.read_bytes())
        pages += len(document)
        document.close()
        paths.append(target)
    engine = open_engine(f"sqlite:///{folder / (fmt + '.db')}")
    started, cpu_started = time.perf_counter(), time.process_time()
    rejected = sum(1 for result in ingest_paths(engine, paths) if not result.ok)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    engine.dispose()
    what = "PDF (text layer)" if fmt == "pdf" else "scanned PDF (OCR, Tesseract)"
    return (f"{what}: {len(paths) - rejected} of {len(paths)} documents, {pages} pages in {elapsed:.1f} s: "
            f"{len(paths) / elapsed:.2f} documents/s, {pages / elapsed:.1f} pages/s (this process's CPU "
            f"{cpu:.1f} s; OCR runs in tesseract processes)" if fmt == "scan" else
            f"{what}: {len(paths) - rejected} of {len(paths)} documents, {pages} pages in {elapsed:.1f} s: "
            f"{len(paths) / elapsed:.2f} documents/s, {pages / elapsed:.1f} pages/s (CPU {cpu:.1f} s)")


if __name__ == "__main__":
    main()

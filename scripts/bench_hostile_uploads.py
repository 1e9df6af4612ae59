"""Time and peak memory of reading hostile uploads: the plain extractor in this process's child
(what chat uploads did before storage/ingest/sandbox.py) against the sandboxed reader.

    python scripts/bench_hostile_uploads.py [--before-cap-mb 3072]

"Before" runs the extractor in a child capped at --before-cap-mb of address space, so the
measurement cannot take the machine down; "capped" means it would have needed more.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile_files import pdf_with_huge_stream, pdf_with_pages, zip_bomb_docx  # noqa: E402

_BEFORE = """
import pickle, resource, sys
cap = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
data, name = pickle.load(sys.stdin.buffer)
from storage.ingest.load import read_bytes
result = read_bytes(data, name, 50 * 1024 * 1024)
print("refused" if not isinstance(result, tuple) else "read")
"""

_AFTER = """
import pickle, sys
data, name = pickle.load(sys.stdin.buffer)
from storage.ingest.sandbox import read_upload
result = read_upload(data, name)
print("refused: " + (result.message_en or "") if not isinstance(result, tuple) else "read")
"""


# Runs the measured code as its own child, so that child's peak (and its children's, the
# sandbox's reader included) is all RUSAGE_CHILDREN holds.
_RUNNER = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", *sys.argv[1:]], stdin=sys.stdin, capture_output=True)
said = done.stdout.decode().strip() or f"died (exit {done.returncode})"
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(said)
"""


def _measure(code: str, args: list[str], data: bytes, name: str) -> tuple[float, float, str]:
    """Wall seconds, peak resident MB of any one process it started, and what it said."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _RUNNER, code, *args], input=pickle.dumps((data, name)),
                          capture_output=True, cwd=ROOT, timeout=900)
    elapsed = time.monotonic() - started
    peak, _, said = done.stdout.decode().partition("\n")
    return elapsed, int(peak) / 1024, said.strip()[:110]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before-cap-mb", type=int, default=3072)
    args = parser.parse_args()
    files = {
        "zip bomb .docx (1.2 MB -> 390 MB)": ("bomb.docx", zip_bomb_docx(390)),
        "PDF stream (3 MB -> 1 GB)": ("stream.pdf", pdf_with_huge_stream(1024)),
        "PDF of 2000 pages": ("pages.pdf", pdf_with_pages(2000)),
    }
    cap = str(args.before_cap_mb * 1024 * 1024)
    print(f"{'file':38} {'path':7} {'seconds':>8} {'peak MB':>8}  outcome")
    for label, (name, data) in files.items():
        seconds, peak, said = _measure(_AFTER, [], data, name)
        print(f"{label:38} {'after':7} {seconds:8.1f} {peak:8.0f}  {said}")
    for label, (name, data) in files.items():
        seconds, peak, said = _measure(_BEFORE, [cap], data, name)
        if said.startswith("died"):
            said += f": needed more than the {args.before_cap_mb} MB cap"
        print(f"{label:38} {'before':7} {seconds:8.1f} {peak:8.0f}  {said}")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Regenerates 0001_initial from storage/models.py. Only while the project is unreleased:
# once a store exists in production, schema changes get a new revision instead.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f storage/migrations/versions/0001_initial.py
# Later revisions depend on 0001: park them while 0001 is generated against an empty database.
mkdir -p "$tmp/parked"
find storage/migrations/versions -maxdepth 1 -name '0*.py' -exec mv {} "$tmp/parked/" \;
trap 'mv "$tmp"/parked/*.py storage/migrations/versions/ 2>/dev/null || true; rm -rf "$tmp"' EXIT
.venv/bin/python - "$tmp" <<'PY'
import sys
from alembic import command
from storage.db import alembic_config
url = f"sqlite:///{sys.argv[1]}/gen.db"
cfg = alembic_config(url)
command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001", head="base")
PY
f=$(ls storage/migrations/versions/0001_*.py)
[ "$f" = storage/migrations/versions/0001_initial.py ] || mv "$f" storage/migrations/versions/0001_initial.py
.venv/bin/ruff check --fix -q storage/migrations/versions/0001_initial.py || true
.venv/bin/ruff format -q storage/migrations/versions/0001_initial.py

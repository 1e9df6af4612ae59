#!/usr/bin/env bash
# Installs (from Debian's packages, if missing) and starts a local PostgreSQL on 127.0.0.1,
# with a role and database for the tests. Used by .ci/run; handy on a developer machine too.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$pg_version main"; then
  pg_createcluster "$pg_version" main >/dev/null
fi
pg_ctlcluster "$pg_version" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -q && break
  sleep 1
done
# Two roles, as in production (README, "Database roles"): `boardbot` owns the databases and
# tables and runs the migrations; `boardbot_app` is what the application (and the tests' stores)
# connect as. It owns nothing and is no member of `boardbot`, so it cannot ALTER or DISABLE the
# audit log's triggers; `boardbot db upgrade --app-role boardbot_app` grants it the rest.
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'boardbot') THEN
    CREATE ROLE boardbot LOGIN PASSWORD 'boardbot' CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'boardbot_app') THEN
    CREATE ROLE boardbot_app LOGIN PASSWORD 'boardbot_app' NOCREATEDB NOCREATEROLE NOSUPERUSER;
  END IF;
END $$;
-- The tests drop their databases WITH (FORCE); an autovacuum worker that happens to be in a
-- fresh database has no role, and terminating it needs pg_signal_backend.
GRANT pg_signal_backend TO boardbot;
SQL
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='boardbot_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O boardbot boardbot_test"

echo "PostgreSQL ready: postgresql+psycopg://boardbot:boardbot@127.0.0.1:5432/boardbot_test (owner);" \
  "the application role is boardbot_app"

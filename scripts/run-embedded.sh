#!/usr/bin/env bash
# The embedded profile, end to end: migrate, demo data on an empty database, serve.
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
$PY manage.py migrate --noinput -v 0
if $PY manage.py help seed_demo >/dev/null 2>&1; then
  $PY manage.py seed_demo --if-empty
fi
echo "TinyBook (embedded profile) on http://127.0.0.1:${PORT}/"
exec $PY manage.py runserver "127.0.0.1:${PORT}" --noreload

#!/usr/bin/env bash
# The embedded profile, end to end: migrate, demo data on an empty database, serve.
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
$PY manage.py migrate --noinput -v 0
$PY manage.py seed_demo --if-empty   # demo data on an empty database; prints the demo login
echo "TinyBook (embedded profile) on http://127.0.0.1:${PORT}/"
exec $PY manage.py runserver "127.0.0.1:${PORT}" --noreload

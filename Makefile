# TinyBook. `make run` serves the site; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test fuzz setup sysdeps-run sysdeps-test messages services-run worker beat consumer lint bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $(STAMP)

sysdeps-run:
	@scripts/system-deps.sh run

sysdeps-test:
	@scripts/system-deps.sh test

# Compiled catalogues are build output (.mo files are not committed).
messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages -v 0 --ignore=.venv; \
	else echo "msgfmt missing: messages stay in English (install gettext)"; fi

setup: sysdeps-run $(STAMP) messages

run: setup
	@scripts/run-embedded.sh

test: sysdeps-test $(STAMP) messages
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

# A longer fuzz run than the one in `make test` (tinybook/tests/test_fuzz.py): FUZZ_EXAMPLES
# generated requests per operation and mode (valid and invalid), fixed seed; reports every
# HTTP 500 and schema violation, and fails on any.
fuzz: sysdeps-test $(STAMP) messages
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-150} $(PY) -m pytest -q -s -m fuzz -p no:warnings tinybook/tests/test_fuzz.py

# The services profile on this machine: MariaDB, Redis, RabbitMQ as in .ci/run. There is no
# S3 here: images stay local files unless MEDIA_STORAGE=s3 and the S3_* settings are given.
SERVICES_ENV := DATABASE_URL=$${DATABASE_URL:-mysql://root@127.0.0.1:3306/tinybook} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-amqp://guest:guest@127.0.0.1:5672//} \
	TINYBOOK_DEBUG=$${TINYBOOK_DEBUG:-1} \
	MEDIA_STORAGE=$${MEDIA_STORAGE:-local}

services-run: setup
	$(SERVICES_ENV) $(PY) manage.py migrate --noinput
	$(SERVICES_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(SERVICES_ENV) $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py tinybook.wsgi:application

worker: setup
	$(SERVICES_ENV) $(VENV)/bin/celery -A tinybook worker -l info

beat: setup
	$(SERVICES_ENV) $(VENV)/bin/celery -A tinybook beat -l info

consumer: setup
	$(SERVICES_ENV) $(PY) manage.py consume_events

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: setup
	@scripts/system-deps.sh bench
	$(PY) scripts/bench/run.py $(BENCH_ARGS)
	@# BENCH_HOT=1: also the hot-list job over 1,000,000 live articles (scripts/bench/hot_list.py)
	@if [ "$(BENCH_HOT)" = "1" ]; then $(PY) scripts/bench/hot_list.py $(BENCH_HOT_ARGS); fi
	@# BENCH_FEED=1: also the feed at scale: an author with 100,000 followers, a reader following 1,000 (scripts/bench/feed.py)
	@if [ "$(BENCH_FEED)" = "1" ]; then $(PY) scripts/bench/feed.py $(BENCH_FEED_ARGS); fi

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

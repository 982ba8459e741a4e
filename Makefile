# The README's two commands: `make run` (local portal with demo content) and
# `make test` (the whole suite on real PostgreSQL, Redis and Solr).
SHELL := /bin/bash
CKAN := .venv/bin/ckan
PYTEST_ARGS ?=

.PHONY: run test bootstrap services status stop bench test-db

run: bootstrap services
	scripts/portal init
	scripts/portal start

test: bootstrap services test-db
	scripts/compose-tool >/dev/null
	scripts/browser-tools >/dev/null
	.venv/bin/python -m pytest --ckan-ini=test.ini $(PYTEST_ARGS)

bootstrap:
	scripts/bootstrap

services: bootstrap
	scripts/services up

test-db:
	$(CKAN) -c test.ini db upgrade > .local/logs/test-db.log 2>&1 || { tail -n 20 .local/logs/test-db.log; exit 1; }

status:
	-scripts/services status
	-scripts/portal status

stop:
	scripts/portal stop
	scripts/services stop

bench: bootstrap services
	.venv/bin/python bench/api_latency.py $(BENCH_ARGS)

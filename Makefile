# Partner Portal: local development and CI entry points (no Docker needed).
SHELL := /bin/bash
PYTHON ?= python3.11
PY := .venv/bin/python

.PHONY: venv infra test up down status chaos

# (Re)install only when the venv is missing or pyproject.toml changed since the last install.
venv: .venv/.stamp

.venv/bin/python:
	$(PYTHON) -m venv .venv

.venv/.stamp: pyproject.toml | .venv/bin/python
	.venv/bin/pip install -q -e '.[test]'
	touch $@

# PostgreSQL + Kafka, schema migrations and topics (each step is idempotent).
infra: venv
	deploy/infra.sh start
	$(PY) -m shared.db.migrate
	$(PY) -m shared.kafka.create_topics

# PG_FAST=1: synchronous_commit=off when this run starts PostgreSQL (tests only).
test: export PG_FAST := 1
test: infra
	deploy/chromium.sh install
	$(PY) -m pytest -q tests/unit tests/integration tests/e2e

# Fault injection (minutes, not in CI): its own PostgreSQL, Kafka, SMTP and services in
# .run/chaos on other ports; never touches the servers `make infra` started. docs/RELIABILITY.md
chaos: venv
	$(PY) -m tests.chaos $(CHAOS_ARGS)

# Everything, with MailDev as the SMTP server, and the three services.
up: export WITH_MAILDEV := 1
up: infra
	deploy/services.sh start
	deploy/demo.sh start

down:
	deploy/demo.sh stop
	deploy/services.sh stop
	deploy/infra.sh stop

status:
	@deploy/infra.sh status || true
	@deploy/services.sh status || true
	@deploy/demo.sh status || true

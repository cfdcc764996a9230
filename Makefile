# The README's commands. Every target runs scripts/setup.sh first (idempotent).
VENV ?= .venv
CKAN = $(VENV)/bin/ckan
PORT ?= 5000
export QUITO_ADMIN_PASSWORD ?= Quito-demo-2026

.PHONY: setup portal demo test constraints i18n

setup:
	scripts/setup.sh

demo: setup
	$(CKAN) -c ckan.ini quito demo load
	scripts/xloader-token.sh ckan.ini

## portal: set everything up, load the demo content and serve http://localhost:$(PORT)
portal: demo
	$(CKAN) -c ckan.ini jobs worker > var/jobs-worker.log 2>&1 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/python -m ckanext.quito_gobiernoabierto.wsgi --config ckan.ini --host 0.0.0.0 --port $(PORT)

## test: set everything up (Debian's chromium for the browser tests too) and run the whole test suite
test: setup
	bash scripts/browser.sh
	QUITO_REQUIRE_BROWSER=1 scripts/run-tests.sh

constraints:
	$(VENV)/bin/pip freeze --exclude-editable | grep -vi '^ckanext-quito' > requirements/constraints.txt.new
	{ head -2 requirements/constraints.txt; cat requirements/constraints.txt.new; } > requirements/constraints.txt.tmp
	mv requirements/constraints.txt.tmp requirements/constraints.txt; rm requirements/constraints.txt.new

i18n:
	scripts/i18n.sh extract && scripts/i18n.sh update && $(VENV)/bin/python scripts/translate.py i18n/translations && scripts/i18n.sh compile

## bench-search: package_search and rebuild benchmark on its own database (SIZES="10000 100000")
.PHONY: bench-search
bench-search: setup
	scripts/bench.sh search

## conformance: CKAN's search tests and the scheming, dcat, harvest suites with our engine in place of Solr
.PHONY: conformance
conformance: setup
	scripts/conformance.sh

## bench-dcat: DCAT catalogue page and full dump, quito_dcat_ap beside euro_dcat_ap_3 (DCAT_SIZES="2000 10000")
.PHONY: bench-dcat
bench-dcat: setup
	scripts/bench.sh dcat

## bench-harvest: quito_files first harvest of 1,000 files and an unchanged re-run (HARVEST_FILES="1000")
.PHONY: bench-harvest
bench-harvest: setup
	scripts/bench.sh harvest

## bench-pages: p95 of home, search, dataset and LOTAIP pages on the DCAT bench database (run bench-dcat first)
.PHONY: bench-pages
bench-pages: setup
	scripts/bench.sh pages

## reliability: the portal under load and faults, on its own PostgreSQL and Redis (RELIABILITY_SIZE=10000)
.PHONY: reliability
reliability: setup
	scripts/reliability.sh

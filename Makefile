# One way to do each routine task. `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: setup demo serve test test-fast lint format bench clean neo4j-start neo4j-stop fuseki-start fuseki-stop

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e ".[dev]"  # no build-backend warnings flood
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)                 ## create .venv and install peergraph with its dev tools

demo: setup                     ## load the bundled data into a fresh store and serve it at http://127.0.0.1:8000
	$(BIN)/peergraph demo

serve: setup                    ## serve the current store
	$(BIN)/peergraph serve

test: setup lint                ## lint, check docs, run every test (what CI runs)
	$(BIN)/pytest

test-fast: setup                ## tests without the slow (process-starting) ones
	$(BIN)/pytest -m "not slow"

lint: setup                     ## ruff, import contracts, README CLI section up to date
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/cog --check README.md

format: setup                   ## format code and regenerate generated files
	$(BIN)/ruff check --fix .
	$(BIN)/peergraph ontology generate
	$(BIN)/cog -r README.md

bench: setup                    ## run the benchmarks; writes benchmarks/results.md and results.json
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.ingest_shacl
	$(BIN)/python -m benchmarks.neo4j_load
	$(BIN)/python -m benchmarks.match
	$(BIN)/python -m benchmarks.viz
	$(BIN)/python -m benchmarks.http
	$(BIN)/python -m benchmarks.deadline

clean:                          ## remove the virtualenv, caches and the default store
	rm -rf $(VENV) .peergraph .pytest_cache .ruff_cache .import_linter_cache benchmarks/out

neo4j-start:                    ## start a local Neo4j 5.26 (Maven-fetched, no Docker) and print PEERGRAPH_NEO4J_* lines
	tools/neo4j-local/neo4j-local.sh start

neo4j-stop:                     ## stop it
	tools/neo4j-local/neo4j-local.sh stop

fuseki-start:                   ## start a local Apache Jena Fuseki 5.2.0 (Maven-fetched) and print PEERGRAPH_SPARQL_* lines
	tools/fuseki-local/fuseki-local.sh start

fuseki-stop:                    ## stop it
	tools/fuseki-local/fuseki-local.sh stop

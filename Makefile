# Two commands do all the set-up: `make all` renders the default campaign, `make test` checks it.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ASSETS := $(BIN)/assets
READY  := $(VENV)/.ready
JOBS   ?=
# pytest-xdist processes for `make test` (tests/conftest.py keeps the tests of one build on one of them)
# one more worker than cores: a test waiting on ffmpeg, Chromium or a subprocess leaves its core to another
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
# each target makes the bundles, page and report again from the new manifest (`--deliver`): what it
# leaves is consistent, and only what changed is packed again
J      = $(if $(JOBS),-j $(JOBS))

# each run starts faster from Python's bytecode cache (git ignores __pycache__/)
unexport PYTHONDONTWRITEBYTECODE

.PHONY: all banners pano posters led web notices documents bundles report typography serve check list docs verify watch studio test test-fast oracle bench profile clean help

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

all: $(READY)  ## render the default campaign (2022) into output/ and the 2025 one into output-2025/, bundle, report, verify
	$(ASSETS) all $(J)
	$(ASSETS) all --campaign specs/campaigns/2025.yaml --output output-2025 $(J)

banners: $(READY)  ## street banners (băng rôn): PDF for print, PNG proofs
	$(ASSETS) build --only banners --deliver $(J)

pano: $(READY)  ## pano (billboards) and the stage backdrop: print PDFs (CMYK), PNG proofs
	$(ASSETS) build --only pano --deliver $(J)

posters: $(READY)  ## posters A0–A3: print PDFs (CMYK, crop marks), PNG proofs
	$(ASSETS) build --only posters --deliver $(J)

web: $(READY)  ## web-portal and social-media banners (PNG + JPEG, sRGB, within size budgets), QR notices
	$(ASSETS) build --only web,social,notices --deliver $(J)

notices: $(READY)  ## QR-code notices for administrative procedures (specs/procedures.csv): A4 PDF + PNG
	$(ASSETS) build --only notices --deliver $(J)

documents: $(READY)  ## commendation certificates, the emulation pledge, leaflets and radio texts: PDF, PNG proofs, TXT
	$(ASSETS) build --only commendations,pledge,leaflets,radio --deliver $(J)

bundles: $(READY)  ## one zip per unit, proof sheets and the download page output/index.html (each build target does this too)
	$(ASSETS) bundle

report: $(READY)  ## the results report (CSV and one-page PDF) under output/report/
	$(ASSETS) report

typography: $(READY)  ## the typography proof output/proof/typography.pdf: every slogan as each format family sets it
	$(ASSETS) typography

serve: $(READY)  ## preview output/ on http://127.0.0.1:8000/ (PORT=…)
	$(ASSETS) serve --port $(or $(PORT),8000)

led: $(READY)  ## LED-screen loops (MP4 + PNG stills of every slide) and the TV ident
	$(ASSETS) build --only led,tv --deliver $(J)

check: $(READY)  ## validate and lay out every spec without rendering
	$(ASSETS) check

list: $(READY)  ## list the files a build would write
	$(ASSETS) list

docs: $(READY)  ## regenerate docs/specs.md, specs/schema/*.json and the specs' editor modelines
	$(ASSETS) docs

verify: $(READY)  ## read every output back and check it against the manifest
	$(ASSETS) verify

watch: $(READY)  ## rebuild on every change to specs/ or fonts/, proofs first
	$(ASSETS) watch

studio: $(READY)  ## a live page on http://127.0.0.1:8765/ with every format of a design, redrawn on save (DESIGN=…, UNIT=…, PORT=…)
	$(ASSETS) studio $(if $(DESIGN),--design $(DESIGN)) $(if $(UNIT),--unit $(UNIT)) $(if $(PORT),--port $(PORT))

test: $(READY)  ## lint (ruff), types (mypy), the import contract of the stages (pyproject.toml), then the test suite on every core
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

test-fast: $(READY)  ## the inner loop, about a minute: lint, types, and the tests of the tiny project and of each part (no video, browser or default campaign)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not slow"

oracle: $(READY)  ## the long, randomised run of the oracle test: incremental builds equal clean ones (ORACLE_EXAMPLES=…)
	ORACLE_EXAMPLES=$(or $(ORACLE_EXAMPLES),200) $(BIN)/python -m pytest tests/test_incremental_oracle.py

bench: $(READY)  ## benchmarks: speed figures, printed as ratios
	$(BIN)/python bench/run.py

profile:  ## rebuild the built-in print profile from Fogra's FOGRA39L data (needs apt-get install argyll icc-profiles-free)
	tools/make-print-profile

clean:  ## remove output/ and output-2025/ (the virtual environment stays)
	rm -rf output output-2025

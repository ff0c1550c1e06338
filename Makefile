# Two commands do all the set-up: `make all` renders the default campaign, `make test` checks it.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ASSETS := $(BIN)/assets
READY  := $(VENV)/.ready
JOBS   ?=

.PHONY: all banners led check list test bench clean help

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

all: $(READY)  ## render the whole default campaign into output/
	$(ASSETS) build $(if $(JOBS),-j $(JOBS))

banners: $(READY)  ## street banners (băng rôn): PDF for print, PNG proofs
	$(ASSETS) build --only banners $(if $(JOBS),-j $(JOBS))

led: $(READY)  ## LED-screen loops (MP4 + PNG stills of every slide) and the TV ident
	$(ASSETS) build --only led $(if $(JOBS),-j $(JOBS))
	$(ASSETS) build --only tv $(if $(JOBS),-j $(JOBS))

check: $(READY)  ## validate and lay out every spec without rendering
	$(ASSETS) check

list: $(READY)  ## list the files a build would write
	$(ASSETS) list

test: $(READY)  ## run the test suite
	$(BIN)/python -m pytest

bench: $(READY)  ## benchmarks: speed figures, printed as ratios
	$(BIN)/python bench/run.py

clean:  ## remove output/ (the virtual environment stays)
	rm -rf output

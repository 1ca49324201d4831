# reloadlint -- top-level convenience Makefile (GNU make).
#
#   make            fetch pinned deps (if needed), configure + build -> build/reloadlint
#   make setup      install missing Debian packages (root: apt-get; else prints the command)
#   make demo       setup + build, then run reloadlint on fixtures/examples/seed/
#   make test       setup + build, ctest; then ASan/UBSan build in build-asan + ctest
#   make clean      remove build trees (distclean also removes fetched third-party sources)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

NPROC     := $(shell nproc 2>/dev/null || echo 2)
CMAKE     ?= cmake
CTEST     ?= ctest
BUILD_DIR ?= build
ASAN_DIR  ?= build-asan
# Extra arguments for ctest, e.g. make test CTEST_ARGS='-R fixtures -j4'
CTEST_ARGS ?=

# Debian packages needed to build and test. nodejs/npm are handled separately
# (they may be installed outside dpkg, e.g. node 20 + npm 11 from upstream).
# python3-jsonschema: tests/check_sarif.py validates SARIF against the official schema.
SETUP_PKGS := build-essential cmake pkg-config libcmocka-dev python3 python3-jsonschema pre-commit ca-certificates openssl git
NODE_PKGS  := nodejs npm

ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: all setup deps-fetch configure build demo test test-release test-asan clean distclean help

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

test-asan: deps-fetch
	$(CMAKE) -S . -B $(ASAN_DIR) -DRL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	$(CMAKE) --build $(ASAN_DIR) -j$(NPROC)
	$(ASAN_ENV) $(CTEST) --test-dir $(ASAN_DIR) --output-on-failure $(CTEST_ARGS)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)

distclean: clean
	rm -rf third_party/tree-sitter third_party/tree-sitter-python third_party/tree-sitter-toml third_party/.fetch*

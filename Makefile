# `make run` and `make test` do all set-up on a fresh Debian 12 machine.
.PHONY: setup build build-debug run test unit-test api-test bench fuzz clean

JOBS ?= $(shell nproc)
# Seconds each fuzz target runs under `make fuzz`.
FUZZ_SECONDS ?= 300

setup:
	./scripts/setup.sh

# The release binary alone: `make run` builds only what it runs, and `make test` runs the
# unit tests from the debug tree.
build: setup
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target pcustomer

build-debug: setup
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)

run: build
	./build/release/pcustomer serve

# Unit tests and the black-box API suite run against the sanitizer (debug) build, then the
# API suite runs once more against the release binary that `make run` ships; last, each fuzz
# target runs for 30 s (fuzz/run builds its own clang tree, build/fuzz).
test: build-debug build
	ctest --preset debug -j $(JOBS)
	PCUSTOMER_BIN=$(CURDIR)/build/release/pcustomer ./tests/run-api-suite.sh local
	JOBS=$(JOBS) ./fuzz/run 30

# Every libFuzzer target of fuzz/ for FUZZ_SECONDS each (default 5 minutes).
fuzz: setup
	JOBS=$(JOBS) ./fuzz/run $(FUZZ_SECONDS)

bench: setup
	./bench/run

clean:
	rm -rf build

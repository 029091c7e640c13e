# `make run` and `make test` do all set-up on a fresh Debian 12 machine.
.PHONY: setup build build-debug run test unit-test api-test bench clean

JOBS ?= $(shell nproc)

setup:
	./scripts/setup.sh

build: setup
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

build-debug: setup
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)

run: build
	./build/release/pcustomer serve

# Unit tests and the black-box API suite run against the sanitizer (debug) build, then the
# API suite runs once more against the release binary that `make run` ships.
test: build-debug build
	ctest --preset debug -j $(JOBS)
	PCUSTOMER_BIN=$(CURDIR)/build/release/pcustomer ./tests/run-api-suite.sh local

bench: setup
	./bench/run

clean:
	rm -rf build

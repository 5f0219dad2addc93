# Development shortcuts. The README's Quick start is what users and CI run;
# these targets are for working on the C code.
#
#   make build      build the extensions in place (src/OpenSSL/*.so)
#   make test       run the test suite against the in-place build
#   make sanitize   build with AddressSanitizer + UBSan and run the suite
#   make docs       build the Sphinx documentation into build/doc (needs
#                   sphinx: python3 -m pip install sphinx)
#   make clean

PYTHON ?= python3
PYTEST_ARGS ?= -q

ASAN_LIB := $(shell gcc -print-file-name=libasan.so)
ASAN_DIR := build/asan

.PHONY: build test sanitize docs clean

build:
	$(PYTHON) setup.py -q build_ext --inplace

test: build
	PYTHONPATH=src $(PYTHON) -m pytest $(PYTEST_ARGS) tests

# The interpreter is not instrumented, so libasan is preloaded. Leak
# checking is off: CPython keeps memory until exit by design. Any ASan or
# UBSan report aborts the run.
sanitize:
	PYOSSL_SANITIZE=1 $(PYTHON) setup.py -q build_py --build-lib $(ASAN_DIR)/lib \
	    build_ext --build-lib $(ASAN_DIR)/lib --build-temp $(ASAN_DIR)/tmp --force
	PYTHONPATH=$(ASAN_DIR)/lib LD_PRELOAD=$(ASAN_LIB) \
	    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    PYTHONMALLOC=malloc \
	    $(PYTHON) -m pytest $(PYTEST_ARGS) -p no:cacheprovider tests

docs: build
	$(PYTHON) -m sphinx -W -b html doc build/doc

clean:
	rm -rf build src/OpenSSL/*.so

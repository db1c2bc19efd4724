# trove: the two commands of the README are `make run` and `make test`.
BUILD       ?= build
ASAN_BUILD  ?= build-asan
DOCS        ?= samples
COLLECTION  ?= trove-data
NPROC       := $(shell nproc)
CMAKE_FLAGS ?=

.DEFAULT_GOAL := build
.PHONY: deps test-deps build configure run test test-fast test-asan format clean web

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

$(BUILD)/CMakeCache.txt: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

configure: deps $(BUILD)/CMakeCache.txt

# A release binary at build/trove.
build: configure
	cmake --build $(BUILD) -j$(NPROC) --target trove

# The web UI (web/ -> web/dist, which `trove serve` serves): npm ci when package-lock.json
# changed, then vite build when a source changed. web/node_modules and web/dist are ignored.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
               web/vite.config.ts web/tsconfig.json web/package.json
web: web/dist/index.html

web/node_modules/.trove-installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.trove-installed $(WEB_SOURCES)
	cd web && npm run build

# Ingest DOCS (default: the sample dump) into COLLECTION, show what is there, then serve it
# (the web UI and the API) at the address printed; Ctrl-C stops the server.
run: build web
	$(BUILD)/trove ingest --collection $(COLLECTION) $(DOCS)
	@echo
	$(BUILD)/trove status --collection $(COLLECTION)
	@scripts/example-searches.sh $(BUILD)/trove $(COLLECTION)
	@echo
	$(BUILD)/trove serve --collection $(COLLECTION)

# Every test: the release build's whole suite, then the fast tier under ASan and UBSan.
test: test-deps configure
	cmake --build $(BUILD) -j$(NPROC)
	cd $(BUILD) && ctest --output-on-failure -j$(NPROC)
	$(MAKE) test-asan

# The fast tier alone (no tests labelled slow).
test-fast: test-deps configure
	cmake --build $(BUILD) -j$(NPROC)
	cd $(BUILD) && ctest --output-on-failure -j$(NPROC) -LE slow

test-asan: test-deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTROVE_SANITIZE=ON -DTROVE_BUILD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(NPROC)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j$(NPROC) -LE 'slow|browser'

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# The NER models of models/ (tools/trove-train/make-models.sh): trained on ../shared/data,
# one thread, the same bytes from the same data; prints dev P/R/F1 per type and the time.
SHARED_DATA ?= ../shared/data
.PHONY: models
models: configure
	cmake --build $(BUILD) -j$(NPROC) --target trove-train
	tools/trove-train/make-models.sh $(BUILD)/tools/trove-train/trove-train $(SHARED_DATA) models $(BUILD)/ner

# Entry points: `make run` (demo server) and `make test` (the whole suite). See README.md.
BUILD ?= build
JOBS ?= 2
CONFIG ?= config/demo.toml

.PHONY: all setup build run test unit blackbox fuzz bench clean format

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/orbit --config $(CONFIG)

test: build
	@bash tests/run-all.sh $(BUILD)

bench: build
	@bash bench/run.sh $(BUILD)

format:
	@find sip net pbx park media app tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) build-fuzz

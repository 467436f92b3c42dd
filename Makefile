# r53ctl: `make test` is the one test command; it installs what it needs (a Python venv with moto,
# the local Route 53 API server the integration tests run against).

SHELL := /bin/bash
VENV := $(CURDIR)/.venv
MOTO := $(VENV)/bin/moto_server
MOTO_VERSION := moto[server]>=5,<6
export R53CTL_MOTO := $(MOTO)

.PHONY: all build test lint unit demo static bench fuzz clean

all: build

build:
	cargo build --release

$(MOTO):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check '$(MOTO_VERSION)'

## test: formatting, lints, unit and integration tests (integration tests start moto themselves)
test: $(MOTO) lint
	cargo test

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

## demo: local Route 53 API on 127.0.0.1, zone example.tld, then preview, push, preview
demo: $(MOTO) build
	@bash tests/demo.sh "$(MOTO)" target/release/r53ctl

## static: a statically linked (musl), size-optimised binary for FROM scratch containers; checks
## that it is static, within its size budget, runs with no environment and resolves host names
## in an empty root (tests/static.sh)
static:
	@bash tests/static.sh

## bench: the diff and batching of 100,000 record sets in process, then start-up times and
## preview and push of zones of BENCH_COUNTS record sets against moto (10,000 takes moto ~10 min),
## then a push of BENCH_RATE_CHANGES changes through a proxy enforcing Route 53's token buckets:
## its wall time against the fastest they allow, and its throttles (must be 0)
BENCH_COUNTS ?= 1000 10000
BENCH_RATE_CHANGES ?= 10000
bench: $(MOTO)
	cargo build --release
	cargo bench --bench diff_plan
	$(VENV)/bin/python tests/bench.py "$(MOTO)" target/release/r53ctl $(BENCH_COUNTS)
	R53CTL_BENCH_CHANGES=$(BENCH_RATE_CHANGES) cargo test --release --test cli_limits \
	  bench_push_at_route53_rates -- --ignored --nocapture

## fuzz: every fuzz target in fuzz/ for FUZZ_SECONDS each (needs nightly and cargo-fuzz:
## `cargo install cargo-fuzz`), seeded from fixtures/; a crash stops it, its input lands in
## fuzz/artifacts/TARGET/
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := config plan route53_xml sts_xml ini creds_json rdata
FUZZ_SEEDS_config := fixtures/config fixtures/demo
FUZZ_SEEDS_plan := fixtures/diff
FUZZ_SEEDS_route53_xml := fixtures/route53 fixtures/records fixtures/cli_creds
FUZZ_SEEDS_sts_xml := fixtures/creds
FUZZ_SEEDS_ini := fixtures/creds
FUZZ_SEEDS_creds_json := fixtures/creds fixtures/demo
fuzz:
	@$(foreach target,$(FUZZ_TARGETS),mkdir -p fuzz/corpus/$(target) && \
	  (cd fuzz && cargo +nightly fuzz run $(target) corpus/$(target) \
	    $(addprefix $(CURDIR)/,$(FUZZ_SEEDS_$(target))) -- -max_total_time=$(FUZZ_SECONDS)) && ) true

clean:
	cargo clean
	rm -rf $(VENV)

# r53ctl: `make test` is the one test command; it installs what it needs (a Python venv with moto,
# the local Route 53 API server the integration tests run against).

SHELL := /bin/bash
VENV := $(CURDIR)/.venv
MOTO := $(VENV)/bin/moto_server
MOTO_VERSION := moto[server]>=5,<6
OCTODNS := $(VENV)/bin/octodns-sync
OCTODNS_VERSIONS := octodns==1.22.0 octodns-route53==1.3.1
export R53CTL_MOTO := $(MOTO)

.PHONY: all build test lint unit demo static bench fuzz clean

all: build

build:
	cargo build --release

$(MOTO):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check '$(MOTO_VERSION)'

# octoDNS, only for `make bench`'s comparison: when it cannot be installed, the bench says so and
# goes on without it (and the next `make bench` tries again)
$(OCTODNS): | $(MOTO)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check $(OCTODNS_VERSIONS) || \
	  echo "note: octoDNS could not be installed; make bench runs without the comparison" >&2

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

## bench: in one run, the diff and batching of 100,000 record sets in process; start-up and
## `check` of 10,000 and 100,000 record sets; preview and push of zones of BENCH_COUNTS record sets
## against moto (10,000 takes moto ~10 min); no-change previews of those zones by r53ctl and by
## octoDNS, alternated, with the ratios of their medians; a push of BENCH_RATE_CHANGES changes
## and one modifying R53CTL_BENCH_MODIFIES (default 2,000) record sets through a proxy enforcing
## Route 53's token buckets (wall time against the fastest they allow, and throttles: must be 0);
## then one summary table. R53CTL_BENCH_50K=1 adds a no-change preview
## of 50,000 record sets (its push to moto takes ~12 min). Nothing asserts a time.
BENCH_COUNTS ?= 1000 10000
BENCH_RATE_CHANGES ?= 10000
bench: $(MOTO) $(OCTODNS)
	cargo build --release
	R53CTL_BENCH_CHANGES=$(BENCH_RATE_CHANGES) $(VENV)/bin/python tests/bench.py \
	  --octodns "$(OCTODNS)" "$(MOTO)" target/release/r53ctl $(BENCH_COUNTS)

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

# `make bench`: benchmarks and footprint (docs/performance.md).
#
# Builds the kernel, the ktests (tests/ktest/fram_bench.c is the raw FRAM
# floor) and the apps (apps/bench_*), then tools/bench.py runs them under
# QEMU with -icount shift=0, prints the table and writes build/bench.json.
# Numbers are reported, never checked against a threshold.

# Per board: build/bench.json (mps2-an385), build/<board>/bench.json.
BENCH_JSON := $(KBUILD)/bench.json

bench: $(SETUP_STAMP) kernel ktests apps
	@$(PYTHON) tools/bench.py --board $(BOARD) --json $(BENCH_JSON) $(BENCH_ARGS)

# `make bench-doc`: measure, then regenerate the tables of
# docs/performance.md from the result (tools/bench_report.py).
bench-doc: bench
	@$(PYTHON) tools/bench_report.py --json $(BENCH_JSON)

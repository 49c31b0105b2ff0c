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

# `make bench-doc`: measure on every board (the default board first: its
# figures are the main column), then regenerate the tables of
# docs/performance.md from the results (tools/bench_report.py).
BENCH_DOC_BOARDS := $(DEFAULT_BOARD) $(filter-out $(DEFAULT_BOARD),$(BOARDS))
bench_json_of = $(if $(filter $(DEFAULT_BOARD),$(1)),$(BUILD),$(BUILD)/$(1))/bench.json

bench-doc: $(SETUP_STAMP)
	+@for b in $(BENCH_DOC_BOARDS); do \
	    $(MAKE) --no-print-directory BOARD=$$b bench || exit 1; done
	@$(PYTHON) tools/bench_report.py \
	    $(foreach b,$(BENCH_DOC_BOARDS),--json $(b)=$(call bench_json_of,$(b)))

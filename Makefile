# Top-level build. `make run` boots the demo under QEMU, `make test` runs
# every test; both install missing Debian packages first (tools/setup.sh).
# All flags live in mk/config.mk; the pieces of the tree add themselves
# through the *.mk files included below.

include mk/config.mk

.DEFAULT_GOAL := all
.PHONY: all setup kernel apps run debug test test-build test-host test-qemu bench clean fram-reset \
        compdb

# Set-up check runs once per make invocation, before anything is built.
SETUP_STAMP := $(BUILD)/.setup-ok
setup:
	@./tools/setup.sh
$(SETUP_STAMP): tools/setup.sh | $(BUILD)/
	@./tools/setup.sh
	@touch $@

$(BUILD)/:
	@mkdir -p $@

include mk/kernel.mk
include mk/host.mk
include mk/fuzz.mk
include mk/apps.mk
include mk/bench.mk

all: $(SETUP_STAMP) kernel

# FRAM image: created (all zero, like a fresh chip) if absent, then kept.
FRAM ?= $(BUILD)/fram.img
$(BUILD)/fram.img: | $(BUILD)/
	@echo "FRAM   $@ (new, $(FRAM_SIZE) bytes)"
	@head -c $(FRAM_SIZE) /dev/zero > $@

fram-reset: | $(BUILD)/
	@rm -f $(BUILD)/fram.img
	@$(MAKE) --no-print-directory $(BUILD)/fram.img

run: $(SETUP_STAMP) kernel $(RUN_DEPS) $(FRAM)
	@$(PYTHON) tools/qemu.py run --kernel $(KERNEL_ELF) --fram $(FRAM) $(RUN_ARGS)

debug: $(SETUP_STAMP) kernel $(RUN_DEPS) $(FRAM)
	@$(PYTHON) tools/qemu.py debug --kernel $(KERNEL_ELF) --fram $(FRAM) $(RUN_ARGS)

test: $(SETUP_STAMP)
	@$(MAKE) --no-print-directory test-build
	@./tests/run_all.sh

test-build: kernel host-tests ktests fuzz $(TEST_DEPS)

test-host: $(SETUP_STAMP) host-tests
	@./tests/run_all.sh --host-only

test-qemu: $(SETUP_STAMP) kernel ktests $(TEST_DEPS)
	@./tests/run_all.sh --qemu-only

compdb: $(SETUP_STAMP)
	bear --output compile_commands.json -- $(MAKE) -B kernel host-tests

clean:
	rm -rf $(BUILD)/kernel $(BUILD)/host $(BUILD)/apps $(BUILD)/ktest $(BUILD)/fuzz $(BUILD)/*.elf \
	       $(BUILD)/*.bin $(BUILD)/*.map $(BUILD)/bench.json
	@echo "kept $(BUILD)/fram.img (make fram-reset wipes it) and $(BUILD)/newlib-pic"

# Top-level build. `make run` boots the demo under QEMU, `make test` runs
# every test; both install missing Debian packages first (tools/setup.sh).
# All flags live in mk/config.mk; the pieces of the tree add themselves
# through the *.mk files included below.

include mk/config.mk

.DEFAULT_GOAL := all
.PHONY: all setup kernel apps run debug check-app test test-build test-boards test-host test-qemu bench \
        bench-doc \
        clean fram-reset compdb mutants mutants-doc

# Set-up check runs once per make invocation, before anything is built.
SETUP_STAMP := $(BUILD)/.setup-ok
setup:
	@./tools/setup.sh
$(SETUP_STAMP): tools/setup.sh | $(BUILD)/
	@./tools/setup.sh
	@touch $@

$(BUILD)/:
	@mkdir -p $@
ifneq ($(KBUILD),$(BUILD))
$(KBUILD)/:
	@mkdir -p $@
endif

include mk/kernel.mk
include mk/host.mk
include mk/fuzz.mk
include mk/apps.mk
include mk/bench.mk

all: $(SETUP_STAMP) kernel

# FRAM image: any path. tools/qemu.py creates it (all zero, like a fresh
# chip, of the board's FRAM size) when absent and keeps it otherwise; its
# folder must exist, which is checked here, before anything is built. Each
# board has its own default image: build/fram.img for mps2-an385,
# build/<board>/fram.img for the others.
FRAM ?= $(KBUILD)/fram.img
ifneq ($(filter run debug check-app fram-reset,$(MAKECMDGOALS)),)
ifneq ($(wildcard $(FRAM)/.),)
$(error FRAM=$(FRAM) is a folder; name an image file, e.g. FRAM=$(FRAM)/fram.img)
endif
ifneq ($(dir $(FRAM)),$(KBUILD)/)
ifeq ($(wildcard $(dir $(FRAM))),)
$(error FRAM=$(FRAM): folder $(dir $(FRAM)) does not exist; create it or choose another path)
endif
endif
endif

fram-reset: | $(KBUILD)/
	@$(PYTHON) tools/qemu.py fram-reset --board $(BOARD) --fram $(FRAM)

# `make build/fram.img`: the default image, created if absent (docs/fram.md).
$(BUILD)/fram.img: | $(BUILD)/
	@$(PYTHON) tools/qemu.py fram-reset --fram $@

run: $(SETUP_STAMP) kernel $(RUN_DEPS)
	@$(PYTHON) tools/qemu.py run --board $(BOARD) --kernel $(KERNEL_ELF) --fram $(FRAM) \
	    $(RUN_ARGS)

# The GDB server listens on 127.0.0.1 only.
GDB_PORT ?= 1234
debug: $(SETUP_STAMP) kernel $(RUN_DEPS)
	@$(PYTHON) tools/qemu.py debug --board $(BOARD) --kernel $(KERNEL_ELF) --fram $(FRAM) --gdb-port $(GDB_PORT) \
	    $(RUN_ARGS)

# make check-app APP=apps/myapp [EXPECT='regex'] [TIMEOUT=s] [FRAM=image]:
# boots the app alone and passes if it exits 0 (and its output matches
# EXPECT), printing the UART output otherwise. A fresh FRAM image unless
# FRAM= is given. APP may also be a .tbf or .tab file.
CHECK_IMAGE ?= $(BUILD)/check-app.bin
TIMEOUT     ?= 30
shell_quote = '$(subst ','\'',$(1))'
check-app: $(SETUP_STAMP) kernel | $(BUILD)/
	$(call build_image,$(CHECK_IMAGE),$(CHECK_INPUT))
	@$(PYTHON) tools/qemu.py check --board $(BOARD) --kernel $(KERNEL_ELF) --apps $(CHECK_IMAGE) \
	    --timeout $(TIMEOUT) $(if $(EXPECT),--expect $(call shell_quote,$(EXPECT))) \
	    $(if $(filter command line environment,$(origin FRAM)),--fram $(FRAM))

# JUnit XML of every suite goes to build/test-results/ (tests/runner.py).
test: $(SETUP_STAMP)
	@$(MAKE) --no-print-directory test-build
	@./tests/run_all.sh

# The QEMU suites run on every board (tests/runner.py): each one's kernel,
# kernel without fast paths and ktests are built, each under its own KBUILD.
TEST_BOARDS := mps2-an385 mps2-an505
test-build: kernel kernel-nofast host-tests ktests fuzz $(TEST_DEPS) test-boards

test-boards:
	@for b in $(filter-out $(BOARD),$(TEST_BOARDS)); do \
	    $(MAKE) --no-print-directory BOARD=$$b kernel kernel-nofast ktests || exit 1; done

test-host: $(SETUP_STAMP) host-tests
	@./tests/run_all.sh --host-only

test-qemu: $(SETUP_STAMP) kernel kernel-nofast ktests $(TEST_DEPS) test-boards
	@./tests/run_all.sh --qemu-only

# Mutation testing (tests/mutants/, docs/reliability.md): each mutant of
# tests/mutants/mutants.toml planted alone in a scratch copy of the tree
# ($(BUILD)/mutants/tree) and its tests run; MUTANTS=id1,id2 runs a subset.
# Writes $(BUILD)/mutants.md; `make mutants-doc` puts it in the docs.
mutants: $(SETUP_STAMP)
	@$(PYTHON) tests/mutants/run.py --work $(abspath $(BUILD))/mutants $(if $(MUTANTS),--only $(MUTANTS))

mutants-doc:
	@$(PYTHON) tests/mutants/run.py --work $(abspath $(BUILD))/mutants --doc docs/reliability.md

compdb: $(SETUP_STAMP)
	bear --output compile_commands.json -- $(MAKE) -B kernel host-tests

clean:
	rm -rf $(BUILD)/kernel $(BUILD)/host $(BUILD)/apps $(BUILD)/ktest $(BUILD)/fuzz $(BUILD)/*.elf \
	       $(BUILD)/*.bin $(BUILD)/*.map $(BUILD)/bench.json $(BUILD)/test-results \
	       $(BUILD)/mutants $(BUILD)/mutants.json $(BUILD)/mutants.md $(BUILD)/variant \
	       $(BUILD)/newlib-pic # where newlib was built before it moved to NEWLIB_PIC
	rm -rf $(foreach b,$(filter-out $(DEFAULT_BOARD),$(BOARDS)),$(addprefix $(BUILD)/$(b)/,\
	       kernel ktest kernel.elf kernel.map bench.json bench))
	@echo "kept the FRAM images (build/fram.img, build/<board>/fram.img; make fram-reset" \
	      "wipes one) and the newlib in $(NEWLIB_PIC)"

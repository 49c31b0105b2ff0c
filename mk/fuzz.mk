# libFuzzer targets (clang, with AddressSanitizer + UndefinedBehaviorSanitizer).
#
# Each tests/fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput and is one
# fuzzer, built into $(BUILD)/fuzz/fuzz_<name>. The sources it exercises are
# listed in the file itself, on a line of its own:
#     /* FUZZ_SRCS: kernel/tbf.c */
# so adding a fuzzer never means editing this file. `make fuzz` builds them
# all; tests/fuzz/run.sh runs them (FUZZ_SECONDS each).

# FUZZ_CC and FUZZ_CFLAGS are in mk/config.mk.

FUZZ_SRCS_ALL := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS     := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS_ALL))
FUZZ_HEADERS  := $(shell find abi kernel hal drivers capsules tests/fuzz -name '*.h' 2>/dev/null)

fuzz_deps = $(shell sed -n 's|.*FUZZ_SRCS:\(.*\)\*/.*|\1|p' $(1))

.PHONY: fuzz
fuzz: $(FUZZ_BINS)

.SECONDEXPANSION:
$(BUILD)/fuzz/%: tests/fuzz/%.c $$(call fuzz_deps,tests/fuzz/$$*.c) $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	@echo "FUZZCC $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

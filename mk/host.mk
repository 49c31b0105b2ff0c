# Host unit tests (cmocka), built twice: plain gcc and clang with
# AddressSanitizer + UndefinedBehaviorSanitizer.
#
# Each tests/host/test_<name>.c is one test program. The kernel-side sources
# it exercises are listed on a line of its own, in the test file itself:
#     /* HOST_TEST_SRCS: kernel/fmt.c kernel/log.c kernel/log_record.c */
# (shared fakes live in tests/host/support/ and are listed the same way),
# so adding a test never means editing this file.

HOST_TEST_SRCS := $(wildcard tests/host/test_*.c)
HOST_TESTS     := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(HOST_TEST_SRCS))
HOST_SAN_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/san/%,$(HOST_TEST_SRCS))
# Host builds are quick: any header edit rebuilds them all.
HOST_HEADERS   := $(shell find abi kernel hal drivers capsules libnvstorage userland tests/host -name '*.h' 2>/dev/null)

host_deps = $(shell sed -n 's|.*HOST_TEST_SRCS:\(.*\)\*/.*|\1|p' $(1))

host-tests: $(HOST_TESTS) $(HOST_SAN_TESTS)

.SECONDEXPANSION:
$(BUILD)/host/%: tests/host/%.c $$(call host_deps,tests/host/$$*.c) $(HOST_HEADERS)
	@mkdir -p $(dir $@)
	@echo "HOSTCC $@"
	@$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LIBS)

$(BUILD)/host/san/%: tests/host/%.c $$(call host_deps,tests/host/$$*.c) $(HOST_HEADERS)
	@mkdir -p $(dir $@)
	@echo "SANCC  $@"
	@$(HOST_SAN_CC) $(HOST_SAN_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LIBS)


# Userland apps: every apps/<name>/Makefile, built by userland/app.mk into
# build/apps/<name>.{elf,tbf}, on top of the position-independent newlib
# (tools/build_newlib_pic.sh, built once per user into NEWLIB_PIC).
#
# `make apps` builds them all (a broken one does not stop the others; the
# failures are listed at the end). `make run` builds only what it boots:
# APPS, a list whose words are each
#   - an app folder: a name under apps/ (hello) or a path (apps/hello,
#     ../myapp), built with its own Makefile;
#   - a TBF file (x.tbf), used as it is;
#   - a TAB file (x.tab, elf2tab's bundle): its TBF for TOCK_ARCH;
# laid back to back in that order by tools/tbf_assemble.py into RUN_IMAGE.
# RUN_APPS is the default list. `make check-app APP=...` takes one such word.

APP_DIRS  := $(patsubst %/Makefile,%,$(wildcard apps/*/Makefile))
RUN_APPS  ?= boot_counter nvs_demo hello
APPS      ?= $(RUN_APPS)
RUN_IMAGE ?= $(BUILD)/run-apps.bin

# One app folder's make, quiet; its BUILD is ours wherever the folder is.
APP_MAKE = $(MAKE) -s --no-print-directory -C $(1) BUILD=$(abspath $(BUILD)) \
           VERSION=$(VERSION) NEWLIB_PIC=$(NEWLIB_PIC)

# app_input(word): the word as given for a .tbf/.tab file, the app folder
# for a folder or a name under apps/, or an error naming the word (checked
# when the makefile is read, so nothing is built for a bad list).
app_folder = $(firstword $(foreach d,$(1) apps/$(1),$(if $(wildcard $(d)/Makefile),$(d))))
app_input = $(strip \
  $(if $(filter %.tbf %.tab,$(1)), \
    $(if $(wildcard $(1)),$(1),$(error $(2): $(1): no such file)), \
    $(or $(call app_folder,$(1)),$(error $(2): '$(1)' is not an app folder (no $(1)/Makefile \
      or apps/$(1)/Makefile), a .tbf file or a .tab file))))

ifneq ($(filter run debug run-image,$(MAKECMDGOALS)),)
RUN_INPUTS := $(foreach a,$(APPS),$(call app_input,$(a),APPS))
endif
ifneq ($(filter check-app,$(MAKECMDGOALS)),)
ifneq ($(words $(APP)),1)
$(error usage: make check-app APP=<app folder, .tbf or .tab> [EXPECT='regex'] [TIMEOUT=s] \
  [FRAM=image])
endif
CHECK_INPUT := $(call app_input,$(APP),APP)
endif

# build_image(output, inputs): build each app folder among the inputs (an
# error names the app), then lay out every image; a malformed TBF, or a TAB
# without a good TBF for TOCK_ARCH, stops it here: nothing boots.
define build_image
@set -e; images=""; \
	for a in $(2); do \
	    case "$$a" in \
	    *.tbf|*.tab) images="$$images $$a" ;; \
	    *) $(call APP_MAKE,$$a) || { echo "error: app $$a failed to build" >&2; exit 1; }; \
	       images="$$images $$($(call APP_MAKE,$$a) tbf-path)" ;; \
	    esac; \
	done; \
	echo "IMAGE  $(1): $(strip $(2))"; \
	$(PYTHON) tools/tbf_assemble.py --strict --arch $(TOCK_ARCH) -o $(1) $$images >/dev/null
endef

.PHONY: newlib run-image
newlib: $(SETUP_STAMP)
	@./tools/build_newlib_pic.sh $(NEWLIB_PIC)

# Always laid out again: it takes milliseconds, and APPS may have changed.
run-image: $(SETUP_STAMP) | $(BUILD)/
	$(call build_image,$(RUN_IMAGE),$(RUN_INPUTS))

# Apps are built one after another (each app's make may still use -j):
# they share the runtime archive build/apps/libuserland.a.
apps: $(SETUP_STAMP) newlib
	+@failed=""; \
	for d in $(APP_DIRS); do \
	    $(call APP_MAKE,$$d) || { echo "error: app $$d failed to build" >&2; \
	                              failed="$$failed $$d"; }; \
	done; \
	[ -z "$$failed" ] || { echo "error: apps that failed to build:$$failed" >&2; exit 1; }

TEST_DEPS += apps
RUN_DEPS  += run-image
RUN_ARGS  += --apps $(RUN_IMAGE)

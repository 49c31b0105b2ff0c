# Userland apps: every apps/<name>/Makefile, built by userland/app.mk into
# build/apps/<name>.{elf,tbf}, on top of the position-independent newlib
# (tools/build_newlib_pic.sh, built once into build/newlib-pic/).
#
# `make apps` builds them all; `make run` boots the demo image
# build/run-apps.bin (RUN_APPS laid back to back by tools/tbf_assemble.py).

APP_DIRS  := $(patsubst %/Makefile,%,$(wildcard apps/*/Makefile))
APP_TBFS  := $(patsubst apps/%,$(BUILD)/apps/%.tbf,$(APP_DIRS))
RUN_APPS  ?= boot_counter nvs_demo hello
RUN_IMAGE := $(BUILD)/run-apps.bin

# Apps are built one after another (each app's make may still use -j):
# they share the runtime archive build/apps/libuserland.a.
apps: $(SETUP_STAMP)
	@./tools/build_newlib_pic.sh $(BUILD)/newlib-pic
	@for d in $(APP_DIRS); do \
	    $(MAKE) -s --no-print-directory -C $$d BUILD=$(abspath $(BUILD)) VERSION=$(VERSION) \
	        || exit 1; \
	done

$(APP_TBFS): apps

$(RUN_IMAGE): apps tools/tbf_assemble.py
	@echo "IMAGE  $@: $(RUN_APPS)"
	@$(PYTHON) tools/tbf_assemble.py -o $@ $(RUN_APPS:%=$(BUILD)/apps/%.tbf)

TEST_DEPS += apps
RUN_DEPS  += $(RUN_IMAGE)
RUN_ARGS  += --apps $(RUN_IMAGE)

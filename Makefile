# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# libkrsi: `make` builds the library and tools, `make check` runs every test
# (unit tests on the host, kernel tests in VMs on Debian's kernel lines
# 5.10, 6.1, 6.12 and 7.3), `make demo` shows libkrsi at work. V=1 prints
# the commands. Outputs go under build/.

VERSION_MAJOR := 0
VERSION_MINOR := 1
VERSION_PATCH := 0
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

# SANITIZE=1: the library, tools and tests built with AddressSanitizer
# (leaks included) and UndefinedBehaviorSanitizer, under build-san/; `make
# check SANITIZE=1` runs the host tests with them.
ifeq ($(SANITIZE),1)
O ?= build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
endif
O ?= build
export O # scripts/check.sh keeps its logs there
CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config
INSTALL ?= install
OBJCOPY ?= objcopy
DOXYGEN ?= doxygen
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
.PHONY: all lib tools examples install uninstall check check-build check-install check-style \
	check-bpf-headers check-valgrind host-tests kernel-tests fuzz docs demo deps format clean \
	bench bench-build check-build-host check-build-kernel

# --- dependencies -----------------------------------------------------------
# `make deps` installs every Debian package libkrsi needs (as root, through
# scripts/install-deps.sh); so do `make check` and `make demo` before they
# build. Every other target installs nothing: it checks the packages of
# what it builds (install-deps.sh --check GROUP) and stops, naming the
# missing ones.
DEPS_INSTALL := $(filter deps check demo,$(MAKECMDGOALS))
$(O)/.deps: scripts/install-deps.sh
	$(Q)mkdir -p $(@D)
	$(Q)scripts/install-deps.sh
	$(Q)touch $@
deps: $(O)/.deps
# $(O)/.deps-GROUP: the packages of GROUP (build, test, docs, style) are in.
$(O)/.deps-%: scripts/install-deps.sh | $(if $(DEPS_INSTALL),$(O)/.deps)
	$(Q)scripts/install-deps.sh --check $*
	$(Q)mkdir -p $(@D)
	$(Q)touch $@
BUILD_DEPS := $(O)/.deps-build
TEST_DEPS := $(BUILD_DEPS) $(O)/.deps-test

# --- library ----------------------------------------------------------------
SONAME := libkrsi.so.$(VERSION_MAJOR)
SHLIB := $(O)/libkrsi.so.$(VERSION)
STLIB := $(O)/libkrsi.a
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:lib/%.c=$(O)/lib/%.o)
# Programs the library embeds (lib/bpf/*.bpf.c) reach it as skeletons.
LIB_SKELS := $(patsubst lib/bpf/%.bpf.c,$(O)/skel/%.skel.h,$(wildcard lib/bpf/*.bpf.c))
LIB_MAP := lib/libkrsi.map
HEADERS := $(wildcard include/krsi/*.h)
BPF_HEADERS := $(wildcard bpf_helpers/krsi/*.bpf.h)

WARNINGS := -Wall -Wextra -Werror
BASE_CFLAGS := -std=gnu11 -g -O2 $(WARNINGS) -Iinclude $(SAN_FLAGS)
# LIBBPF_PREFIX=DIR builds against the libbpf in DIR (include/, lib/, as
# scripts/libbpf-prefix.sh lays it out) instead of the system's; what links
# it finds it there at run time (rpath).
LIBBPF_PKG_CONFIG = $(if $(LIBBPF_PREFIX),PKG_CONFIG_PATH=$(LIBBPF_PREFIX)/lib/pkgconfig) $(PKG_CONFIG)
LIBBPF_CFLAGS = $(shell $(LIBBPF_PKG_CONFIG) --cflags libbpf)
LIBBPF_LIBS = $(shell $(LIBBPF_PKG_CONFIG) --libs libbpf) $(LIBBPF_RPATH)
ifneq ($(LIBBPF_PREFIX),)
LIBBPF_RPATH := -Wl,-rpath,$(LIBBPF_PREFIX)/lib
endif
LIB_CFLAGS = $(BASE_CFLAGS) -fPIC -fvisibility=hidden -Ilib -I$(O)/skel \
	$(LIBBPF_CFLAGS) $(CFLAGS)
LIB_LDFLAGS = -shared -Wl,-soname,$(SONAME) -Wl,--version-script=$(LIB_MAP) \
	-Wl,-z,defs $(SAN_FLAGS) $(LDFLAGS)

all: lib tools
lib: $(SHLIB) $(O)/$(SONAME) $(O)/libkrsi.so $(STLIB)

$(O)/lib/%.o: lib/%.c $(HEADERS) $(wildcard lib/*.h) $(LIB_SKELS) | $(BUILD_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LIB_CFLAGS) -c $< -o $@

$(SHLIB): $(LIB_OBJS) $(LIB_MAP)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LIB_LDFLAGS) $(LIB_OBJS) -o $@ $(LIBBPF_LIBS)

$(O)/$(SONAME) $(O)/libkrsi.so: $(SHLIB)
	$(Q)ln -sf $(notdir $(SHLIB)) $@

# The static library holds one object: the library's objects linked
# together, their hidden symbols made local. A program linking it sees only
# the public API, as with the shared library, and may use the names of the
# library's internals for its own. The unit tests link the objects as they
# are, $(STLIB_INTERNAL), to reach internals.
STLIB_INTERNAL := $(O)/tests/libkrsi-internal.a
$(STLIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(LD) -r $^ -o $(@:.a=.o)
	$(Q)$(OBJCOPY) --localize-hidden $(@:.a=.o)
	$(Q)$(AR) rcs $@ $(@:.a=.o)
	$(Q)rm $(@:.a=.o)
$(STLIB_INTERNAL): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# --- tools ------------------------------------------------------------------
# krsi, the command-line tool: one file per command in tools/krsi/, linked
# statically against libkrsi.
KRSI_TOOL := $(O)/krsi
KRSI_TOOL_OBJS := $(patsubst tools/krsi/%.c,$(O)/tools/krsi/%.o,$(wildcard tools/krsi/*.c))
TOOLS := tools/krsi-vmtest $(KRSI_TOOL)
tools: $(TOOLS)

$(O)/tools/krsi/%.o: tools/krsi/%.c tools/krsi/krsi.h $(HEADERS) | $(BUILD_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(LIBBPF_CFLAGS) $(CFLAGS) -c $< -o $@

$(KRSI_TOOL): $(KRSI_TOOL_OBJS) $(STLIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(SAN_FLAGS) $(LDFLAGS) $(KRSI_TOOL_OBJS) $(STLIB) -o $@ $(LIBBPF_LIBS)

# --- examples ---------------------------------------------------------------
# examples/NAME/ holds NAME.bpf.c and its loader NAME.c, built into
# $(O)/examples/NAME; any other .c there is a helper tool of the example,
# built into $(O)/examples/TOOL. examples/common/ is the loader code they
# share. Loaders link libkrsi statically, as the krsi tool does.
EXAMPLES := $(patsubst examples/%/,%,$(dir $(wildcard examples/*/*.bpf.c)))
EXAMPLE_BINS := $(addprefix $(O)/examples/,$(EXAMPLES))
EXAMPLE_TOOL_SRCS := $(filter-out %.bpf.c examples/common/% \
	$(foreach e,$(EXAMPLES),examples/$(e)/$(e).c),$(wildcard examples/*/*.c))
EXAMPLE_TOOLS := $(addprefix $(O)/examples/,$(basename $(notdir $(EXAMPLE_TOOL_SRCS))))
EXAMPLE_COMMON_OBJS := $(patsubst examples/common/%.c,$(O)/examples/common/%.o,\
	$(wildcard examples/common/*.c))
EXAMPLE_CFLAGS = $(BASE_CFLAGS) -Iexamples/common -I$(O)/skel $(LIBBPF_CFLAGS) $(CFLAGS)
examples: $(EXAMPLE_BINS) $(EXAMPLE_TOOLS)

$(O)/examples/common/%.o: examples/common/%.c examples/common/agent.h $(HEADERS) | $(BUILD_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(EXAMPLE_CFLAGS) -c $< -o $@

define EXAMPLE_RULES
$(O)/examples/$(1): examples/$(1)/$(1).c $(wildcard examples/$(1)/*.h) examples/common/agent.h \
		$(O)/skel/$(1).skel.h $(EXAMPLE_COMMON_OBJS) $(STLIB)
	$$(call msg,CC,$$@)
	$$(Q)$$(CC) $$(EXAMPLE_CFLAGS) $$< $(EXAMPLE_COMMON_OBJS) $$(STLIB) -o $$@ $$(LIBBPF_LIBS)
endef
$(foreach e,$(EXAMPLES),$(eval $(call EXAMPLE_RULES,$(e))))
define EXAMPLE_TOOL_RULES
$(O)/examples/$(basename $(notdir $(1))): $(1) | $(BUILD_DEPS)
	$$(call msg,CC,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(BASE_CFLAGS) $$(CFLAGS) $$< -o $$@
endef
$(foreach t,$(EXAMPLE_TOOL_SRCS),$(eval $(call EXAMPLE_TOOL_RULES,$(t))))

# --- BPF objects and skeletons ----------------------------------------------
# CO-RE only: one build runs on every supported kernel. BPF sources live in
# several directories (library, tests, examples, benchmarks); their base
# names are unique, and each becomes $(O)/bpf/NAME.bpf.o and, through
# bpftool, $(O)/skel/NAME.skel.h declaring struct NAME_bpf.
BPF_SRC_DIRS := lib/bpf tests/kernel/progs $(wildcard examples/*) bench/progs
vpath %.bpf.c $(BPF_SRC_DIRS)
BPF_CFLAGS = -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
	-I$(O) -Ibpf_helpers -Iinclude

$(O)/vmlinux.h: | $(BUILD_DEPS)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c >$@

# Programs of tests, examples and benchmarks include the build host's
# vmlinux.h; the library's own (lib/bpf/) declare the few kernel types they
# use themselves and take the rest from the UAPI headers, so the library
# builds without the host's BTF.
BPF_OBJS := $(patsubst %.bpf.c,$(O)/bpf/%.bpf.o,$(notdir $(wildcard $(addsuffix /*.bpf.c,$(BPF_SRC_DIRS)))))
LIB_BPF_OBJS := $(patsubst lib/bpf/%.bpf.c,$(O)/bpf/%.bpf.o,$(wildcard lib/bpf/*.bpf.c))
$(filter-out $(LIB_BPF_OBJS),$(BPF_OBJS)): $(O)/vmlinux.h
$(LIB_BPF_OBJS): BPF_CFLAGS += -idirafter /usr/include/$(shell $(CLANG) -print-multiarch)

$(O)/bpf/%.bpf.o: %.bpf.c $(BPF_HEADERS) $(HEADERS) \
		$(wildcard $(addsuffix /*.h,$(BPF_SRC_DIRS))) | $(BUILD_DEPS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

# The verdict shapes again at -O1: clang folds the verdict paths otherwise.
$(O)/bpf/verdict_shapes_o1.bpf.o: BPF_CFLAGS += -O1

$(O)/skel/%.skel.h: $(O)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf >$@

# --- tests ------------------------------------------------------------------
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)
TEST_CFLAGS = $(BASE_CFLAGS) $(LIBBPF_CFLAGS) $(CFLAGS)

# Unit tests link the library's objects as they are, so they can reach
# internal functions (lib/internal.h) as well as the public API, and may use
# the skeletons of the test programs (tests/kernel/progs) that the host can
# load.
KERNEL_SKELS := $(patsubst tests/kernel/progs/%.bpf.c,$(O)/skel/%.skel.h,$(wildcard tests/kernel/progs/*.bpf.c))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(wildcard tests/unit/test_*.c))
$(O)/tests/unit/%: tests/unit/%.c $(STLIB_INTERNAL) $(HEADERS) $(wildcard lib/*.h) \
		$(wildcard tests/unit/*.h) $(KERNEL_SKELS) | $(TEST_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TEST_CFLAGS) -Ilib -I$(O)/skel $< -o $@ $(STLIB_INTERNAL) $(LIBBPF_LIBS) \
		$(CMOCKA_LIBS) $(TEST_LDFLAGS)
# test_alloc fails libkrsi's own allocations one by one (fail_alloc.h).
WRAP_ALLOC := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=free
$(O)/tests/unit/test_alloc: TEST_LDFLAGS := $(WRAP_ALLOC)

# Tests of the command-line tools, run on the host.
TOOL_TESTS := $(patsubst tests/tools/%.c,$(O)/tests/tools/%,$(wildcard tests/tools/test_*.c))
$(O)/tests/tools/test_krsi $(O)/tests/tools/test_krsi_policies \
	$(O)/tests/tools/test_krsi_policy_cli: $(KRSI_TOOL) $(O)/vmlinux.h
# krsi audit reads events that audit_stream.bpf.c's syscall programs write.
$(O)/tests/tools/test_krsi_policy_cli: $(O)/skel/audit_stream.skel.h
$(O)/tests/tools/%: tests/tools/%.c $(wildcard tests/tools/*.h) | $(TEST_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TEST_CFLAGS) -I$(O)/skel $< -o $@ $(LIBBPF_LIBS) $(CMOCKA_LIBS)

KERNEL_TESTS := $(patsubst tests/kernel/%.c,$(O)/tests/kernel/%,$(wildcard tests/kernel/test_*.c))
# Their shared headers and golden files (tests/kernel/golden/) count too.
$(O)/tests/kernel/%: tests/kernel/%.c $(wildcard tests/kernel/*.h tests/kernel/progs/*.h \
		tests/kernel/golden/*) $(KERNEL_SKELS) $(SHLIB) $(O)/libkrsi.so | $(TEST_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TEST_CFLAGS) -I$(O)/skel -Itests/kernel $< $(TEST_LDFLAGS) -o $@ \
		-L$(O) -Wl,-rpath,$(abspath $(O)) -lkrsi $(LIBBPF_LIBS) $(CMOCKA_LIBS)
# So does test_install_nomem, in the VM: it links the static library.
$(O)/tests/kernel/test_install_nomem: tests/unit/fail_alloc.h $(STLIB)
$(O)/tests/kernel/test_install_nomem: TEST_LDFLAGS := $(STLIB) $(WRAP_ALLOC)

# Kernel tests that run krsi (test_krsi_tool, test_attachments,
# test_krsi_policy_cli, test_features, test_audit_policy, test_install_*),
# and the examples' tests, which run their loaders: check.sh copies them
# into the VM.
$(O)/tests/kernel/test_krsi_tool $(O)/tests/kernel/test_attachments \
	$(O)/tests/kernel/test_krsi_policy_cli $(O)/tests/kernel/test_features \
	$(O)/tests/kernel/test_audit_policy \
	$(O)/tests/kernel/test_install_adopt $(O)/tests/kernel/test_install_remove \
	$(O)/tests/kernel/test_install_users: $(KRSI_TOOL) $(wildcard tests/tools/*.h)
$(filter $(O)/tests/kernel/test_example_% $(O)/tests/kernel/test_demo,$(KERNEL_TESTS)): \
	$(EXAMPLE_BINS) $(EXAMPLE_TOOLS)
# test_features compares docs/compat.md with the kernel it runs on;
# test_demo runs make demo's scenario.
export KRSI_CHECK_ADD = $(KRSI_TOOL) $(EXAMPLE_BINS) $(EXAMPLE_TOOLS) docs/compat.md \
	scripts/demo-scenario.sh

# --- generated data ---------------------------------------------------------
# scripts/gen-hook-flags.sh writes lib/hook_flags_data.h from Debian's kernel
# packages, reading each vmlinux with hook-sets. make check builds it, so it
# keeps compiling.
$(O)/scripts/hook-sets: scripts/hook-sets.c | $(BUILD_DEPS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(LIBBPF_CFLAGS) $(CFLAGS) $< -o $@ $(LIBBPF_LIBS) -lelf

# --- fuzzing ----------------------------------------------------------------
# libFuzzer harnesses of every parser of outside data, tests/fuzz/fuzz_*.c,
# each with its seed corpus in tests/fuzz/corpus/NAME/ (crashes once found
# stay there as regression inputs). They link the library and the krsi
# tool's sources built by clang for coverage, ASan and UBSan under
# $(O)/fuzz/. `make check` replays every corpus and fuzzes each harness for
# FUZZ_CHECK_SECONDS; `make fuzz` for FUZZ_SECONDS each.
FUZZ_CC ?= clang
FUZZ_CHECK_SECONDS ?= 30
FUZZ_SECONDS ?= 600
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -std=gnu11 -g -O1 $(WARNINGS) -Iinclude -Ilib -I$(O)/skel \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link $(LIBBPF_CFLAGS)
FUZZ_LIB_OBJS := $(LIB_SRCS:lib/%.c=$(O)/fuzz/lib/%.o)
FUZZ_TOOL_OBJS := $(patsubst tools/krsi/%.c,$(O)/fuzz/tools/%.o,$(wildcard tools/krsi/*.c))
FUZZERS := $(patsubst tests/fuzz/%.c,$(O)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

$(O)/fuzz/lib/%.o: lib/%.c $(HEADERS) $(wildcard lib/*.h) $(LIB_SKELS) | $(TEST_DEPS)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
# The tool's main() becomes krsi_main(): libFuzzer has the main().
$(O)/fuzz/tools/%.o: tools/krsi/%.c tools/krsi/krsi.h $(HEADERS) | $(TEST_DEPS)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Dmain=krsi_main -c $< -o $@
# Harnesses of the tool's parsers and writers link its objects.
FUZZ_WITH_TOOL := $(O)/fuzz/fuzz_cli $(O)/fuzz/fuzz_meta
$(FUZZ_WITH_TOOL): $(FUZZ_TOOL_OBJS)
$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJS) $(KERNEL_SKELS)
	$(call msg,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itools/krsi -fsanitize=fuzzer $< \
		$(if $(filter $(FUZZ_WITH_TOOL),$@),$(FUZZ_TOOL_OBJS)) $(FUZZ_LIB_OBJS) \
		-o $@ $(LIBBPF_LIBS)

fuzz: $(FUZZERS)
	$(Q)scripts/fuzz.sh $(FUZZ_SECONDS) $^

check-build: all examples $(UNIT_TESTS) $(TOOL_TESTS) $(KERNEL_TESTS) $(O)/scripts/hook-sets

# Every public header compiles on its own, as C11 and as C++.
HEADER_CHECKS := $(HEADERS:include/krsi/%.h=$(O)/hdrcheck/%.ok)
$(O)/hdrcheck/%.ok: include/krsi/%.h $(HEADERS) | $(TEST_DEPS)
	$(call msg,HDR,$<)
	$(Q)mkdir -p $(@D)
	$(Q)echo '#include <krsi/$*.h>' | $(CC) -std=c11 -Wall -Wextra -Werror -Iinclude -x c -fsyntax-only -
	$(Q)echo '#include <krsi/$*.h>' | $(CXX) -Wall -Wextra -Werror -Iinclude -x c++ -fsyntax-only -
	$(Q)touch $@

# Every BPF-side header compiles on its own under clang's BPF target with
# warnings as errors, and each mistake in tests/bpf_misuse/ fails to compile
# with the message its "expect-error:" line names.
BPF_HEADER_CHECKS := $(BPF_HEADERS:bpf_helpers/krsi/%.bpf.h=$(O)/hdrcheck/%.bpf.ok)
$(O)/hdrcheck/%.bpf.ok: bpf_helpers/krsi/%.bpf.h $(BPF_HEADERS) $(HEADERS) $(O)/vmlinux.h
	$(call msg,HDR,$<)
	$(Q)mkdir -p $(@D)
	$(Q)printf '#include "vmlinux.h"\n#include <krsi/%s.bpf.h>\n' $* | \
		$(CLANG) $(BPF_CFLAGS) -Wextra -x c -c - -o /dev/null
	$(Q)touch $@
BPF_MISUSE_CHECKS := $(patsubst tests/bpf_misuse/%.c,$(O)/hdrcheck/misuse-%.ok,$(wildcard tests/bpf_misuse/*.c))
$(O)/hdrcheck/misuse-%.ok: tests/bpf_misuse/%.c $(BPF_HEADERS) $(HEADERS) $(O)/vmlinux.h
	$(call msg,MISUSE,$<)
	$(Q)mkdir -p $(@D)
	$(Q)want=$$(sed -n 's|^// expect-error: ||p' $<); \
	if out=$$($(CLANG) $(BPF_CFLAGS) -c $< -o /dev/null 2>&1); then \
		echo "$<: compiled, but must fail with: $$want" >&2; exit 1; fi; \
	printf '%s\n' "$$out" | grep -qF -- "$$want" || { \
		echo "$<: failed, but not with \"$$want\":" >&2; \
		printf '%s\n' "$$out" >&2; exit 1; }
	$(Q)touch $@
check-bpf-headers: $(BPF_HEADER_CHECKS) $(BPF_MISUSE_CHECKS)

# The unit tests under valgrind: no invalid access, no leak. Valgrind
# knows not every bpf() command (batch lookups among them) and takes what
# the kernel wrote there for uninitialised, so its definedness checks are
# off: uninitialised reads are UBSan's and ASan's (make check SANITIZE=1).
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --undef-value-errors=no \
	--suppressions=tests/unit/valgrind.supp
check-valgrind: $(UNIT_TESTS)
	$(Q)KRSI_TEST_RUNNER="$(VALGRIND)" scripts/check.sh host $^

host-tests: $(UNIT_TESTS) $(TOOL_TESTS)
	$(Q)scripts/check.sh host $^

kernel-tests: $(KERNEL_TESTS)
	$(Q)scripts/check.sh kernel $(KERNEL_TESTS)

# Install into a staging directory and build an outside consumer, user space
# and BPF side, with nothing but pkg-config.
check-install: all $(O)/vmlinux.h
	$(Q)rm -rf $(O)/stage
	$(Q)$(MAKE) --no-print-directory install PREFIX=/usr DESTDIR=$(abspath $(O))/stage
	$(Q)scripts/check-install.sh $(O)/stage /usr $(O)/vmlinux.h

# The supported libbpf range, 1.1 (the system's) to LIBBPF_NEWEST: make
# check builds the library, the tools, the examples and the host tests
# again against each of LIBBPF_OTHERS, in $(O)/libbpf-SERIES/ with that
# libbpf in its usr/ (scripts/libbpf-prefix.sh; never installed on the
# system), and runs the host tests there too (but krsi-vmtest's own, which
# do not use libbpf); the kernel tests built against the newest also run on
# LIBBPF_KERNELS (empty: none). BPF objects and skeletons are the main
# build's.
LIBBPF_OTHERS := 1.4 1.7
LIBBPF_NEWEST := $(lastword $(LIBBPF_OTHERS))
LIBBPF_KERNELS ?= 6.12
LIBBPF_SKELS := $(patsubst %.bpf.c,$(O)/skel/%.skel.h,$(notdir \
	$(wildcard lib/bpf/*.bpf.c tests/kernel/progs/*.bpf.c examples/*/*.bpf.c)))
# $(call libbpf_version,DIR): the version of the libbpf in DIR, or the system's.
libbpf_version = $(shell $(if $(1),PKG_CONFIG_PATH=$(1)/lib/pkgconfig) $(PKG_CONFIG) --modversion libbpf)

$(O)/libbpf-%/usr/lib/pkgconfig/libbpf.pc: scripts/libbpf-prefix.sh | $(TEST_DEPS)
	$(call msg,LIBBPF,$(O)/libbpf-$*/usr)
	$(Q)scripts/libbpf-prefix.sh $* $(abspath $(O)/libbpf-$*/usr) >/dev/null
# check-libbpf-SERIES (never a file, so always run): the build against
# libbpf SERIES, brought up to date.
check-libbpf-%: $(O)/libbpf-%/usr/lib/pkgconfig/libbpf.pc $(LIBBPF_SKELS)
	$(Q)for f in bpf skel vmlinux.h; do ln -sfn ../$$f $(O)/libbpf-$*/$$f; done
	$(Q)$(MAKE) --no-print-directory O=$(O)/libbpf-$* LIBBPF_PREFIX=$(abspath $(O)/libbpf-$*/usr) \
		check-build-$(if $(filter $*,$(LIBBPF_NEWEST)),kernel,host)
check-build-host: all examples $(UNIT_TESTS) $(TOOL_TESTS)
	@:
check-build-kernel: check-build-host $(KERNEL_TESTS)
	@:

ifeq ($(SANITIZE),1)
# The sanitizers watch the host tests; the kernel tests in the VMs run the
# normal build, and so does krsi-vmtest's test (a shell script under test:
# its VM boots would only run twice).
check: $(UNIT_TESTS) $(filter-out $(O)/tests/tools/test_krsi_vmtest,$(TOOL_TESTS))
	$(Q)scripts/check.sh host $^
else
check: check-build check-style $(HEADER_CHECKS) check-bpf-headers docs check-install $(FUZZERS) \
		$(LIBBPF_OTHERS:%=check-libbpf-%)
	$(Q)scripts/check-version.sh $(VERSION) $(SHLIB)
	$(Q)scripts/check-packaging.sh $(O)/packaging
	$(Q)KRSI_CHECK_FUZZ="$(FUZZERS)" KRSI_CHECK_FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) \
		KRSI_CHECK_BUILDS="$(call libbpf_version,$(LIBBPF_PREFIX))=$(O) $(foreach v,$(LIBBPF_OTHERS),\
			$(call libbpf_version,$(O)/libbpf-$(v)/usr)=$(O)/libbpf-$(v))" \
		KRSI_CHECK_ONCE="$(filter %/test_krsi_vmtest,$(TOOL_TESTS))" \
		KRSI_CHECK_KERNEL_BUILDS="$(if $(LIBBPF_NEWEST),$(foreach k,$(LIBBPF_KERNELS),$(k)=$(call \
			libbpf_version,$(O)/libbpf-$(LIBBPF_NEWEST)/usr)=$(O)/libbpf-$(LIBBPF_NEWEST)))" \
		scripts/check.sh all $(UNIT_TESTS) $(TOOL_TESTS) -- $(KERNEL_TESTS)
endif

# --- benchmarks -------------------------------------------------------------
# bench/bench_*.c are the benchmarks, linked statically against libkrsi with
# bench/*.c's shared helpers; their BPF programs are in bench/progs/. `make
# check` builds them and never runs them; `make bench` runs them all (the
# kernel-side parts inside krsi-vmtest on 6.1 and 6.12, or on the host with
# HOST=1) and prints one table (bench/run.sh).
BENCH_SKELS := $(patsubst bench/progs/%.bpf.c,$(O)/skel/%.skel.h,$(wildcard bench/progs/*.bpf.c))
BENCH_COMMON := $(filter-out bench/bench_%.c,$(wildcard bench/*.c))
BENCH_DEPS = $(BENCH_COMMON) $(wildcard bench/*.h bench/progs/*.h) $(BENCH_SKELS)
BENCH_CFLAGS = $(BASE_CFLAGS) $(LIBBPF_CFLAGS) -Ibench -I$(O)/skel $(CFLAGS)
BENCHES := $(patsubst bench/%.c,$(O)/bench/%,$(wildcard bench/bench_*.c)) \
	$(O)/bench/bench_delivery_pos1
BENCH_OBJS := $(patsubst bench/progs/%.bpf.c,$(O)/bpf/%.bpf.o,$(wildcard bench/progs/*.bpf.c))
# make check builds the benchmarks, so they keep compiling, and runs none.
check-build: $(BENCHES) $(BENCH_OBJS)
$(O)/bench/%: bench/%.c $(BENCH_DEPS) $(STLIB)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_CFLAGS) $< $(BENCH_COMMON) -o $@ $(STLIB) $(LIBBPF_LIBS) -lpthread

# The delivery benchmark again, its consumer storing its position after
# every record as libbpf's does: what batching those stores changes.
$(O)/bench/audit_ring_pos1.o: lib/audit_ring.c $(HEADERS) $(wildcard lib/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LIB_CFLAGS) -DCONSUMER_POS_BATCH=1 -c $< -o $@
$(O)/bench/bench_delivery_pos1: bench/bench_delivery.c $(BENCH_DEPS) $(LIB_OBJS) \
		$(O)/bench/audit_ring_pos1.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_CFLAGS) -DBENCH_POS_EVERY_RECORD $< $(BENCH_COMMON) -o $@ \
		$(filter-out $(O)/lib/audit_ring.o,$(LIB_OBJS)) $(O)/bench/audit_ring_pos1.o \
		$(LIBBPF_LIBS) -lpthread

bench-build: $(BENCHES) $(BENCH_OBJS)
bench: bench-build
	$(Q)O=$(O) HOST=$(HOST) bench/run.sh

# --- documentation ----------------------------------------------------------
docs: $(O)/docs/html/index.html
$(O)/docs/html/index.html: docs/Doxyfile $(HEADERS) | $(O)/.deps-docs
	$(call msg,DOXYGEN,$(O)/docs)
	$(Q)mkdir -p $(O)/docs
	$(Q)(cat docs/Doxyfile; echo "OUTPUT_DIRECTORY=$(O)/docs"; \
		echo "PROJECT_NUMBER=$(VERSION)") | $(DOXYGEN) - >$(O)/docs/doxygen.log

# --- install ----------------------------------------------------------------
# libkrsi.pc names its directories relative to its prefix where they lie
# under PREFIX, so a relocated or sysroot'ed tree stays consistent.
PC_LIBDIR = $(patsubst $(PREFIX)/%,$${exec_prefix}/%,$(LIBDIR))
PC_INCLUDEDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))
install: all
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/krsi \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(Q)$(INSTALL) -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)
	$(Q)ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	$(Q)ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libkrsi.so
	$(Q)$(INSTALL) -m 644 $(STLIB) $(DESTDIR)$(LIBDIR)
	$(Q)$(INSTALL) -m 644 $(HEADERS) $(BPF_HEADERS) $(DESTDIR)$(INCLUDEDIR)/krsi
	$(Q)$(INSTALL) -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(PC_LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(PC_INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		pkgconfig/libkrsi.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/libkrsi.pc

uninstall:
	$(Q)rm -f $(DESTDIR)$(LIBDIR)/libkrsi.* $(DESTDIR)$(PKGCONFIGDIR)/libkrsi.pc \
		$(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(TOOLS)))
	$(Q)rm -rf $(DESTDIR)$(INCLUDEDIR)/krsi

# --- style, demo, clean -----------------------------------------------------
STYLE_SRCS := $(wildcard lib/*.c lib/*.h include/krsi/*.h tests/*/*.c tests/*/*.h \
	tests/kernel/progs/*.bpf.c bpf_helpers/krsi/*.bpf.h lib/bpf/*.bpf.c \
	tools/krsi/*.c tools/krsi/*.h examples/*/*.c examples/*/*.h \
	bench/*.c bench/*.h bench/progs/*.bpf.c bench/progs/*.h)
check-style: | $(O)/.deps-style
	$(Q)clang-format --dry-run -Werror $(STYLE_SRCS)
format: | $(O)/.deps-style
	$(Q)clang-format -i $(STYLE_SRCS)

# Three example agents at work: here if BPF LSM enforces here, else in a VM
# on 6.12; KERNEL=5.10|6.1|6.12|7.3 runs them in a VM on that kernel line.
demo: examples $(KRSI_TOOL)
	$(Q)scripts/demo.sh $(O) $(KERNEL)

clean:
	$(call msg,CLEAN,$(O))
	$(Q)rm -rf $(O)

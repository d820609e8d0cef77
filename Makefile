# sched_clone: build, install and test the C library.
#
#   make                 build libsched_clone.{so,a} and a build-tree .pc (the
#                        committed header is used as is)
#   make demo            build, then run the documented example programs
#   make test            everything CI runs: Rust tests, every C test in every
#                        link mode, musl, the cross-architecture suite under
#                        qemu-user (test-cross) and under real kernels in
#                        qemu-system (test-vm), the bounded proof suite
#                        (test-proof), the peer suites (test-peers) and musl
#                        rebuilt on sched_clone (test-musl)
#   make test-capi       the header matrix, the man pages, make install vs
#                        cargo cinstall, pkg-config/CMake/Meson builds
#   make test-proof      differential test against glibc, stress and fault tests
#                        (bounded: a few minutes; see c-tests/proof/run.sh)
#   make test-peers      glibc's own clone tests (from Debian's glibc source package)
#                        built against us in five modes, and real Debian programs that
#                        call clone() (stress-ng, firejail, lxc-unshare, qemu) run with us
#                        (c-tests/peers/README.md; about a minute)
#   make proof-long      the same at full size; sizes from PROOF_DIFF_CASES,
#                        PROOF_THREADS, PROOF_LEAK_ITERATIONS, PROOF_STORM_ITERATIONS,
#                        PROOF_SEED (e.g. make proof-long PROOF_DIFF_CASES=1000000)
#                        then the clone and clone3 differentials in every vm.sh VM
#                        (PROOF_VM_DIFF_CASES each, default 50000; PROOF_VM_TIMEOUT)
#   make test-musl       musl 1.2.3 rebuilt with our __clone, and stock, for
#                        MUSL_ARCHES (natively or under qemu-user) and MUSL_VM_ARCHES
#                        (real kernels); part of make test, a subset for time (about
#                        7 minutes from cold; see c-tests/musl/run.sh)
#   make test-musl-long  the same on all 7 architectures, all 5 under real kernels too
#                        (about 20 minutes from cold)
#   make bench           glibc's clone vs ours: ns per clone+join, instruction
#                        counts, sizes (see bench/README.md)
#   make install PREFIX=/usr/local [DESTDIR=...]
#                        build, then install the libraries, the header, the .pc
#                        and the man pages; nothing else (no tests, no header
#                        regeneration). `make uninstall` removes exactly those.
#   make header          regenerate include/sched_clone.h with cbindgen

CARGO     ?= cargo
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR    ?= $(PREFIX)/share/man
DESTDIR   ?=
LD        ?= ld
OBJCOPY   ?= objcopy
NM        ?= nm
AR        ?= ar

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
VERSION_PARTS := $(subst ., ,$(VERSION))
MAJOR   := $(word 1,$(VERSION_PARTS))
MINOR   := $(word 2,$(VERSION_PARTS))
PATCH   := $(word 3,$(VERSION_PARTS))
# The soname's version, cargo-c's default (and build.rs's): 0.0.z for 0.0.z,
# 0.y for 0.y.z (0.1 and 0.2 may differ in ABI), x for x.y.z from 1.0 on.
SOVER   := $(if $(filter 0,$(MAJOR)),$(if $(filter 0,$(MINOR)),0.0.$(PATCH),0.$(MINOR)),$(MAJOR))
SONAME  := libsched_clone.so.$(SOVER)
REALNAME := libsched_clone.so.$(VERSION)

# The documented API: the only global symbols of libsched_clone.a.
API_SYMBOLS := clone __clone __clone2 sched_clone3 sched_clone3_set_eperm_fallback sched_clone_version
MAN3 := $(wildcard man/*.3)
MAN7 := $(wildcard man/*.7)

# The C library is built as cdylib + staticlib in one rustc run (LTO applies;
# with the rlib in the same run cargo would turn it off), no_std, with the
# C exports compiled in by `--cfg sched_clone_capi` (a cfg, not a feature:
# feature unification must never export `clone` into a Rust program).
# Its artifacts are collected in target/capi.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
OUT       := $(TARGET_DIR)/capi
CARGO_OUT := $(TARGET_DIR)/release
export SCHED_CLONE_OUT := $(abspath $(OUT))

.PHONY: all lib pc header demo test test-rust test-c test-capi test-cross test-proof proof-long bench test-peers \
        install uninstall clean test-musl test-musl-long

# Full-size proof runs (make proof-long).
PROOF_DIFF_CASES       ?= 200000
PROOF_THREADS          ?= 10000
PROOF_LEAK_ITERATIONS  ?= 1000000
PROOF_STORM_ITERATIONS ?= 500000
PROOF_SEED             ?=
# The clone and clone3 differentials in each vm.sh VM (make proof-long).
PROOF_VM_DIFF_CASES    ?= 50000
PROOF_VM_TIMEOUT       ?= 36000

all: lib pc

# The archive rustc writes holds our object with its internal symbols global
# (the naked trampolines, rust_eh_personality) and ~300 compiler_builtins
# members. Ours is one relocatable object: `ld -r` pulls in the members the
# API needs and drops the sections it cannot reach (the panic handler, when
# nothing can panic), objcopy drops the undefined symbols nothing refers to
# any more and makes every symbol but the API local.
# The symlinks are cargo-c's: the .so and the soname both name the file.
lib:
	mkdir -p $(OUT)
	SCHED_CLONE_CAPI=1 $(CARGO) rustc --release --lib --no-default-features \
	    --crate-type cdylib --crate-type staticlib \
	    -- --cfg sched_clone_capi --print native-static-libs=$(abspath $(OUT))/native-static-libs.txt
	rm -f $(OUT)/lib/libsched_clone.so*
	mkdir -p $(OUT)/lib $(OUT)/pkgconfig $(OUT)/obj
	cp -f $(CARGO_OUT)/libsched_clone.so $(OUT)/lib/$(REALNAME)
	ln -sf $(REALNAME) $(OUT)/lib/$(SONAME)
	ln -sf $(REALNAME) $(OUT)/lib/libsched_clone.so
	$(LD) -r --gc-sections -o $(OUT)/obj/sched_clone.o $(addprefix -u ,$(API_SYMBOLS)) \
	    $(CARGO_OUT)/libsched_clone.a
	$(NM) -u $(OUT)/obj/sched_clone.o | awk '{print $$2}' > $(OUT)/obj/undefined.txt
	$(OBJCOPY) --strip-unneeded-symbols=$(OUT)/obj/undefined.txt \
	    $(addprefix --keep-global-symbol=,$(API_SYMBOLS)) $(OUT)/obj/sched_clone.o
	rm -f $(OUT)/lib/libsched_clone.a
	$(AR) rcD $(OUT)/lib/libsched_clone.a $(OUT)/obj/sched_clone.o

# The .pc, as cargo-c writes it (given --libdir, as packagers do): libdir and
# includedir relative to the prefix when they are under it, and Libs.private what rustc reports the archive's
# crates link (the libc crate's -lc -lm -lrt -lpthread), as cargo-c copies
# it; `make_pc` takes the prefix, libdir and includedir.
pc_under = $(if $(filter $(PREFIX)/%,$(1)),$${prefix}/$(patsubst $(PREFIX)/%,%,$(1)),$(1))
PC_LIBDIR = $(call pc_under,$(LIBDIR))
PC_INCLUDEDIR = $(call pc_under,$(INCLUDEDIR))
make_pc = libs_private=$$(cat $(OUT)/native-static-libs.txt 2>/dev/null); \
	sed -e 's|@PREFIX@|$(1)|' -e 's|@LIBDIR@|$(2)|' -e 's|@INCLUDEDIR@|$(3)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e "s|@LIBS_PRIVATE@|$$libs_private|" -e '/^Libs.private: $$/d' \
	    pkgconfig/sched_clone.pc.in

# A .pc usable straight from the build tree: PKG_CONFIG_PATH=target/capi/pkgconfig
pc: lib
	$(call make_pc,$(abspath $(OUT)),$(abspath $(OUT))/lib,$(CURDIR)/include) > $(OUT)/pkgconfig/sched_clone.pc

header:
	SCHED_CLONE_BLESS=1 $(CARGO) test --test header

# Builds the libraries and copies; never runs cargo test or rewrites a source.
install: lib
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	    $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 0755 $(OUT)/lib/$(REALNAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(REALNAME) $(DESTDIR)$(LIBDIR)/libsched_clone.so
	install -m 0644 $(OUT)/lib/libsched_clone.a $(DESTDIR)$(LIBDIR)/
	install -m 0644 include/sched_clone.h $(DESTDIR)$(INCLUDEDIR)/
	$(call make_pc,$(PREFIX),$(PC_LIBDIR),$(PC_INCLUDEDIR)) > $(DESTDIR)$(PKGCONFIGDIR)/sched_clone.pc
	install -m 0644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/

# Removes what install put there, file by file; directories stay.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(LIBDIR)/,$(REALNAME) $(SONAME) libsched_clone.so libsched_clone.a) \
	    $(DESTDIR)$(INCLUDEDIR)/sched_clone.h $(DESTDIR)$(PKGCONFIGDIR)/sched_clone.pc \
	    $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(MAN3))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(MAN7)))

demo: all
	bash examples/c/run-examples.sh

test-rust: lib
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --lib --no-default-features -- -D warnings --cfg sched_clone_capi
	$(CARGO) clippy --lib --no-default-features -- -D warnings --cfg sched_clone_capi --cfg sched_clone_musl
	$(CARGO) test --all-targets
	$(CARGO) test --doc
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps
	$(CARGO) run -q --example thread
	$(CARGO) run -q --example vfork_spawn
	bash tests/crate-checks.sh
	@if [ "$$(id -u)" = 0 ]; then $(CARGO) run -q --example sandbox; \
	 else echo "SKIP: examples/sandbox.rs needs CAP_SYS_ADMIN"; fi

test-c: all
	bash c-tests/run.sh
	bash c-tests/cfi-checks.sh host

# The C library as C users and packagers see it: the header matrix, the man
# pages (lint, coverage, examples), make install vs cargo cinstall, pkg-config.
test-capi: all
	bash c-tests/header-checks.sh
	bash c-tests/man-checks.sh
	bash c-tests/install-checks.sh

test-cross: all
	bash c-tests/cross.sh all

test-vm: all
	bash c-tests/vm.sh all

MUSL_ARCHES    ?= x86_64 i686 aarch64 s390x
MUSL_VM_ARCHES ?= aarch64
test-musl: all
	bash c-tests/musl/run.sh --vm $(MUSL_VM_ARCHES) $(MUSL_ARCHES)

test-musl-long: all
	bash c-tests/musl/run.sh --vm all all

test-proof: all
	bash c-tests/proof/run.sh

test-peers: all
	bash c-tests/peers/run.sh

proof-long: all
	PROOF_DIFF_CASES=$(PROOF_DIFF_CASES) PROOF_THREADS=$(PROOF_THREADS) \
	PROOF_LEAK_ITERATIONS=$(PROOF_LEAK_ITERATIONS) PROOF_STORM_ITERATIONS=$(PROOF_STORM_ITERATIONS) \
	PROOF_SEED=$(PROOF_SEED) bash c-tests/proof/run.sh --long
	SCHED_CLONE_VM_ONLY="proof/differential proof/clone3_differential" \
	SCHED_CLONE_VM_CLONE_DIFF_CASES=$(PROOF_VM_DIFF_CASES) SCHED_CLONE_VM_DIFF_CASES=$(PROOF_VM_DIFF_CASES) \
	SCHED_CLONE_VM_CLONE_DIFF_SEED=0 SCHED_CLONE_VM_DIFF_SEED=0 \
	SCHED_CLONE_VM_DIFF_TIMEOUT=$(PROOF_VM_TIMEOUT) SCHED_CLONE_VM_TIMEOUT=$(PROOF_VM_TIMEOUT) bash c-tests/vm.sh all

bench: all
	bash bench/run.sh
	$(CARGO) run -q --release --example spawn_bench

test: test-rust test-c test-capi test-cross test-vm test-proof test-peers test-musl

clean:
	$(CARGO) clean

# sched_clone: build, install and test the C library.
#
#   make                 build libsched_clone.{so,a}, generate the header (cbindgen)
#                        and a build-tree .pc
#   make demo            build, then run the documented example programs
#   make test            everything CI runs: Rust tests, every C test in every
#                        link mode, musl, the cross-architecture suite under
#                        qemu-user (test-cross) and under real kernels in
#                        qemu-system (test-vm), the bounded proof suite
#                        (test-proof) and musl rebuilt on sched_clone (test-musl)
#   make test-proof      differential test against glibc, stress and fault tests
#                        (bounded: a few minutes; see c-tests/proof/run.sh)
#   make proof-long      the same at full size; sizes from PROOF_DIFF_CASES,
#                        PROOF_THREADS, PROOF_LEAK_ITERATIONS, PROOF_STORM_ITERATIONS,
#                        PROOF_SEED (e.g. make proof-long PROOF_DIFF_CASES=1000000)
#   make test-musl       musl 1.2.3 rebuilt with our __clone, and stock, for
#                        MUSL_ARCHES (natively or under qemu-user) and MUSL_VM_ARCHES
#                        (real kernels); part of make test, a subset for time (about
#                        7 minutes from cold; see c-tests/musl/run.sh)
#   make test-musl-long  the same on all 7 architectures, all 5 under real kernels too
#                        (about 20 minutes from cold)
#   make bench           glibc's clone vs ours: ns per clone+join, instruction
#                        counts, sizes (see bench/README.md)
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make header          regenerate include/sched_clone.h with cbindgen

CARGO     ?= cargo
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR   ?=

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
MAJOR   := $(firstword $(subst ., ,$(VERSION)))
SONAME  := libsched_clone.so.$(MAJOR)

# The C library is built as cdylib + staticlib in one rustc run (LTO applies;
# with the rlib in the same run cargo would turn it off), no_std, with the
# `capi` feature. Its artifacts are collected in target/capi.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
OUT       := $(TARGET_DIR)/capi
CARGO_OUT := $(TARGET_DIR)/release
export SCHED_CLONE_OUT := $(abspath $(OUT))

.PHONY: all lib pc header demo test test-rust test-c test-cross test-proof proof-long bench \
        install uninstall clean test-musl test-musl-long

# Full-size proof runs (make proof-long).
PROOF_DIFF_CASES       ?= 200000
PROOF_THREADS          ?= 10000
PROOF_LEAK_ITERATIONS  ?= 1000000
PROOF_STORM_ITERATIONS ?= 500000
PROOF_SEED             ?=

all: lib header pc

lib:
	$(CARGO) rustc --release --lib --no-default-features --features capi \
	    --crate-type cdylib --crate-type staticlib
	mkdir -p $(OUT)/lib $(OUT)/pkgconfig
	cp -f $(CARGO_OUT)/libsched_clone.so $(OUT)/lib/libsched_clone.so.$(VERSION)
	ln -sf libsched_clone.so.$(VERSION) $(OUT)/lib/$(SONAME)
	ln -sf $(SONAME) $(OUT)/lib/libsched_clone.so
	cp -f $(CARGO_OUT)/libsched_clone.a $(OUT)/lib/libsched_clone.a

# A .pc usable straight from the build tree: PKG_CONFIG_PATH=target/capi/pkgconfig
pc: lib
	sed -e 's|@PREFIX@|$(abspath $(OUT))|' -e 's|@LIBDIR@|$(abspath $(OUT))/lib|' \
	    -e 's|@INCLUDEDIR@|$(CURDIR)/include|' -e 's|@VERSION@|$(VERSION)|' \
	    pkgconfig/sched_clone.pc.in > $(OUT)/pkgconfig/sched_clone.pc

header:
	SCHED_CLONE_BLESS=1 $(CARGO) test --test header

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(OUT)/lib/libsched_clone.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libsched_clone.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsched_clone.so
	install -m 0644 $(OUT)/lib/libsched_clone.a $(DESTDIR)$(LIBDIR)/
	install -m 0644 include/sched_clone.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    pkgconfig/sched_clone.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/sched_clone.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libsched_clone.so* $(DESTDIR)$(LIBDIR)/libsched_clone.a \
	    $(DESTDIR)$(INCLUDEDIR)/sched_clone.h $(DESTDIR)$(PKGCONFIGDIR)/sched_clone.pc

demo: all
	bash examples/c/run-examples.sh

test-rust:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --lib --no-default-features --features capi -- -D warnings
	$(CARGO) test --all-targets
	$(CARGO) test --doc
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps
	$(CARGO) run -q --example thread
	$(CARGO) run -q --example vfork_spawn
	@if [ "$$(id -u)" = 0 ]; then $(CARGO) run -q --example sandbox; \
	 else echo "SKIP: examples/sandbox.rs needs CAP_SYS_ADMIN"; fi

test-c: all
	bash c-tests/run.sh

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

proof-long: all
	PROOF_DIFF_CASES=$(PROOF_DIFF_CASES) PROOF_THREADS=$(PROOF_THREADS) \
	PROOF_LEAK_ITERATIONS=$(PROOF_LEAK_ITERATIONS) PROOF_STORM_ITERATIONS=$(PROOF_STORM_ITERATIONS) \
	PROOF_SEED=$(PROOF_SEED) bash c-tests/proof/run.sh --long

bench: all
	bash bench/run.sh

test: test-rust test-c test-cross test-vm test-proof test-musl

clean:
	$(CARGO) clean

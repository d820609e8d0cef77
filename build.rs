//! Link settings for the C library (`libsched_clone.so`): its soname, and on
//! x86_64 the CET marking. The staticlib carries its marking in its own
//! object (see `src/arch/x86_64.rs`).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // The C library's exports, panic handler and personality routine are
    // compiled only under these cfgs: `sched_clone_capi` from the Makefile
    // (`cargo rustc ... -- --cfg sched_clone_capi`), `cargo_c` from cargo-c.
    // A cfg passed to one crate's rustc cannot be switched on by feature
    // unification in a dependent's build.
    println!("cargo::rustc-check-cfg=cfg(sched_clone_capi)");
    println!("cargo::rustc-check-cfg=cfg(cargo_c)");
    // `sched_clone_musl` (with `sched_clone_capi`): `clone` and `__clone`
    // with musl's ABI, for the archive a musl build links (c-tests/musl).
    println!("cargo::rustc-check-cfg=cfg(sched_clone_musl)");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    // The link arguments below are for the C library's .so only: the
    // Makefile's `lib` target says so with SCHED_CLONE_CAPI=1 (an ordinary
    // build of the rlib has no cdylib to pass them to). They are plain
    // `rustc-link-arg`s because the manifest declares no cdylib (cargo warns
    // about `rustc-cdylib-link-arg` then); that build links nothing else.
    println!("cargo:rerun-if-env-changed=SCHED_CLONE_CAPI");
    let makefile_capi = std::env::var_os("SCHED_CLONE_CAPI").is_some();
    let cargo_c = std::env::var_os("CARGO_CFG_CARGO_C").is_some();
    if os != "linux" || !(makefile_capi || cargo_c) {
        return;
    }
    if makefile_capi {
        // cargo-c sets the soname itself, by the same rule.
        println!(
            "cargo:rustc-link-arg=-Wl,-soname,libsched_clone.so.{}",
            soname_version()
        );
    }
    println!("cargo:rustc-link-arg=-Wl,-z,noexecstack");
    if arch == "x86_64" {
        // Rust's own objects carry no GNU property note, so the linker must be
        // told that the whole .so is IBT- and SHSTK-compatible: every
        // indirect-branch target in it is an entry point with endbr64.
        // rust-lld (the default linker on x86_64-unknown-linux-gnu) spells
        // IBT `force-ibt`; GNU ld spells it `ibt`.
        println!("cargo:rustc-link-arg=-Wl,-z,shstk");
        if uses_lld() {
            println!("cargo:rustc-link-arg=-Wl,-z,force-ibt");
        } else {
            println!("cargo:rustc-link-arg=-Wl,-z,ibt");
        }
    }
}

/// The soname's version, by cargo-c's default rule (which the Makefile's
/// `SOVER` repeats): `0.0.z` for 0.0.z, `0.y` for 0.y.z (before 1.0 a minor
/// release may change the ABI), `x` from 1.0 on.
fn soname_version() -> String {
    let part = |name: &str| std::env::var(name).unwrap_or_else(|_| "0".into());
    let (major, minor, patch) = (
        part("CARGO_PKG_VERSION_MAJOR"),
        part("CARGO_PKG_VERSION_MINOR"),
        part("CARGO_PKG_VERSION_PATCH"),
    );
    match (major.as_str(), minor.as_str()) {
        ("0", "0") => format!("0.0.{patch}"),
        ("0", _) => format!("0.{minor}"),
        _ => major,
    }
}

/// Whether rustc links with rust-lld: its default for x86_64-unknown-linux-gnu
/// since Rust 1.90 (older compilers use the system linker), unless the user
/// chose another linker.
fn uses_lld() -> bool {
    let target = std::env::var("TARGET").unwrap_or_default();
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.contains("linker-features=-lld") || flags.contains("linker=") {
        return flags.contains("lld");
    }
    target == "x86_64-unknown-linux-gnu" && rustc_minor().is_some_and(|minor| minor >= 90)
}

/// The minor version of the rustc that builds us (`rustc 1.95.0 ...`).
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var_os("RUSTC")?;
    let out = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.split_whitespace()
        .nth(1)?
        .split('.')
        .nth(1)?
        .parse()
        .ok()
}

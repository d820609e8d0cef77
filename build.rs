//! Link settings for the C library (`libsched_clone.so`): its soname, and on
//! x86_64 the CET marking. The staticlib carries its marking in its own
//! object (see `src/arch/x86_64.rs`).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if os != "linux" {
        return;
    }
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,-soname,libsched_clone.so.{}",
        soname_version()
    );
    println!("cargo:rustc-cdylib-link-arg=-Wl,-z,noexecstack");
    if arch == "x86_64" {
        // Rust's own objects carry no GNU property note, so the linker must be
        // told that the whole .so is IBT- and SHSTK-compatible: every
        // indirect-branch target in it is an entry point with endbr64.
        // rust-lld (the default linker on x86_64-unknown-linux-gnu) spells
        // IBT `force-ibt`; GNU ld spells it `ibt`.
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,shstk");
        if uses_lld() {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-z,force-ibt");
        } else {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-z,ibt");
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
/// since Rust 1.90, unless the user chose another linker.
fn uses_lld() -> bool {
    let target = std::env::var("TARGET").unwrap_or_default();
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.contains("linker-features=-lld") || flags.contains("linker=") {
        return flags.contains("lld");
    }
    target == "x86_64-unknown-linux-gnu"
}

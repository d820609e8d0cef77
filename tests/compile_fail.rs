//! Safe code must not compile where it could cause undefined behaviour
//! (reproductions 1 and 2 of issue 8, and I/O safety of descriptors). Each
//! file in tests/compile-fail/ is expected to fail with the error recorded
//! beside it (`TRYBUILD=overwrite` records them anew).

#[test]
fn unsound_uses_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile-fail/*.rs");
}

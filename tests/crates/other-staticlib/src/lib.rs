//! A small std staticlib: it formats a number (pulling in std's formatting
//! and panic machinery) and catches a panic (unwinding: it needs the real
//! `rust_eh_personality`).

/// Returns the number of decimal digits of `n`, computed through `format!`,
/// after catching a panic; -1 if the panic escaped `catch_unwind`.
#[unsafe(no_mangle)]
pub extern "C" fn other_digits(n: u64) -> i32 {
    let caught = std::panic::catch_unwind(|| {
        if n > 0 {
            std::panic::resume_unwind(Box::new(n));
        }
    });
    if caught.is_ok() == (n > 0) {
        return -1;
    }
    format!("{n}").len() as i32
}

//! Fuzz the PDF extractor: any bytes give text or an error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `extract_bytes` turns a parser panic into an error for the user; here every panic must be seen, so
    // the hook aborts before any unwinding can be caught.
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| std::panic::set_hook(Box::new(|_| std::process::abort())));
    let _ = arkiv::extract::extract_bytes(data, arkiv::extract::SourceFormat::Pdf, &Default::default());
});

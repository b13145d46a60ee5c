//! Fuzz the PDF extractor: any bytes give text or an error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Every panic in arkiv's own code must be seen, so the hook aborts before any unwinding could be
    // caught. lopdf's panics are the exception: arkiv catches them around each lopdf call and reports
    // the file as damaged, which is the intended outcome, so a panic located in a crate from the cargo
    // registry is left to unwind.
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let third_party = info.location().is_some_and(|l| l.file().contains("/.cargo/registry/"));
            if !third_party {
                eprintln!("{info}");
                std::process::abort();
            }
        }))
    });
    let _ = arkiv::extract::extract_bytes(data, arkiv::extract::SourceFormat::Pdf, &Default::default());
});

//! Fuzz the whole parse path of one file (extraction, segmentation, records): any bytes give records or
//! an error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // As in `extract_pdf`: abort on any panic except one inside a registry crate (lopdf), which arkiv
    // catches and reports as a damaged file.
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
    let _ = arkiv::ingest::parse_bytes("fuzz.pdf", data, "0", &Default::default());
});

//! Fuzz the whole parse path of one file of any format (extraction, segmentation, records): any bytes give records or
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
    // Every reader, chosen as a file name would: seeds of each format keep their format, and a
    // mutation of the first bytes moves an input to another reader.
    let name = match data.first() {
        Some(b'%') => "fuzz.pdf",
        Some(b'<') => "fuzz.html",
        Some(b'#') => "fuzz.md",
        _ => "fuzz.txt",
    };
    let _ = arkiv::ingest::parse_bytes(name, data, "0", &Default::default());
});

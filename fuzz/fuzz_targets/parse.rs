//! Fuzz the whole parse path of one file of any format (extraction, segmentation, records): any
//! bytes give records or an error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "abort_on_our_panics.rs"]
mod abort_on_our_panics;

fuzz_target!(|data: &[u8]| {
    abort_on_our_panics::install();
    // Every reader, chosen as a file name would: seeds of each format keep their format, and a
    // mutation of the first bytes moves an input to another reader.
    let name = match data.first() {
        Some(b'%') => "fuzz.pdf",
        Some(b'<') => "fuzz.html",
        Some(b'#') => "fuzz.md",
        _ => "fuzz.txt",
    };
    // OCR off: it runs an external engine for seconds a page, which a fuzzer cannot wait for (the
    // image decoders have property tests of their own in `extract::pdf::images`).
    let options = arkiv::extract::Options { ocr: arkiv::extract::ocr::OcrMode::Never, ..Default::default() };
    let _ = arkiv::ingest::parse_bytes(name, data, "0", &options);
});

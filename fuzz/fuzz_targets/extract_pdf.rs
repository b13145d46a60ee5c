//! Fuzz the PDF extractor: any bytes give text or an error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "abort_on_our_panics.rs"]
mod abort_on_our_panics;

fuzz_target!(|data: &[u8]| {
    abort_on_our_panics::install();
    let _ = arkiv::extract::extract_bytes(data, arkiv::extract::SourceFormat::Pdf, &Default::default());
});

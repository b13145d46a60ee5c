//! Fuzz the PDF extractor: any bytes give text or an error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = arkiv::extract::extract_bytes(data, arkiv::extract::SourceFormat::Pdf, &Default::default());
});

//! Untrusted input never panics: random bytes and mutated fixture PDFs go through the PDF extractor, and
//! each gives text or an error, nothing else.

use arkiv::extract::{extract_bytes, Options, SourceFormat};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).expect("fixture")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = extract_bytes(&bytes, SourceFormat::Pdf, &Options::default());
    }

    #[test]
    fn random_bytes_after_a_header_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend(bytes);
        let _ = extract_bytes(&pdf, SourceFormat::Pdf, &Options::default());
    }

    #[test]
    fn mutated_pdfs_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..24),
    ) {
        let name = ["tests/data/pdf/reportlab/cirkular-12-13-2012.pdf",
            "tests/data/bad/corrupt-xref.pdf",
            "tests/data/bad/cycle.pdf"][which];
        let mut pdf = fixture(name);
        for (at, byte, op) in edits {
            let i = at.index(pdf.len().max(1));
            match op {
                0 if i < pdf.len() => pdf[i] = byte,
                1 => pdf.insert(i.min(pdf.len()), byte),
                _ if i < pdf.len() => { pdf.remove(i); }
                _ => {}
            }
        }
        let _ = extract_bytes(&pdf, SourceFormat::Pdf, &Options::default());
    }
}

#[test]
fn truncations_of_every_length_never_panic() {
    let pdf = fixture("tests/data/pdf/reportlab/cirkular-12-13-2012.pdf");
    for len in (0..pdf.len()).step_by(97) {
        let _ = extract_bytes(&pdf[..len], SourceFormat::Pdf, &Options::default());
    }
}

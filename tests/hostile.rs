//! Hostile PDFs, built here with lopdf: each must end promptly with the budget error that names its
//! limit (or, where the file is merely large, with its text), and never panic.
//!
//! No assertion here is about time: the budgets are counted in work (operations, glyphs, form calls,
//! bytes), so the outcome does not depend on the machine. Set `ARKIV_WRITE_HOSTILE=DIR` and run
//! `write_hostile_files` to write the files for measuring the CLI on them.

use std::io::Write;
use std::time::Duration;

use arkiv::error::Error;
use arkiv::extract::{extract_bytes, Document, Options, SourceFormat};
use lopdf::{dictionary, Document as PdfDocument, Object, ObjectId, Stream};
use proptest::prelude::*;

/// A flate-compressed stream of `content` with `dict`.
fn flate(mut dict: lopdf::Dictionary, content: &[u8]) -> Stream {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(content).expect("compress");
    dict.set("Filter", "FlateDecode");
    Stream::new(dict, enc.finish().expect("compress")).with_compression(false)
}

/// A document with Helvetica as /F1 and one page per `(contents, xobjects)`; `height` is the pages'
/// media box height.
fn build(doc: &mut PdfDocument, pages: Vec<(Vec<ObjectId>, lopdf::Dictionary)>, height: i64) -> Vec<u8> {
    let font = helvetica(doc);
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for (contents, xobjects) in pages {
        let resources = dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => xobjects };
        let contents: Vec<Object> = contents.into_iter().map(Object::Reference).collect();
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Resources" => resources, "Contents" => contents,
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), height.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// Helvetica, the same object each time it is asked for.
fn helvetica(doc: &mut PdfDocument) -> ObjectId {
    let is_font = |o: &Object| o.as_dict().is_ok_and(|d| d.has_type(b"Font"));
    if let Some((&id, _)) = doc.objects.iter().find(|(_, o)| is_font(o)) {
        return id;
    }
    doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    })
}

/// One page whose content is `content` (compressed).
fn one_page(content: &[u8], height: i64) -> Vec<u8> {
    let mut doc = PdfDocument::with_version("1.5");
    let id = doc.add_object(flate(dictionary! {}, content));
    build(&mut doc, vec![(vec![id], dictionary! {})], height)
}

/// Form XObjects `levels` deep, each drawing the next one `fan_out` times (the same form under
/// `fan_out` names when `same`, else distinct forms with the same content), the innermost drawing one
/// word: fan_out^levels words if run naively.
pub fn form_fan_out(levels: usize, fan_out: usize, same: bool) -> Vec<u8> {
    let mut doc = PdfDocument::with_version("1.5");
    let font = helvetica(&mut doc);
    let leaf = b"BT /F1 12 Tf 72 700 Td (ord) Tj ET".to_vec();
    let bbox = || vec![0.into(), 0.into(), 612.into(), 792.into()];
    let form = |doc: &mut PdfDocument, content: &[u8], inner: lopdf::Dictionary| {
        doc.add_object(flate(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form", "BBox" => bbox(),
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => inner },
            },
            content,
        ))
    };
    let mut below: Vec<ObjectId> = vec![form(&mut doc, &leaf, dictionary! {})];
    let calls: String = (0..fan_out).map(|k| format!("/X{k} Do ")).collect();
    for _ in 0..levels {
        let mut inner = dictionary! {};
        for k in 0..fan_out {
            inner.set(format!("X{k}"), below[if same { 0 } else { k % below.len() }]);
        }
        let count = if same { 1 } else { fan_out };
        below = (0..count).map(|_| form(&mut doc, calls.as_bytes(), inner.clone())).collect();
    }
    let mut xobjects = dictionary! {};
    for k in 0..fan_out {
        xobjects.set(format!("X{k}"), below[k % below.len()]);
    }
    let content = doc.add_object(flate(dictionary! {}, calls.as_bytes()));
    build(&mut doc, vec![(vec![content], xobjects)], 792)
}

/// One tall page of `lines` lines, each two short cells far apart (a table of municipalities).
pub fn two_cell_lines(lines: usize) -> Vec<u8> {
    let mut content = String::from("BT /F1 8 Tf\n");
    for i in 0..lines {
        let y = 10.0 + 10.0 * (lines - i) as f64;
        content
            .push_str(&format!("1 0 0 1 50 {y} Tm (Kommun {i}) Tj 1 0 0 1 300 {y} Tm ({}) Tj\n", 1000 + i));
    }
    content.push_str("ET\n");
    one_page(content.as_bytes(), 10 * lines as i64 + 40)
}

/// One page whose content is `ops` save/restore pairs and one word.
pub fn many_operations(ops: usize) -> Vec<u8> {
    let mut content = b"BT /F1 12 Tf 72 700 Td (ord) Tj ET\n".to_vec();
    for _ in 0..ops / 2 {
        content.extend_from_slice(b"q Q\n");
    }
    one_page(&content, 792)
}

/// One page that shows `glyphs` glyphs in few operations: lines of 1,000 letters.
pub fn many_glyphs(glyphs: usize) -> Vec<u8> {
    let line = "a".repeat(1000);
    let mut content = String::from("BT /F1 1 Tf 0.25 TL 10 780 Td\n");
    for _ in 0..glyphs / 1000 {
        content.push_str(&format!("({line}) '\n"));
    }
    content.push_str("ET\n");
    one_page(content.as_bytes(), 792)
}

/// `pages` pages, each with a content stream that inflates to `mib` MiB (one word, then spaces).
pub fn bomb_across_streams(pages: usize, mib: usize) -> Vec<u8> {
    let mut doc = PdfDocument::with_version("1.5");
    let mut content = b"BT /F1 12 Tf 72 700 Td (ord) Tj ET\n".to_vec();
    content.resize(mib << 20, b' ');
    let page_list =
        (0..pages).map(|_| (vec![doc.add_object(flate(dictionary! {}, &content))], dictionary! {})).collect();
    build(&mut doc, page_list, 792)
}

fn extract(pdf: &[u8]) -> Result<Document, Error> {
    extract_bytes(pdf, SourceFormat::Pdf, &Options::default())
}

fn budget_message(result: Result<Document, Error>) -> String {
    match result {
        Err(Error::Budget(message)) => message,
        Err(e) => panic!("expected a budget error, got the error {e}"),
        Ok(doc) => panic!("expected a budget error, got {} pages of text", doc.pages.len()),
    }
}

#[test]
fn a_fan_out_of_one_form_stops_at_the_form_budget() {
    let message = budget_message(extract(&form_fan_out(11, 6, true)));
    assert!(message.starts_with("page 1: more than"), "{message}");
    assert!(message.contains("Form XObject"), "{message}");
}

#[test]
fn a_fan_out_of_distinct_forms_stops_at_the_form_budget() {
    let message = budget_message(extract(&form_fan_out(11, 6, false)));
    assert!(message.starts_with("page 1: more than"), "{message}");
    assert!(message.contains("Form XObject"), "{message}");
}

#[test]
fn a_small_fan_out_is_read() {
    // 6^3 = 216 calls of the innermost form: well within budget.
    let doc = extract(&form_fan_out(3, 6, false)).expect("text");
    assert!(doc.plain_text().contains("ord"));
}

#[test]
fn a_page_of_two_thousand_two_cell_lines_gives_its_text() {
    let doc = extract(&two_cell_lines(2000)).expect("text");
    let text = doc.plain_text();
    // Rows in the top and bottom tenth of the page lose their number cell (a bare number in a margin
    // band reads as a page number); the rows between keep both cells.
    assert!(text.contains("Kommun 1000\t2000"), "{}", &text[..text.len().min(200)]);
    assert_eq!(text.matches("Kommun").count(), 2000);
    assert!(text.matches('\t').count() > 1500);
}

#[test]
fn millions_of_operations_stop_at_the_operation_budget() {
    let message = budget_message(extract(&many_operations(3_000_000)));
    assert_eq!(message, "page 1: more than 2,000,000 content operations");
}

#[test]
fn millions_of_glyphs_stop_at_the_glyph_budget() {
    let message = budget_message(extract(&many_glyphs(1_500_000)));
    assert_eq!(message, "page 1: more than 1,000,000 glyphs");
}

#[test]
fn a_bomb_spread_over_many_streams_stops_at_the_file_budget() {
    // Each stream (40 MiB) is under the per-stream limit; together (320 MiB) they are over the file's.
    let message = budget_message(extract(&bomb_across_streams(8, 40)));
    assert!(message.contains("MiB of decompressed streams"), "{message}");
}

#[test]
fn a_zero_timeout_is_a_timeout() {
    let options = Options { timeout: Some(Duration::ZERO), ..Options::default() };
    match extract_bytes(&two_cell_lines(10), SourceFormat::Pdf, &options) {
        Err(Error::Timeout(0)) => {}
        other => panic!("expected a timeout, got {:?}", other.map(|d| d.plain_text())),
    }
}

#[test]
fn a_timeout_stops_the_form_fan_out() {
    // With the form budget the file fails anyway; the deadline must not turn that into anything else.
    let options = Options { timeout: Some(Duration::from_secs(60)), ..Options::default() };
    assert!(matches!(
        extract_bytes(&form_fan_out(11, 6, true), SourceFormat::Pdf, &options),
        Err(Error::Budget(_))
    ));
}

#[test]
fn the_hostile_files_in_the_test_data_give_their_errors() {
    let read = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile").join(name);
        extract(&std::fs::read(path).expect("test file"))
    };
    assert_eq!(budget_message(read("form-fan-out.pdf")), "page 1: more than 20,000 Form XObject calls");
    assert_eq!(budget_message(read("many-operations.pdf")), "page 1: more than 2,000,000 content operations");
    assert_eq!(budget_message(read("many-glyphs.pdf")), "page 1: more than 1,000,000 glyphs");
    let text = read("two-cell-lines-2000.pdf").expect("text").plain_text();
    assert_eq!(text.matches("Kommun").count(), 2000);
    // Found by the parse fuzz target: a damaged content stream selecting a font given inline over and
    // over (each Tf loaded the font again).
    for name in ["fuzz-slow-direct-font-1.pdf", "fuzz-slow-direct-font-2.pdf", "fuzz-slow-damaged-stream.pdf"]
    {
        assert_eq!(read(name).expect("text").plain_text().trim(), "ord", "{name}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the timeout, a file gives its text or a timeout: never a panic, never another error.
    #[test]
    fn any_timeout_gives_text_or_a_timeout(micros in prop_oneof![Just(0u64), 0u64..20_000], which in 0usize..3) {
        let pdf = match which {
            0 => two_cell_lines(300),
            1 => form_fan_out(3, 6, true),
            _ => std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pdf/reportlab/cirkular-12-13-2012.pdf"))
                .expect("fixture"),
        };
        let options = Options { timeout: Some(Duration::from_micros(micros)), ..Options::default() };
        match extract_bytes(&pdf, SourceFormat::Pdf, &options) {
            Ok(_) | Err(Error::Timeout(_)) => {}
            Err(e) => panic!("unexpected error {e}"),
        }
        if micros == 0 {
            prop_assert!(matches!(extract_bytes(&pdf, SourceFormat::Pdf, &options), Err(Error::Timeout(0))));
        }
    }
}

/// Writes the hostile files to `$ARKIV_WRITE_HOSTILE` (for running the CLI on them); does nothing
/// without it.
#[test]
fn write_hostile_files() {
    let Some(dir) = std::env::var_os("ARKIV_WRITE_HOSTILE") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    type Maker = fn() -> Vec<u8>;
    let files: [(&str, Maker); 6] = [
        ("form-fan-out.pdf", || form_fan_out(11, 6, true)),
        ("form-fan-out-distinct.pdf", || form_fan_out(11, 6, false)),
        ("two-cell-lines-2000.pdf", || two_cell_lines(2000)),
        ("many-operations.pdf", || many_operations(3_000_000)),
        ("many-glyphs.pdf", || many_glyphs(1_500_000)),
        ("bomb-across-streams.pdf", || bomb_across_streams(8, 40)),
    ];
    for (name, make) in files {
        std::fs::write(dir.join(name), make()).expect("write");
    }
}

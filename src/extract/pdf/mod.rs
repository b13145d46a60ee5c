//! PDF text extraction over lopdf's object and content-stream layer.
//!
//! Layers, each with one job: `objects` (lenient object access), `cmap` and `encoding` and `font`
//! (codes → Unicode and widths), `lenient` (content-stream syntax lopdf rejects), `annots` (form
//! fields and FreeText annotations: what else is on the page), `interp` (content streams → placed
//! glyphs, pushed into a `device::Device`, the one interface to what follows), then the format-free
//! `layout` (glyphs → lines → blocks) and `clean` (furniture, hyphenation, Unicode) modules.
//!
//! Opening decrypts with the user or the owner password (lopdf's security handler), also when the
//! trailer writes `/Encrypt` as a direct dictionary, which lopdf does not look for.
//!
//! A file is refused only when it cannot be read as a PDF at all (not a PDF, damaged beyond repair,
//! password required, a stream over the size limit), when it passes one of the [`budget`] limits or its
//! time is up; problems on a page become warnings.
//!
//! Panics are caught only around lopdf's calls (see `objects::guarded`) and become
//! [`Error::Damaged`]; this module's own code, the interpreter, layout and clean-up are never inside
//! `catch_unwind`, so a bug in them reaches the caller as a panic (ingest reports it per file).

mod annots;
mod budget;
mod cid;
mod cmap;
mod device;
pub mod encoding;
mod font;
mod images;
mod interp;
mod lenient;
mod objects;
mod program;
mod tables;

use std::collections::HashSet;

use lopdf::{Dictionary, Document as PdfDocument, LoadOptions, Object, ObjectId};
use rayon::prelude::*;

use super::clean;
use super::layout::{self, LaidBlock};
use super::ocr::{self, OcrMode};
use super::{Document, OcrPage, Options, SourceFormat};
use crate::error::Error;
use budget::{Budget, Stop};
use device::PageGlyphs;
use images::PlacedImage;
use interp::{Interpreter, Matrix, RunStats};
use objects::{decoded, deref, dict_get, guarded, number, DecodeError, MAX_STREAM_BYTES};

/// A page as found in the page tree, with its inherited attributes resolved.
struct PageRef<'a> {
    resources: Option<&'a Dictionary>,
    contents: Vec<&'a Object>,
    /// The page's `/Annots` (form fields, FreeText and others).
    annots: Option<&'a Object>,
    /// [x0, y0, x1, y1] of the crop box (or media box).
    crop: [f32; 4],
    rotate: i64,
}

/// Extract the text of a PDF.
pub(crate) fn extract(bytes: &[u8], options: &Options) -> Result<Document, Error> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::NotPdf);
    }
    let budget = Budget::new(options.timeout);
    let (doc, mut warnings) = open(bytes, options)?;
    budget.check_time().map_err(|_| budget.timeout_error())?;
    let pages = page_tree(&doc, &mut warnings)?;
    // Pages are read in parallel in runs, each run with its own interpreter (and font cache), so a long
    // document uses every core; the runs are long enough that fonts are parsed rarely. A page that fails
    // cancels the others, which stop at their next page or clock check.
    let runs: Vec<Result<Vec<PageText>, (Stop, u32)>> = pages
        .par_chunks(PAGES_PER_RUN)
        .enumerate()
        .map(|(run, chunk)| {
            let mut interpreter = Interpreter::new(&doc, &budget);
            let first = (run * PAGES_PER_RUN) as u32 + 1;
            let mut texts = Vec::with_capacity(chunk.len());
            for (page, number) in chunk.iter().zip(first..) {
                let text = budget
                    .check()
                    .and_then(|()| read_page(&mut interpreter, &doc, page, number, options.ocr, &budget));
                match text {
                    Ok(text) => texts.push(text),
                    Err(stop) => {
                        if stop != Stop::Cancelled {
                            budget.cancel();
                        }
                        return Err((stop, number));
                    }
                }
            }
            Ok(texts)
        })
        .collect();
    // The first page's own failure is the file's; pages that only stopped because of it say nothing.
    let mut failed = None;
    for run in &runs {
        if let Err((stop, page)) = run {
            if *stop != Stop::Cancelled && failed.is_none_or(|(_, p): (Stop, u32)| *page < p) {
                failed = Some((*stop, *page));
            }
        }
    }
    if let Some((stop, page)) = failed {
        return Err(stop.into_error(&budget, page));
    }
    let mut laid: Vec<(Vec<LaidBlock>, f32)> = Vec::with_capacity(pages.len());
    let mut pages_without_text = Vec::new();
    let mut scanned: Vec<(u32, Vec<PlacedImage>, TextLayer)> = Vec::new();
    for run in runs {
        let Ok(run) = run else {
            return Err(Error::Internal("a page run stopped without a reason".into()));
        };
        for page in run {
            warnings.extend(page.warnings);
            if page.without_text {
                pages_without_text.push(page.number);
            }
            if !page.scans.is_empty() {
                scanned.push((page.number, page.scans, page.text_layer));
            }
            laid.push((page.blocks, page.height));
        }
    }
    let mut ocr_pages = Vec::new();
    let engine = if scanned.is_empty() { None } else { ocr::Engine::installed() };
    if let Some(engine) = engine {
        // Pages in parallel, one engine thread each, so that one long scan uses every core.
        let read: Vec<(u32, TextLayer, Result<ocr::Recognised, OcrFailure>)> = scanned
            .par_iter()
            .map(|(number, scans, layer)| (*number, *layer, read_scans(engine, &doc, scans, &budget)))
            .collect();
        for (number, layer, result) in read {
            match result {
                Ok(recognised) => {
                    let Some(slot) = laid.get_mut(number as usize - 1) else { continue };
                    budget.check_time().map_err(|_| budget.timeout_error())?;
                    let mean_confidence = recognised.mean_confidence() as f32;
                    if !ocr_replaces(options.ocr, layer, mean_confidence) {
                        warnings.push(format!(
                            "page {number}: OCR read the scan at a mean confidence of {mean_confidence:.0} \
                             (under {MIN_CONFIDENCE_OVER_TEXT:.0}): the page's own text is kept"
                        ));
                        continue;
                    }
                    let words = recognised.words;
                    slot.0 = layout::layout_page(recognised.glyphs);
                    ocr_pages.push(OcrPage { number, words, mean_confidence });
                }
                Err(OcrFailure::Timeout) => return Err(budget.timeout_error()),
                Err(OcrFailure::Page(reason)) => {
                    warnings.push(format!("page {number}: not read by OCR: {reason}"))
                }
            }
        }
    }
    budget.check_time().map_err(|_| budget.timeout_error())?;
    Ok(Document {
        format: SourceFormat::Pdf,
        pages: clean::clean_pages(laid),
        pages_without_text,
        ocr_pages,
        ocr_engine: engine.map(ocr::Engine::describe),
        warnings,
    })
}

/// Why a scanned page gave no text.
enum OcrFailure {
    /// The file's time is up.
    Timeout,
    Page(String),
}

/// Decode a page's scanned images and read them, their words placed on the page.
fn read_scans(
    engine: &ocr::Engine,
    doc: &PdfDocument,
    scans: &[PlacedImage],
    budget: &Budget,
) -> Result<ocr::Recognised, OcrFailure> {
    let mut all = ocr::Recognised::default();
    for placed in scans {
        budget.check().map_err(|_| OcrFailure::Timeout)?;
        let image = images::decode(doc, placed, budget).map_err(OcrFailure::Page)?;
        let recognised =
            ocr::recognise(engine, &image, &placed.ctm, budget.deadline()).map_err(|e| match e {
                ocr::OcrError::Timeout => OcrFailure::Timeout,
                other => OcrFailure::Page(other.to_string()),
            })?;
        all.glyphs.extend(recognised.glyphs);
        all.words += recognised.words;
        all.confidence_sum += recognised.confidence_sum;
    }
    Ok(all)
}

/// The images of a page that OCR should read, by `mode`, and what the page's own text layer is
/// worth: the images covering at least [`MIN_SCAN_SHARE`] of the page, when the text layer is not
/// [`TextLayer::Usable`] (`Auto`) or whatever it is (`Always`).
fn scans_to_read(
    mode: OcrMode,
    glyphs: &[layout::Glyph],
    placed: Vec<PlacedImage>,
    page_area: f32,
) -> (Vec<PlacedImage>, TextLayer) {
    let area = |p: &PlacedImage| {
        let [a, b, c, d, ..] = p.ctm.coefficients();
        (a * d - b * c).abs()
    };
    let scans: Vec<PlacedImage> =
        placed.into_iter().filter(|p| area(p) >= MIN_SCAN_SHARE * page_area).collect();
    let layer = text_layer(glyphs, scans.iter().map(area).sum::<f32>() / page_area);
    let wanted = match mode {
        OcrMode::Never => false,
        OcrMode::Always => true,
        OcrMode::Auto => layer != TextLayer::Usable,
    };
    (if wanted { scans } else { Vec::new() }, layer)
}

/// What a page's own text layer is worth beside the scans on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextLayer {
    /// No text, or mostly unmapped glyphs (U+FFFD): OCR's reading is all there is.
    Unusable,
    /// Mapped text, but no more than a stamp's worth of letters over a scan that covers most of the
    /// page: OCR is likely to read more, but the layer is the page's own text.
    Thin,
    Usable,
}

/// An image smaller than this share of its page is a logo or a figure, not a scanned page.
const MIN_SCAN_SHARE: f32 = 0.1;
/// A page that is mostly a scan with fewer letters than this has no text layer to speak of (a stamped
/// page number or file name is not one).
const MIN_TEXT_LETTERS: usize = 20;

/// OCR's reading of a page replaces a [`TextLayer::Thin`] text layer only at this mean confidence
/// (0–100) or more. Tesseract reads the OCR test sets' clean and degraded scans of Swedish prose at
/// 93–96 a page and the real scans of `../shared/realworld` at 89–94; a reading under 70 is mostly
/// misread words, and a thin layer that is the page's own text (a date, a heading over a photograph)
/// says more than they do.
const MIN_CONFIDENCE_OVER_TEXT: f32 = 70.0;

/// Whether OCR's reading, at this mean confidence, takes the place of the page's text layer: with
/// `--ocr always` it does, as asked; else a thin layer gives way only to a confident reading.
fn ocr_replaces(mode: OcrMode, layer: TextLayer, mean_confidence: f32) -> bool {
    mode == OcrMode::Always || layer != TextLayer::Thin || mean_confidence >= MIN_CONFIDENCE_OVER_TEXT
}

/// What a page's text layer is worth: it is usable when it has text, not mostly unmapped glyphs
/// (U+FFFD), and, when scans cover most of the page, more than a stamp's worth of letters.
fn text_layer(glyphs: &[layout::Glyph], scan_share: f32) -> TextLayer {
    let (mut letters, mut unmapped) = (0usize, 0usize);
    for c in glyphs.iter().flat_map(|g| g.text.chars()) {
        if c == '\u{fffd}' {
            unmapped += 1;
        } else if c.is_alphanumeric() {
            letters += 1;
        }
    }
    if letters == 0 || unmapped >= letters {
        TextLayer::Unusable
    } else if scan_share >= 0.5 && letters < MIN_TEXT_LETTERS {
        TextLayer::Thin
    } else {
        TextLayer::Usable
    }
}

/// How many pages one parallel task reads.
const PAGES_PER_RUN: usize = 32;

/// One page's laid-out text and what went wrong on it.
struct PageText {
    number: u32,
    blocks: Vec<LaidBlock>,
    /// Page height in points, after rotation.
    height: f32,
    /// Images but no text: a scanned page.
    without_text: bool,
    /// The images OCR is to read ([`OcrMode`]).
    scans: Vec<PlacedImage>,
    text_layer: TextLayer,
    warnings: Vec<String>,
}

/// Decode, interpret and lay out one page.
fn read_page(
    interpreter: &mut Interpreter<'_>,
    doc: &PdfDocument,
    page: &PageRef<'_>,
    number: u32,
    ocr_mode: OcrMode,
    budget: &Budget,
) -> Result<PageText, Stop> {
    let mut warnings = Vec::new();
    let mut content = Vec::new();
    for c in &page.contents {
        if let Object::Stream(s) = deref(doc, c) {
            match decoded(s, budget) {
                Ok(data) => {
                    content.extend_from_slice(&data);
                    content.push(b'\n');
                }
                Err(DecodeError::TooLarge) => return Err(Stop::StreamTooLarge),
                Err(DecodeError::Budget) => return Err(Stop::DecodedBytes),
                Err(DecodeError::ParserPanicked) => return Err(Stop::ParserPanicked),
                Err(e) => warnings.push(format!("page {number}: a content stream cannot be decoded ({e})")),
            }
        }
        if content.len() > MAX_STREAM_BYTES {
            return Err(Stop::StreamTooLarge);
        }
    }
    let base = page_matrix(page);
    let annotations = annots::collect(doc, page.annots, base);
    if annotations.skipped > 0 {
        warnings.push(format!(
            "page {number}: {} annotations past the first {} were not read",
            annotations.skipped,
            annots::MAX_PAGE_ANNOTATIONS
        ));
    }
    let mut device = PageGlyphs::default();
    let mut stats = RunStats::default();
    interpreter.run_page(&content, page.resources, base, &annotations.overlays, &mut device, &mut stats)?;
    for placed in &annotations.texts {
        annots::show_text(placed, &base, &mut device)?;
    }
    let PageGlyphs { mut glyphs, images, placed, .. } = device;
    // Font streams report neither a spent budget nor a parser panic when read; they are seen here.
    if budget.decoded_exhausted() {
        return Err(Stop::DecodedBytes);
    }
    if budget.parser_panicked() {
        return Err(Stop::ParserPanicked);
    }
    // A form drawn many times repeats its problem; it is said once per page.
    let mut said = HashSet::new();
    for problem in stats.problems {
        if said.insert(problem.clone()) {
            warnings.push(format!("page {number}: {problem}"));
        }
    }
    let mut unmapped: Vec<_> = stats.unmapped.into_iter().collect();
    unmapped.sort();
    for (font, count) in unmapped {
        warnings.push(format!(
            "page {number}: font {font}: {count} glyphs have no Unicode mapping (shown as U+FFFD)"
        ));
    }
    let (mut width, mut height) = (page.crop[2] - page.crop[0], page.crop[3] - page.crop[1]);
    if page.rotate.rem_euclid(180) == 90 {
        std::mem::swap(&mut width, &mut height);
    }
    // Text placed off the visible page (outside the crop box) is not part of what a reader sees.
    let has_text = |glyphs: &[layout::Glyph]| glyphs.iter().any(|g| !g.text.trim().is_empty());
    let shown_text = has_text(&glyphs);
    glyphs.retain(|g| g.x > -g.size && g.x < width + g.size && g.y > -g.size && g.y < height + g.size);
    let without_text = glyphs.is_empty() && images > 0;
    // Text the content shows that comes to nothing is said, never lost in silence.
    if stats.strings_shown > 0 && !has_text(&glyphs) {
        warnings.push(if shown_text {
            format!("page {number}: the content shows text, but all of it lies outside the visible page")
        } else {
            format!(
                "page {number}: the content shows {} strings of text, but they yield no text (no usable \
                 font, or only spaces)",
                stats.strings_shown
            )
        });
    }
    let (scans, text_layer) = scans_to_read(ocr_mode, &glyphs, placed, width * height);
    budget.check_time()?;
    let blocks = layout::layout_page(glyphs);
    budget.check_time()?;
    Ok(PageText { number, blocks, height, without_text, scans, text_layer, warnings })
}

/// Load the document, decrypting it when it opens with the given (or the empty) password, user or owner.
fn open(bytes: &[u8], options: &Options) -> Result<(PdfDocument, Vec<String>), Error> {
    let mut warnings = Vec::new();
    let inline = inline_encrypt_keys(bytes);
    let inline_opened =
        if inline.is_empty() { None } else { open_inline_encrypted(bytes, &inline, options)? };
    let mut doc = match inline_opened {
        Some(doc) => doc,
        None => {
            let load = LoadOptions { password: options.password.clone(), ..LoadOptions::default() };
            let loaded = guarded(|| PdfDocument::load_mem_with_options(bytes, load))
                .ok_or_else(|| Error::Damaged("the PDF parser failed on this file".into()))?;
            match loaded {
                Ok(doc) => doc,
                Err(lopdf::Error::InvalidPassword) | Err(lopdf::Error::Decryption(_)) => {
                    return Err(password_error(options));
                }
                Err(e) => return Err(Error::Damaged(damage_reason(&e))),
            }
        }
    };
    if doc.is_encrypted() {
        // lopdf leaves the document encrypted when no password given opens it.
        return Err(password_error(options));
    }
    if doc.was_encrypted() && options.password.is_none() {
        warnings.push("encrypted (owner password only); opened with the empty user password".to_string());
    }
    if doc.xref_recovery.is_some() {
        warnings.push(
            "xref rebuilt: the cross-reference table was damaged and objects were found by scanning".into(),
        );
    }
    objects::resolve_indirect_filters(&mut doc);
    Ok((doc, warnings))
}

fn password_error(options: &Options) -> Error {
    if options.password.is_some() {
        Error::WrongPassword
    } else {
        Error::PasswordRequired
    }
}

/// Where the file names its encryption dictionary directly (`/Encrypt <<`) instead of by reference: the
/// offsets of those `/Encrypt` keys. Only the trailer (or a cross-reference stream's dictionary) has
/// the key, and in an encrypted file every string and stream is ciphertext, so the plain bytes that
/// match are the key itself.
fn inline_encrypt_keys(bytes: &[u8]) -> Vec<usize> {
    const KEY: &[u8] = b"/Encrypt";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = bytes.get(from..).and_then(|rest| rest.windows(KEY.len()).position(|w| w == KEY)) {
        let start = from + at;
        let after = start + KEY.len();
        let value = bytes[after..].iter().position(|c| !c.is_ascii_whitespace()).map(|p| after + p);
        if value.is_some_and(|v| bytes.get(v..v + 2) == Some(b"<<".as_slice())) {
            found.push(start);
        }
        from = after;
    }
    found
}

/// Open a file whose `/Encrypt` is a direct dictionary, which lopdf 0.47 does not recognise (it looks the
/// key up as a reference only, so the right password is refused and no password reads ciphertext).
/// The key is renamed in a copy of the bytes (same length, so every offset holds), lopdf loads the
/// objects undecrypted, the dictionary becomes an object of its own, and lopdf's own decryption (RC4,
/// AES-128, AES-256 R5/R6; user or owner password) runs over the document. `None` when the trailer turns
/// out to have no such key (the bytes matched elsewhere): the file is then loaded as it is.
fn open_inline_encrypted(
    bytes: &[u8],
    keys: &[usize],
    options: &Options,
) -> Result<Option<PdfDocument>, Error> {
    const HIDDEN: &[u8] = b"/Encryp_";
    let mut renamed = bytes.to_vec();
    for &at in keys {
        renamed[at..at + HIDDEN.len()].copy_from_slice(HIDDEN);
    }
    let loaded = guarded(|| PdfDocument::load_mem_with_options(&renamed, LoadOptions::default()))
        .ok_or_else(|| Error::Damaged("the PDF parser failed on this file".into()))?;
    let Ok(mut doc) = loaded else { return Ok(None) };
    let Some(Object::Dictionary(encrypt)) = doc.trailer.remove(&HIDDEN[1..]) else { return Ok(None) };
    let id = doc.add_object(Object::Dictionary(encrypt));
    doc.trailer.set("Encrypt", Object::Reference(id));
    let password = options.password.clone().unwrap_or_default();
    match guarded(|| doc.decrypt(&password)) {
        None => Err(Error::Damaged("the PDF parser failed on this file".into())),
        Some(Ok(())) => Ok(Some(doc)),
        // Some objects could not be decrypted (a damaged string): the rest are, as with lopdf's own load.
        Some(Err(_)) if !doc.is_encrypted() => Ok(Some(doc)),
        Some(Err(_)) => Err(password_error(options)),
    }
}

fn damage_reason(e: &lopdf::Error) -> String {
    // lopdf fails to load only when it cannot find (or rebuild) the cross-reference data and the trailer,
    // which is what a truncated download or a damaged file looks like.
    format!("no trailer / page tree: {e}")
}

/// Walk the page tree from the catalog, inheriting Resources, MediaBox, CropBox and Rotate; a node seen
/// twice (a cycle) is skipped with a warning.
fn page_tree<'a>(doc: &'a PdfDocument, warnings: &mut Vec<String>) -> Result<Vec<PageRef<'a>>, Error> {
    let root = doc
        .trailer
        .get(b"Root")
        .ok()
        .map(|r| deref(doc, r))
        .and_then(|o| o.as_dict().ok())
        .and_then(|catalog| catalog.get(b"Pages").ok())
        .ok_or_else(|| Error::Damaged("no trailer / page tree".into()))?;
    let mut pages = Vec::new();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut cycle = false;
    // Explicit stack instead of recursion: a hostile tree must not overflow the call stack.
    // Each entry: the node and the attributes it inherits.
    type Inherited<'a> = (Option<&'a Dictionary>, Option<[f32; 4]>, Option<[f32; 4]>, i64);
    let mut stack: Vec<(&Object, Inherited<'a>)> = vec![(root, (None, None, None, 0))];
    while let Some((node_ref, inherited)) = stack.pop() {
        if let Object::Reference(id) = node_ref {
            if !seen.insert(*id) {
                cycle = true;
                continue;
            }
        }
        let Ok(node) = deref(doc, node_ref).as_dict() else { continue };
        let resources = dict_get(doc, node, b"Resources").and_then(|o| o.as_dict().ok()).or(inherited.0);
        let media = dict_get(doc, node, b"MediaBox").and_then(rect).or(inherited.1);
        let crop = dict_get(doc, node, b"CropBox").and_then(rect).or(inherited.2);
        let rotate = dict_get(doc, node, b"Rotate").and_then(|o| o.as_i64().ok()).unwrap_or(inherited.3);
        let is_pages = node.get(b"Kids").is_ok() && !node.has_type(b"Page");
        if is_pages {
            if let Some(Object::Array(kids)) = dict_get(doc, node, b"Kids") {
                for kid in kids.iter().rev() {
                    stack.push((kid, (resources, media, crop, rotate)));
                }
            }
            continue;
        }
        let contents = match node.get(b"Contents").ok().map(|c| (c, deref(doc, c))) {
            Some((_, Object::Array(items))) => items.iter().collect(),
            Some((c, _)) => vec![c],
            None => Vec::new(),
        };
        let media = media.unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let crop = crop.map_or(media, |c| intersect(c, media));
        let annots = node.get(b"Annots").ok();
        pages.push(PageRef { resources, contents, annots, crop, rotate });
    }
    if cycle {
        warnings.push("cycle in page tree: a page tree node lists itself; it was read once".into());
    }
    if pages.is_empty() {
        return Err(Error::Damaged("no pages in the page tree".into()));
    }
    Ok(pages)
}

fn rect(obj: &Object) -> Option<[f32; 4]> {
    let a = obj.as_array().ok()?;
    if a.len() < 4 {
        return None;
    }
    let v: Vec<f32> = a.iter().take(4).filter_map(number).collect();
    if v.len() < 4 || v.iter().any(|n| !n.is_finite()) {
        return None;
    }
    Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

fn intersect(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    let r = [a[0].max(b[0]), a[1].max(b[1]), a[2].min(b[2]), a[3].min(b[3])];
    if r[0] < r[2] && r[1] < r[3] {
        r
    } else {
        b
    }
}

/// User space → output space: origin at the crop box's lower left corner, page turned upright by /Rotate.
fn page_matrix(page: &PageRef<'_>) -> Matrix {
    let [x0, y0, x1, y1] = page.crop;
    let (w, h) = (x1 - x0, y1 - y0);
    let shift = Matrix::translate(-x0, -y0);
    let turn = match page.rotate.rem_euclid(360) {
        90 => Matrix::new([0.0, -1.0, 1.0, 0.0, 0.0, w]),
        180 => Matrix::new([-1.0, 0.0, 0.0, -1.0, w, h]),
        270 => Matrix::new([0.0, 1.0, -1.0, 0.0, h, 0.0]),
        _ => Matrix::IDENTITY,
    };
    shift.then(&turn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str) -> Vec<layout::Glyph> {
        let mut letter = [0u8; 4];
        text.chars().map(|c| layout::Glyph::plain(c.encode_utf8(&mut letter), 0.0, 0.0, 10.0)).collect()
    }

    #[test]
    fn a_text_layer_is_usable_unless_empty_unmapped_or_a_stamp_on_a_scan() {
        let prose = "Kommunerna arbetar med jämställdhet i verksamheten";
        assert_eq!(
            text_layer(&glyphs(prose), 1.0),
            TextLayer::Usable,
            "prose over a scan: a searchable scan"
        );
        assert_eq!(text_layer(&glyphs(""), 0.0), TextLayer::Unusable, "no text");
        assert_eq!(
            text_layer(&glyphs("\u{fffd}\u{fffd}\u{fffd}ab"), 0.0),
            TextLayer::Unusable,
            "mostly unmapped"
        );
        assert_eq!(
            text_layer(&glyphs("Sida 3"), 0.9),
            TextLayer::Thin,
            "a stamped page number over a full-page scan"
        );
        assert_eq!(
            text_layer(&glyphs("Sida 3"), 0.2),
            TextLayer::Usable,
            "a short page beside a small figure"
        );
    }

    #[test]
    fn a_thin_text_layer_gives_way_only_to_a_confident_ocr_reading() {
        let auto = OcrMode::Auto;
        assert!(ocr_replaces(auto, TextLayer::Thin, 94.0), "a clean scan under a stamped page number");
        assert!(
            !ocr_replaces(auto, TextLayer::Thin, 58.0),
            "misread words do not replace the page's own text"
        );
        assert!(
            ocr_replaces(auto, TextLayer::Unusable, 30.0),
            "with no text of its own, a poor reading is all there is"
        );
        // `--ocr always` asks for the reading, whatever the page's own text.
        assert!(ocr_replaces(OcrMode::Always, TextLayer::Thin, 30.0));
        assert!(ocr_replaces(OcrMode::Always, TextLayer::Usable, 30.0));
    }
}

//! The content-stream interpreter: runs a page's text and graphics-state operators and emits one
//! [`Glyph`] per shown code, placed in page space.
//!
//! It follows the text state of PDF 32000-1 §9.3–9.4 (Tc, Tw, Tz, TL, Ts, Tm, Td, TD, T*, TJ, ', ") and
//! the graphics state (`cm`, `q`/`Q`), runs Form XObjects recursively (depth- and cycle-guarded), and
//! skips `/Artifact` marked content that the producer marks as pagination (running headers, footers,
//! page numbers). It never decides about words or lines: that is the layout's job.
//!
//! Glyphs go to a [`Device`] (the one interface to the layout stage, see `device`); the page's
//! annotation appearances run after its content, in the same run, so they spend the same budgets.
//!
//! Whatever the content, a page costs at most [`MAX_PAGE_OPERATIONS`] operations (its forms' and
//! annotations' included), `MAX_PAGE_GLYPHS` glyphs (counted by the device) and
//! [`MAX_PAGE_FORM_CALLS`] form calls: past one the page stops with a [`Stop`]. A form's stream is
//! decoded once per interpreter and then reused, however often it is drawn. lopdf's content parser runs
//! through [`guarded`]; the interpreter's own code is never inside `catch_unwind`. Content streams
//! pass through `lenient` first, and one that lopdf's parser stops reading early is reported.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use compact_str::CompactString;
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::budget::{Budget, Stop, MAX_PAGE_FORM_CALLS, MAX_PAGE_OPERATIONS};
use super::device::Device;
use super::font::{Code, Font};
use super::images::{self, PlacedImage};
use super::lenient::lenient_content;
use super::objects::{decoded, deref, dict_get, guarded, number, DecodeError};
use crate::extract::layout::Glyph;

/// Form XObjects nested deeper than this are not run (real files nest two or three levels).
const MAX_FORM_DEPTH: usize = 12;
/// Character spacing (Tc) up to this many em is tracking, counted into each glyph's width; more is a
/// gap between the glyphs.
const MAX_TRACKING: f32 = 1.0;

/// PDF's matrices are the layout's affine maps.
pub(crate) type Matrix = crate::extract::layout::Affine;

/// A matrix from six number operands (`cm`, `Tm`) or array items (`/Matrix`); `None` unless all six are
/// finite numbers.
pub(crate) fn matrix_from(ops: &[Object]) -> Option<Matrix> {
    if ops.len() < 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, o) in m.iter_mut().zip(ops) {
        *slot = number(o)?;
    }
    m.iter().all(|v| v.is_finite()).then_some(Matrix::new(m))
}

#[derive(Clone)]
struct TextState {
    font: Option<Arc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
}

#[derive(Clone)]
struct GraphicsState {
    ctm: Matrix,
    text: TextState,
}

/// What a run over a page produced besides glyphs.
#[derive(Debug, Default)]
pub(crate) struct RunStats {
    /// Glyphs whose font maps them to no text, by font name.
    pub unmapped: HashMap<String, usize>,
    /// Non-empty strings shown by text-showing operators outside pagination artifacts (with or without a
    /// usable font), to tell a page whose text was lost from a page that has none.
    pub strings_shown: usize,
    /// Problems that stopped part of the page (a broken Form XObject, an undecodable stream).
    pub problems: Vec<String>,
}

/// Operations between two looks at the clock (a look costs about as much as a few operations).
const OPERATIONS_PER_CLOCK_CHECK: usize = 4096;

/// Where a font resource is: an object of its own, or a dictionary written inside a resource dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FontKey {
    Object(ObjectId),
    Inline(usize),
}

/// Runs content streams against one document, caching fonts and forms across pages.
pub(crate) struct Interpreter<'a> {
    doc: &'a Document,
    budget: &'a Budget,
    /// Each font loaded once, however often a content stream selects it.
    fonts: HashMap<FontKey, Arc<Font>>,
    /// Each Form XObject's decoded stream and what parsing it found, by object: a form drawn a million
    /// times is decoded and checked once.
    forms: HashMap<ObjectId, Arc<FormContent>>,
}

/// A Form XObject's content, decoded once.
struct FormContent {
    /// The decoded stream and its number of operations, or the problem that stops the form being run.
    content: Result<(Vec<u8>, usize), String>,
    /// Why the form cannot be read to its end (lopdf's parser stopped early), said each time it is drawn.
    truncated: Option<String>,
}

/// The problem of a content stream that lopdf's parser read only `parsed` of `operators` operations of.
fn truncated(parsed: usize, operators: usize) -> String {
    format!(
        "a content stream has a syntax error after operation {parsed} of {operators}; the rest of it is \
         skipped"
    )
}

struct Run<'r> {
    device: &'r mut dyn Device,
    stats: &'r mut RunStats,
    forms: Vec<ObjectId>,
    /// Work done on the page so far, against its budget.
    operations: usize,
    form_calls: usize,
    /// An /ActualText span is open (in this stream or one that called it): inner spans are ignored.
    actual_open: bool,
}

/// An appearance drawn on the page after its content (an annotation's `/AP /N` form), with the matrix
/// that maps the form's space (after its own `/Matrix`) to the page's output space.
pub(crate) struct Overlay<'a> {
    pub stream: &'a lopdf::Stream,
    pub id: Option<ObjectId>,
    pub matrix: Matrix,
    /// Resources for an appearance that has none of its own (the form's default resources, `/DR`);
    /// `None`: the page's.
    pub resources: Option<&'a Dictionary>,
}

/// What parsing a content stream found: its operations, counted up to a limit (and kept when there are
/// at most [`KEPT_OPERATIONS`]), or why it cannot be parsed.
enum Parsed {
    Operations(usize, Option<Vec<Operation>>),
    Broken(String),
}

/// Parsed operations kept from the counting pass, so that an ordinary page is parsed once; a longer
/// stream is parsed again as it runs rather than held whole in memory.
const KEPT_OPERATIONS: usize = 100_000;

/// Count the operations of `content`, stopping past `limit`, and keep them when there are at most
/// `keep`. A content stream that does not parse to its end is skipped whole (as `Content::decode`
/// does), so this pass comes before any operation runs.
fn count_operations(content: &[u8], limit: usize, keep: usize) -> Result<Parsed, Stop> {
    // Only lopdf's parser runs under `guarded`: a panic in the counting below is arkiv's and must
    // reach the caller.
    let mut ops = Content::decode_iter(content);
    let mut n = 0;
    let mut kept = (keep > 0).then(Vec::new);
    while let Some(op) = guarded(|| ops.next()).ok_or(Stop::ParserPanicked)? {
        let op = match op {
            Ok(op) => op,
            Err(e) => {
                return Ok(Parsed::Broken(format!(
                    "content stream cannot be parsed ({e}); part of the page is skipped"
                )))
            }
        };
        n += 1;
        if n > limit {
            break;
        }
        if n > keep {
            kept = None;
        }
        if let Some(kept) = &mut kept {
            kept.push(op);
        }
    }
    Ok(Parsed::Operations(n, kept))
}

/// A content stream made lenient (see [`lenient_content`]) and counted by [`count_operations`].
struct Checked<'c> {
    content: Cow<'c, [u8]>,
    parsed: Parsed,
    /// The problem to report when lopdf's parser stopped before the stream's end.
    cut_short: Option<String>,
}

/// Check `content`, keeping up to `keep` of its operations.
fn parse_leniently(content: &[u8], keep: usize) -> Result<Checked<'_>, Stop> {
    let lenient = lenient_content(content);
    let parsed = count_operations(&lenient.data, MAX_PAGE_OPERATIONS, keep)?;
    let cut_short = match &parsed {
        Parsed::Operations(n, _) if *n < lenient.operators => Some(truncated(*n, lenient.operators)),
        _ => None,
    };
    Ok(Checked { content: lenient.data, parsed, cut_short })
}

impl<'a> Interpreter<'a> {
    pub(crate) fn new(doc: &'a Document, budget: &'a Budget) -> Self {
        Interpreter { doc, budget, fonts: HashMap::new(), forms: HashMap::new() }
    }

    /// Run a page's content (already decoded and concatenated) with its resources, then the `overlays`
    /// (annotation appearances) in order, all into `device`; `base` maps user space to the page's output
    /// space (crop box offset and rotation).
    pub(crate) fn run_page(
        &mut self,
        content: &[u8],
        resources: Option<&Dictionary>,
        base: Matrix,
        overlays: &[Overlay<'_>],
        device: &mut dyn Device,
        stats: &mut RunStats,
    ) -> Result<(), Stop> {
        let mut run =
            Run { device, stats, forms: Vec::new(), operations: 0, form_calls: 0, actual_open: false };
        self.run_content(content, resources, base, &mut run)?;
        for overlay in overlays {
            let fallback = overlay.resources.or(resources);
            self.draw_form(overlay.stream, overlay.id, fallback, overlay.matrix, &mut run)?;
        }
        Ok(())
    }

    fn run_content(
        &mut self,
        content: &[u8],
        resources: Option<&Dictionary>,
        base: Matrix,
        run: &mut Run<'_>,
    ) -> Result<(), Stop> {
        let Checked { content, parsed, cut_short } = parse_leniently(content, KEPT_OPERATIONS)?;
        let content = content.as_ref();
        run.stats.problems.extend(cut_short);
        match parsed {
            Parsed::Operations(n, _) if n > MAX_PAGE_OPERATIONS => Err(Stop::Operations),
            Parsed::Operations(_, Some(kept)) => {
                self.run(&mut kept.into_iter().map(Ok), resources, base, run)
            }
            Parsed::Operations(_, None) => self.run(&mut Content::decode_iter(content), resources, base, run),
            Parsed::Broken(problem) => {
                run.stats.problems.push(problem);
                Ok(())
            }
        }
    }

    /// Run the operations of a content stream that [`count_operations`] has found to parse (kept, or
    /// parsed again as they run).
    fn run(
        &mut self,
        ops: &mut dyn Iterator<Item = lopdf::Result<Operation>>,
        resources: Option<&Dictionary>,
        ctm: Matrix,
        run: &mut Run<'_>,
    ) -> Result<(), Stop> {
        let mut stack: Vec<GraphicsState> = Vec::new();
        let mut gs = GraphicsState {
            ctm,
            text: TextState {
                font: None,
                size: 0.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                h_scale: 1.0,
                leading: 0.0,
                rise: 0.0,
            },
        };
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        // Depth of marked content, and the depth at which an /Artifact began (its content is skipped).
        let mut marked_depth = 0usize;
        let mut artifact_at: Option<usize> = None;
        // The depth of the /ActualText span this stream opened (the device holds its text).
        let mut actual: Option<usize> = None;
        let mut codes = Vec::new();
        loop {
            let op = match guarded(|| ops.next()).ok_or(Stop::ParserPanicked)? {
                Some(Ok(op)) => op,
                // Counted beforehand, so an error cannot come; should it, the stream simply ends.
                Some(Err(_)) | None => break,
            };
            run.operations += 1;
            if run.operations > MAX_PAGE_OPERATIONS {
                return Err(Stop::Operations);
            }
            if run.operations.is_multiple_of(OPERATIONS_PER_CLOCK_CHECK) {
                self.budget.check()?;
            }
            let operands = &op.operands;
            let num = |i: usize| operands.get(i).and_then(number).filter(|v| v.is_finite());
            match op.operator.as_str() {
                // Unbalanced q without Q in hostile files must not grow without bound.
                "q" if stack.len() < 4096 => stack.push(gs.clone()),
                "Q" => {
                    if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix_from(operands) {
                        gs.ctm = m.then(&gs.ctm);
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    if let Some(size) = num(1) {
                        gs.text.size = size;
                    }
                    gs.text.font = operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| self.font(resources, name));
                }
                "Tc" => gs.text.char_spacing = num(0).unwrap_or(0.0),
                "Tw" => gs.text.word_spacing = num(0).unwrap_or(0.0),
                "Tz" => gs.text.h_scale = num(0).unwrap_or(100.0) / 100.0,
                "TL" => gs.text.leading = num(0).unwrap_or(0.0),
                "Ts" => gs.text.rise = num(0).unwrap_or(0.0),
                "Td" | "TD" => {
                    let (tx, ty) = (num(0).unwrap_or(0.0), num(1).unwrap_or(0.0));
                    if op.operator == "TD" {
                        gs.text.leading = -ty;
                    }
                    tlm = Matrix::translate(tx, ty).then(&tlm);
                    tm = tlm;
                }
                "Tm" => {
                    if let Some(m) = matrix_from(operands) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -gs.text.leading).then(&tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "\"" {
                        gs.text.word_spacing = num(0).unwrap_or(gs.text.word_spacing);
                        gs.text.char_spacing = num(1).unwrap_or(gs.text.char_spacing);
                    }
                    if op.operator == "'" || op.operator == "\"" {
                        tlm = Matrix::translate(0.0, -gs.text.leading).then(&tlm);
                        tm = tlm;
                    }
                    let skip = artifact_at.is_some();
                    let items: &[Object] = match op.operator.as_str() {
                        "TJ" => {
                            operands.first().and_then(|o| o.as_array().ok()).map_or(&[], |a| a.as_slice())
                        }
                        _ => operands.last().map_or(&[], std::slice::from_ref),
                    };
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                if !bytes.is_empty() && !skip {
                                    run.stats.strings_shown += 1;
                                }
                                codes.clear();
                                if let Some(font) = &gs.text.font {
                                    font.decode(bytes, &mut codes);
                                }
                                for code in &codes {
                                    tm = self.show(code, &gs, tm, skip, run)?;
                                }
                            }
                            other => {
                                if let Some(n) = number(other).filter(|v| v.is_finite()) {
                                    let t = &gs.text;
                                    let shift = -n / 1000.0 * t.size;
                                    let vertical = t.font.as_ref().is_some_and(|f| f.vertical());
                                    tm = if vertical {
                                        Matrix::translate(0.0, shift).then(&tm)
                                    } else {
                                        Matrix::translate(shift * t.h_scale, 0.0).then(&tm)
                                    };
                                }
                            }
                        }
                    }
                }
                "BDC" | "BMC" => {
                    marked_depth += 1;
                    let tag = operands.first().and_then(|o| o.as_name().ok());
                    if tag == Some(b"Artifact".as_slice())
                        && artifact_at.is_none()
                        && self.artifact_is_pagination(resources, operands.get(1))
                    {
                        artifact_at = Some(marked_depth);
                    }
                    if !run.actual_open {
                        if let Some(text) = operands.get(1).and_then(|p| self.actual_text(resources, p)) {
                            actual = Some(marked_depth);
                            run.actual_open = true;
                            run.device.begin_actual_text(text);
                        }
                    }
                }
                "EMC" => {
                    if artifact_at == Some(marked_depth) {
                        artifact_at = None;
                    }
                    if actual == Some(marked_depth) {
                        actual = None;
                        run.actual_open = false;
                        run.device.end_actual_text();
                    }
                    marked_depth = marked_depth.saturating_sub(1);
                }
                "Do" => {
                    if let Some(name) = operands.first().and_then(|o| o.as_name().ok()) {
                        self.draw_xobject(resources, name, &gs, run)?;
                    }
                }
                "BI" | "EI" => run.device.image(None),
                _ => {}
            }
        }
        // A span this stream opened and did not close ends with it (the device's invariant).
        if actual.is_some() {
            run.actual_open = false;
            run.device.end_actual_text();
        }
        Ok(())
    }

    /// Place one glyph and return the text matrix advanced past it.
    fn show(
        &mut self,
        code: &Code,
        gs: &GraphicsState,
        tm: Matrix,
        skip: bool,
        run: &mut Run<'_>,
    ) -> Result<Matrix, Stop> {
        let t = &gs.text;
        let font = match &t.font {
            Some(f) => f,
            None => return Ok(tm),
        };
        let vertical = font.vertical();
        let params = Matrix::new([t.size * t.h_scale, 0.0, 0.0, t.size, 0.0, t.rise]);
        let trm = params.then(&tm).then(&gs.ctm);
        let [a, b, c, d, e, f] = trm.0;
        let spacing = t.char_spacing + if code.is_space { t.word_spacing } else { 0.0 };
        let next = if vertical {
            Matrix::translate(0.0, -(t.size + spacing)).then(&tm)
        } else {
            Matrix::translate((code.width * t.size + spacing) * t.h_scale, 0.0).then(&tm)
        };
        if skip {
            // Every shown code counts, drawn or skipped: the work is the same.
            run.device.hidden_glyph()?;
        } else {
            let text = match &code.text {
                Some(s) => s.clone(),
                None => {
                    *run.stats.unmapped.entry(font.name.clone()).or_insert(0) += 1;
                    CompactString::const_new("\u{fffd}")
                }
            };
            // A space is kept as a one-space glyph: the layout learns from it that a gap is between words
            // of running text (however wide justification made it), not between table cells.
            let text =
                if text.chars().all(char::is_whitespace) { CompactString::const_new(" ") } else { text };
            // Glyph advance on the page, along the text direction. Positive character spacing (Tc) up
            // to an em counts as part of the glyph, so letter-spaced text does not fall apart into
            // one-letter words; word spacing (Tw) does not. Wider spacing is no tracking but a gap (a
            // spreadsheet sets its columns apart with a Tc of several em and takes it back with TJ
            // offsets inside each cell). Negative spacing (tightened type) does not shrink the glyph:
            // it is drawn whole, and the last glyph of a run would otherwise seem to end early, a gap
            // opening before the next run ("Te xt").
            let spacing_em = t.char_spacing / t.size.max(f32::EPSILON);
            let tracking = if spacing_em > 0.0 && spacing_em <= MAX_TRACKING { spacing_em } else { 0.0 };
            let (width, size, baseline) = if vertical {
                // Vertical writing (WMode 1): glyphs advance one em down the text space's y axis, so a
                // column is a line whose baseline points down (Trm's -y). The layout reads such glyphs in
                // a frame of their own, where columns right to left are its lines top to bottom.
                ((1.0 + tracking) * (c * c + d * d).sqrt(), (a * a + b * b).sqrt(), (-c, -d))
            } else {
                ((code.width + tracking) * (a * a + b * b).sqrt(), (c * c + d * d).sqrt(), (a, b))
            };
            run.device.glyph(Glyph {
                text,
                x: e,
                y: f,
                width,
                size,
                bold: font.bold,
                // Direction of the baseline, in quarter turns, for grouping rotated text apart.
                rotation: quarter_turns(baseline.0, baseline.1),
                skew: skew(baseline.0, baseline.1),
                order: 0,
            })?;
        }
        Ok(next)
    }

    /// Whether an /Artifact's properties make it page furniture: a running header, footer or page
    /// number (`/Type /Pagination`, or `/Subtype` Header or Footer; 14.8.2.2). Other artifacts (an
    /// untyped `/Artifact BMC`, layout, background) are kept: producers mark form labels and table
    /// text that way, and every other extractor shows them.
    fn artifact_is_pagination(&self, resources: Option<&Dictionary>, properties: Option<&Object>) -> bool {
        let Some(dict) = properties.and_then(|p| self.properties(resources, p)) else { return false };
        let name = |key: &[u8]| dict_get(self.doc, dict, key).and_then(|o| o.as_name().ok());
        name(b"Type") == Some(b"Pagination".as_slice())
            || matches!(name(b"Subtype"), Some(b"Header" | b"Footer"))
    }

    /// Marked-content properties, inline or named in the resources' /Properties.
    fn properties<'d>(
        &self,
        resources: Option<&'d Dictionary>,
        properties: &'d Object,
    ) -> Option<&'d Dictionary>
    where
        'a: 'd,
    {
        let doc = self.doc;
        match properties {
            Object::Dictionary(d) => Some(d),
            Object::Name(name) => dict_get(doc, resources?, b"Properties")?
                .as_dict()
                .ok()?
                .get(name)
                .ok()
                .map(|o| deref(doc, o))?
                .as_dict()
                .ok(),
            _ => None,
        }
    }

    /// The /ActualText of marked-content properties, inline or named in the resources' /Properties.
    fn actual_text(&self, resources: Option<&Dictionary>, properties: &Object) -> Option<String> {
        let dict = self.properties(resources, properties)?;
        let text = dict_get(self.doc, dict, b"ActualText")?;
        match guarded(|| lopdf::decode_text_string(text)) {
            Some(decoded) => decoded.ok(),
            None => {
                self.budget.note_parser_panic();
                None
            }
        }
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<Arc<Font>> {
        let doc = self.doc;
        let fonts = dict_get(doc, resources?, b"Font")?.as_dict().ok()?;
        let entry = fonts.get(name).ok()?;
        let (key, dict) = match entry {
            Object::Reference(id) => (FontKey::Object(*id), deref(doc, entry).as_dict().ok()?),
            // A font dictionary written inline: its address in the document is stable while the
            // document is borrowed.
            inline => {
                let dict = inline.as_dict().ok()?;
                (FontKey::Inline(std::ptr::from_ref(dict) as usize), dict)
            }
        };
        if let Some(f) = self.fonts.get(&key) {
            return Some(f.clone());
        }
        let font = Arc::new(Font::load(doc, dict, self.budget));
        self.fonts.insert(key, font.clone());
        Some(font)
    }

    fn draw_xobject(
        &mut self,
        resources: Option<&Dictionary>,
        name: &[u8],
        gs: &GraphicsState,
        run: &mut Run<'_>,
    ) -> Result<(), Stop> {
        let doc = self.doc;
        let Some(xobjects) =
            resources.and_then(|r| dict_get(doc, r, b"XObject")).and_then(|o| o.as_dict().ok())
        else {
            return Ok(());
        };
        let Ok(entry) = xobjects.get(name) else { return Ok(()) };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Object::Stream(stream) = deref(doc, entry) else { return Ok(()) };
        match stream.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) {
            Some(b"Image") => run.device.image(id.map(|id| PlacedImage {
                id,
                ctm: gs.ctm,
                colorspace: images::named_colorspace(doc, resources, &stream.dict),
            })),
            Some(b"Form") => self.draw_form(stream, id, resources, gs.ctm, run)?,
            _ => {}
        }
        Ok(())
    }

    /// Run a Form XObject (or an annotation's appearance) whose space maps to the output by its own
    /// `/Matrix` then `ctm`; its resources default to `resources` (those of the content that drew it).
    fn draw_form(
        &mut self,
        stream: &lopdf::Stream,
        id: Option<ObjectId>,
        resources: Option<&Dictionary>,
        ctm: Matrix,
        run: &mut Run<'_>,
    ) -> Result<(), Stop> {
        let doc = self.doc;
        run.form_calls += 1;
        if run.form_calls > MAX_PAGE_FORM_CALLS {
            return Err(Stop::FormCalls);
        }
        if run.forms.len() >= MAX_FORM_DEPTH || id.is_some_and(|id| run.forms.contains(&id)) {
            run.stats
                .problems
                .push("Form XObjects nested too deep or in a cycle; the inner ones are skipped".into());
            return Ok(());
        }
        let form = match id.and_then(|id| self.forms.get(&id)) {
            Some(form) => form.clone(),
            None => {
                let form = Arc::new(self.load_form(stream)?);
                if let Some(id) = id {
                    self.forms.insert(id, form.clone());
                }
                form
            }
        };
        if let Some(problem) = &form.truncated {
            run.stats.problems.push(problem.clone());
        }
        let (content, operations) = match &form.content {
            Ok((content, operations)) => (content, *operations),
            Err(problem) => {
                run.stats.problems.push(problem.clone());
                return Ok(());
            }
        };
        // A form that would pass the page's budget is refused before it runs.
        if run.operations.saturating_add(operations) > MAX_PAGE_OPERATIONS {
            return Err(Stop::Operations);
        }
        let matrix = dict_get(doc, &stream.dict, b"Matrix")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| matrix_from(a))
            .unwrap_or(Matrix::IDENTITY);
        let form_resources =
            dict_get(doc, &stream.dict, b"Resources").and_then(|o| o.as_dict().ok()).or(resources);
        run.forms.push(id.unwrap_or((0, 0)));
        let result = self.run(&mut Content::decode_iter(content), form_resources, matrix.then(&ctm), run);
        run.forms.pop();
        result?;
        Ok(())
    }

    /// Decode a form's stream and check that its content parses, within the budgets.
    fn load_form(&self, stream: &lopdf::Stream) -> Result<FormContent, Stop> {
        let decoded = match decoded(stream, self.budget) {
            Ok(c) => c,
            Err(DecodeError::Budget) => return Err(Stop::DecodedBytes),
            Err(DecodeError::ParserPanicked) => return Err(Stop::ParserPanicked),
            Err(e) => {
                return Ok(FormContent {
                    content: Err(format!("a Form XObject cannot be decoded ({e})")),
                    truncated: None,
                })
            }
        };
        // The form's parsed operations are not kept: a form is parsed as it runs, each time, so that
        // many distinct forms never hold their operations in memory at once.
        let Checked { content: fixed, parsed, cut_short } = parse_leniently(&decoded, 0)?;
        let fixed = match fixed {
            Cow::Owned(fixed) => Some(fixed),
            Cow::Borrowed(_) => None,
        };
        let content = fixed.unwrap_or(decoded);
        Ok(match parsed {
            Parsed::Operations(n, _) => FormContent { truncated: cut_short, content: Ok((content, n)) },
            Parsed::Broken(problem) => FormContent { content: Err(problem), truncated: None },
        })
    }
}

/// The baseline's angle beyond its quarter turn (the one [`quarter_turns`] gives), in radians, within
/// ±45°. Both round a baseline at exactly 45° the same way, so that text set at -45° is not taken
/// for a quarter turn of 0 skewed by +45° (and laid out as a column of letters).
fn skew(a: f32, b: f32) -> f32 {
    if b == 0.0 {
        return 0.0;
    }
    let angle = b.atan2(a);
    let quarter = std::f32::consts::FRAC_PI_2;
    let turned = angle - f32::from(quarter_turns(a, b)) * quarter;
    // Into [-π, π): a quarter turn of 3 is -90°.
    (turned + std::f32::consts::PI).rem_euclid(std::f32::consts::TAU) - std::f32::consts::PI
}

pub(crate) fn quarter_turns(a: f32, b: f32) -> u8 {
    if b == 0.0 && a > 0.0 {
        return 0;
    }
    let angle = b.atan2(a).to_degrees();
    (((angle + 45.0).rem_euclid(360.0)) / 90.0) as u8 % 4
}

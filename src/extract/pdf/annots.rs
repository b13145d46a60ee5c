//! Text that is on the page but outside its content stream: the values of form fields and the text of
//! FreeText and Stamp annotations (PDF 32000-1, 12.5 and 12.7).
//!
//! What is read, per page, in the order of `/Annots`:
//! - a Widget (a form field's visible part): its normal appearance (`/AP /N`, the state `/AS` names
//!   when `/N` holds several); without one, the field's value `/V` (inherited through `/Parent`) for
//!   text and choice fields, set at the top left of `/Rect` in the size `/DA` gives. When the form's
//!   `/NeedAppearances` is true, a viewer builds text and choice fields' appearances anew from `/V`
//!   (12.7.3), so the stored ones may be stale or empty: the value is shown instead;
//! - a FreeText annotation: its normal appearance, or else its `/Contents`;
//! - a Stamp ("APPROVED", a pasted piece of text): its normal appearance only (its `/Contents` is a
//!   reviewer's comment, not on the page).
//!
//! Skipped: annotations flagged Hidden or NoView, Popups, and every other annotation type (links,
//! comments' icons, highlights), whose appearances are not text on the page. An appearance is placed per
//! 12.5.5: its `/BBox`, transformed by its `/Matrix`, is fitted to `/Rect`; it then runs through the
//! interpreter as a form, in the same page run as the content, so the page's budgets cover it. An
//! appearance without `/Resources` uses the field's or the form's `/DR`, then the page's.
//!
//! This module only finds and places; it never interprets a content stream itself. At most
//! [`MAX_PAGE_ANNOTATIONS`] annotations per page are read and every `/Parent` chain is followed at
//! most [`MAX_FIELD_DEPTH`] steps.

use compact_str::CompactString;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::budget::Stop;
use super::device::Device;
use super::interp::{matrix_from, quarter_turns, Matrix, Overlay};
use super::objects::{deref, dict_get, guarded, name_of};
use crate::extract::layout::Glyph;

/// Annotations read on one page; real pages have a few hundred at most (a dense form).
pub(crate) const MAX_PAGE_ANNOTATIONS: usize = 10_000;
/// `/Parent` steps followed to inherit a field's value (real forms nest three or four deep).
const MAX_FIELD_DEPTH: usize = 32;
/// Annotation flags (12.5.3) that keep an annotation off the page: Hidden (bit 2) and NoView (bit 6).
const HIDDEN_FLAGS: i64 = 2 | 32;
/// Font size of a field value whose `/DA` gives none (or 0, "auto").
const DEFAULT_VALUE_SIZE: f32 = 10.0;

/// A field's value or an annotation's text, to be set as plain text inside `rect` (default user space).
pub(crate) struct PlacedText {
    pub text: String,
    pub rect: [f32; 4],
    pub size: f32,
}

/// What the page's annotations add to its text.
#[derive(Default)]
pub(crate) struct PageAnnotations<'a> {
    pub overlays: Vec<Overlay<'a>>,
    pub texts: Vec<PlacedText>,
    /// Annotations beyond [`MAX_PAGE_ANNOTATIONS`], not read.
    pub skipped: usize,
}

/// Find the text-bearing annotations of a page whose `/Annots` is `annots`; `base` maps default user
/// space to the page's output space.
pub(crate) fn collect<'a>(
    doc: &'a Document,
    annots: Option<&'a Object>,
    base: Matrix,
) -> PageAnnotations<'a> {
    let mut found = PageAnnotations::default();
    let Some(Object::Array(items)) = annots.map(|a| deref(doc, a)) else { return found };
    let rebuilt = need_appearances(doc);
    let form_resources = acroform(doc).and_then(|f| dict_get(doc, f, b"DR")).and_then(|o| o.as_dict().ok());
    found.skipped = items.len().saturating_sub(MAX_PAGE_ANNOTATIONS);
    for item in items.iter().take(MAX_PAGE_ANNOTATIONS) {
        let Ok(annot) = deref(doc, item).as_dict() else { continue };
        let subtype = dict_get(doc, annot, b"Subtype").and_then(|o| o.as_name().ok()).unwrap_or_default();
        let stamp = subtype == b"Stamp";
        if subtype != b"Widget" && subtype != b"FreeText" && !stamp {
            continue;
        }
        let flags = dict_get(doc, annot, b"F").and_then(|o| o.as_i64().ok()).unwrap_or(0);
        if flags & HIDDEN_FLAGS != 0 {
            continue;
        }
        let Some(rect) = dict_get(doc, annot, b"Rect").and_then(super::rect) else { continue };
        if rect[2] - rect[0] <= 0.0 || rect[3] - rect[1] <= 0.0 {
            continue;
        }
        let value = if subtype == b"Widget" { field_value(doc, annot) } else { contents(doc, annot) };
        let from_value =
            rebuilt && subtype == b"Widget" && value.as_ref().is_some_and(|v| !v.trim().is_empty());
        if !from_value {
            if let Some((stream, id)) = appearance(doc, annot) {
                if let Some(matrix) = appearance_matrix(doc, stream, rect) {
                    // An appearance without resources of its own uses the field's or the form's default
                    // resources (/DR), as viewers do, before the page's.
                    let resources =
                        inherited(doc, annot, b"DR").and_then(|o| o.as_dict().ok()).or(form_resources);
                    found.overlays.push(Overlay { stream, id, matrix: matrix.then(&base), resources });
                    continue;
                }
            }
        }
        // A stamp is what its appearance draws; its /Contents is a comment, not on the page.
        let text = value.filter(|_| !stamp);
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            let size = inherited(doc, annot, b"DA")
                .and_then(|da| da_size(doc, da))
                .or_else(|| acroform_da(doc).and_then(|da| da_size(doc, da)))
                .filter(|s| *s > 0.0)
                .unwrap_or(DEFAULT_VALUE_SIZE);
            found.texts.push(PlacedText { text, rect, size });
        }
    }
    found
}

/// The normal appearance stream: `/AP /N`, or the state of `/N` that `/AS` names.
fn appearance<'a>(doc: &'a Document, annot: &'a Dictionary) -> Option<(&'a lopdf::Stream, Option<ObjectId>)> {
    let ap = dict_get(doc, annot, b"AP")?.as_dict().ok()?;
    let normal = ap.get(b"N").ok()?;
    let (entry, target) = match deref(doc, normal) {
        Object::Stream(_) => (normal, deref(doc, normal)),
        Object::Dictionary(states) => {
            let state = dict_get(doc, annot, b"AS").and_then(|o| o.as_name().ok());
            let entry = match state {
                Some(state) => states.get(state).ok()?,
                // Without /AS only an unambiguous appearance is drawn.
                None if states.len() == 1 => states.iter().next()?.1,
                None => return None,
            };
            (entry, deref(doc, entry))
        }
        _ => return None,
    };
    let Object::Stream(stream) = target else { return None };
    let id = match entry {
        Object::Reference(id) => Some(*id),
        _ => None,
    };
    Some((stream, id))
}

/// Matrix A of 12.5.5 (the appearance's transformed `/BBox` fitted to `/Rect`), to be applied after the
/// form's own `/Matrix`; `None` when the box is empty.
fn appearance_matrix(doc: &Document, stream: &lopdf::Stream, rect: [f32; 4]) -> Option<Matrix> {
    let bbox = dict_get(doc, &stream.dict, b"BBox").and_then(super::rect)?;
    let form = dict_get(doc, &stream.dict, b"Matrix")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| matrix_from(a))
        .unwrap_or(Matrix::IDENTITY);
    let corners = [(bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])];
    let points: Vec<(f32, f32)> = corners.iter().map(|&(x, y)| form.apply(x, y)).collect();
    let x0 = points.iter().map(|p| p.0).fold(f32::INFINITY, f32::min);
    let x1 = points.iter().map(|p| p.0).fold(f32::NEG_INFINITY, f32::max);
    let y0 = points.iter().map(|p| p.1).fold(f32::INFINITY, f32::min);
    let y1 = points.iter().map(|p| p.1).fold(f32::NEG_INFINITY, f32::max);
    let (w, h) = (x1 - x0, y1 - y0);
    if !(w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()) {
        return None;
    }
    let (sx, sy) = ((rect[2] - rect[0]) / w, (rect[3] - rect[1]) / h);
    Some(Matrix::new([sx, 0.0, 0.0, sy, rect[0] - sx * x0, rect[1] - sy * y0]))
}

/// `key` of the annotation or, for a field, of its nearest ancestor that has it.
fn inherited<'a>(doc: &'a Document, annot: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = annot;
    for _ in 0..MAX_FIELD_DEPTH {
        if let Some(value) = dict_get(doc, node, key) {
            return Some(value);
        }
        node = dict_get(doc, node, b"Parent")?.as_dict().ok()?;
    }
    None
}

/// The value of a text or choice field, as text; buttons' values are states, not text.
fn field_value(doc: &Document, annot: &Dictionary) -> Option<String> {
    let kind = inherited(doc, annot, b"FT").and_then(name_of)?;
    if kind != "Tx" && kind != "Ch" {
        return None;
    }
    match inherited(doc, annot, b"V")? {
        Object::Array(choices) => {
            let texts: Vec<String> = choices.iter().filter_map(|c| text_string(deref(doc, c))).collect();
            Some(texts.join("\n"))
        }
        value => text_string(value),
    }
}

fn contents(doc: &Document, annot: &Dictionary) -> Option<String> {
    text_string(dict_get(doc, annot, b"Contents")?)
}

/// A PDF text string (PDFDocEncoding or UTF-16BE) as text.
fn text_string(obj: &Object) -> Option<String> {
    if !matches!(obj, Object::String(..)) {
        return None;
    }
    guarded(|| lopdf::decode_text_string(obj)).and_then(|r| r.ok())
}

fn acroform(doc: &Document) -> Option<&Dictionary> {
    let catalog = deref(doc, doc.trailer.get(b"Root").ok()?).as_dict().ok()?;
    dict_get(doc, catalog, b"AcroForm")?.as_dict().ok()
}

fn acroform_da(doc: &Document) -> Option<&Object> {
    dict_get(doc, acroform(doc)?, b"DA")
}

/// The interactive form's `/NeedAppearances`: the viewer is to build the fields' appearances.
fn need_appearances(doc: &Document) -> bool {
    acroform(doc)
        .and_then(|form| dict_get(doc, form, b"NeedAppearances"))
        .and_then(|o| o.as_bool().ok())
        .unwrap_or(false)
}

/// The font size of a default appearance string (`/Helv 12 Tf 0 g`): the operand before `Tf`.
fn da_size(doc: &Document, da: &Object) -> Option<f32> {
    let Object::String(bytes, _) = deref(doc, da) else { return None };
    let text = String::from_utf8_lossy(bytes);
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let at = words.iter().rposition(|w| *w == "Tf")?;
    words.get(at.checked_sub(1)?)?.parse::<f32>().ok().filter(|s| s.is_finite())
}

/// Emit `placed` as glyphs, one per character, line by line from the top left of its rectangle (two
/// points in), each half an em wide: a value has no font program to measure it by, and the layout only
/// needs its words in order and apart.
pub(crate) fn show_text(placed: &PlacedText, base: &Matrix, device: &mut dyn Device) -> Result<(), Stop> {
    let [x0, y0, _, y1] = placed.rect;
    let size = placed.size.min(y1 - y0).max(1.0);
    let lines: Vec<&str> = placed.text.split(['\r', '\n']).collect();
    // One line sits in the middle of its box, as a single-line field draws it; more run down from the top.
    let first = if lines.len() == 1 { y0 + (y1 - y0 - size) / 2.0 + 0.2 * size } else { y1 - 2.0 - size };
    let [a, b, ..] = base.coefficients();
    let rotation = quarter_turns(a, b);
    for (k, line) in lines.iter().enumerate() {
        let y = first - k as f32 * size * 1.2;
        let mut x = x0 + 2.0;
        for c in line.chars() {
            let (px, py) = base.apply(x, y);
            let text = if c.is_whitespace() {
                CompactString::const_new(" ")
            } else {
                CompactString::from(c.encode_utf8(&mut [0; 4]) as &str)
            };
            device.glyph(Glyph {
                text,
                x: px,
                y: py,
                width: size * 0.5,
                size,
                bold: false,
                rotation,
                skew: 0.0,
                order: 0,
            })?;
            x += size * 0.5;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_is_the_operand_before_tf() {
        let doc = Document::new();
        let da = Object::string_literal("/Helv 9.5 Tf 0 g");
        assert_eq!(da_size(&doc, &da), Some(9.5));
        assert_eq!(da_size(&doc, &Object::string_literal("0 g")), None);
    }

    #[test]
    fn an_appearance_box_is_fitted_to_the_rectangle() {
        let mut doc = Document::new();
        let stream = lopdf::Stream::new(
            lopdf::dictionary! { "BBox" => vec![0.into(), 0.into(), 100.into(), 20.into()] },
            Vec::new(),
        );
        let id = doc.add_object(stream);
        let Ok(Object::Stream(stream)) = doc.get_object(id) else { panic!("no stream") };
        let m = appearance_matrix(&doc, stream, [50.0, 700.0, 250.0, 740.0]).expect("matrix");
        assert_eq!(m.apply(0.0, 0.0), (50.0, 700.0));
        assert_eq!(m.apply(100.0, 20.0), (250.0, 740.0));
    }
}

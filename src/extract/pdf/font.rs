//! Fonts: how the bytes of a shown string split into codes, what text each code stands for, and how far
//! each glyph advances.
//!
//! Unicode is looked up in the order the PDF specification gives (32000-1, 9.10.2): the `/ToUnicode`
//! CMap first, then for simple fonts the encoding (`/BaseEncoding` + `/Differences`) through the Adobe
//! Glyph List. A code that maps to nothing is reported as unmapped and counted; it never becomes
//! guessed text. Widths come from `/Widths`, `/W` + `/DW`, or the standard 14 metrics.

use std::collections::HashMap;

use compact_str::CompactString;
use lopdf::{Dictionary, Document, Object};

use super::budget::Budget;
use super::cmap::CMap;
use super::encoding::{self, BaseEncoding};
use super::objects::{deref, dict_get, name_of, number, stream_data};

/// One code decoded from a string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Code {
    /// The text this glyph stands for; `None` when the font maps it to nothing.
    pub text: Option<CompactString>,
    /// Horizontal advance in text space units (already scaled from glyph space), before Tc/Tw/Tz.
    pub width: f32,
    /// A single-byte code 32, to which word spacing (Tw) applies.
    pub is_space: bool,
}

#[derive(Debug)]
enum Kind {
    /// Type1, TrueType, MMType1, Type3: one byte per code.
    Simple { text: Box<[Option<CompactString>; 256]>, widths: Box<[f32; 256]> },
    /// Type0 with a CIDFont: codes per the encoding CMap, widths by CID.
    Composite { encoding: Option<Box<CMap>>, widths: HashMap<u32, f32>, default_width: f32, vertical: bool },
}

/// A font resolved from its dictionary, ready to decode strings.
#[derive(Debug)]
pub(crate) struct Font {
    pub name: String,
    pub bold: bool,
    kind: Kind,
    to_unicode: Option<CMap>,
    /// Glyph space → text space (1/1000 for all but Type3, which gives its own FontMatrix).
    scale: f32,
}

impl Font {
    /// Resolve a font dictionary. Never fails: missing parts fall back to defaults, so that text can
    /// still be placed even when it cannot all be mapped.
    pub(crate) fn load(doc: &Document, dict: &Dictionary, budget: &Budget) -> Font {
        let subtype = dict_get(doc, dict, b"Subtype").and_then(name_of).unwrap_or_default();
        let base_font = dict_get(doc, dict, b"BaseFont").and_then(name_of).unwrap_or_default();
        let to_unicode = dict_get(doc, dict, b"ToUnicode")
            .and_then(|o| stream_data(doc, o, budget))
            .map(|data| CMap::parse(&data))
            .filter(|c| !c.is_empty());
        let mut descriptor = dict_get(doc, dict, b"FontDescriptor").and_then(|o| o.as_dict().ok());
        let scale = if subtype == "Type3" {
            dict_get(doc, dict, b"FontMatrix")
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first().and_then(number))
                .unwrap_or(0.001)
        } else {
            0.001
        };
        let kind = if subtype == "Type0" {
            let descendant = dict_get(doc, dict, b"DescendantFonts")
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(|o| deref(doc, o).as_dict().ok());
            if let Some(d) = descendant {
                descriptor =
                    descriptor.or_else(|| dict_get(doc, d, b"FontDescriptor").and_then(|o| o.as_dict().ok()));
            }
            let (encoding, vertical) = match dict_get(doc, dict, b"Encoding") {
                Some(Object::Name(n)) => (None, n.ends_with(b"-V")),
                Some(o) => {
                    let cmap = stream_data(doc, o, budget).map(|data| Box::new(CMap::parse(&data)));
                    (cmap, false)
                }
                None => (None, false),
            };
            let default_width =
                descendant.and_then(|d| dict_get(doc, d, b"DW")).and_then(number).unwrap_or(1000.0);
            let widths = descendant
                .and_then(|d| dict_get(doc, d, b"W"))
                .and_then(|o| o.as_array().ok())
                .map(|w| cid_widths(doc, w))
                .unwrap_or_default();
            Kind::Composite { encoding, widths, default_width, vertical }
        } else {
            simple_kind(doc, dict, &subtype, &base_font, descriptor)
        };
        let flags =
            descriptor.and_then(|d| dict_get(doc, d, b"Flags")).and_then(number).unwrap_or(0.0) as u32;
        let weight = descriptor.and_then(|d| dict_get(doc, d, b"FontWeight")).and_then(number).unwrap_or(0.0);
        let lower = base_font.to_ascii_lowercase();
        let bold = ["bold", "black", "heavy", "semibold", "demi"].iter().any(|w| lower.contains(w))
            || weight >= 600.0
            || flags & (1 << 18) != 0;
        Font { name: base_font, bold, kind, to_unicode, scale }
    }

    /// Split `bytes` into codes.
    pub(crate) fn decode(&self, bytes: &[u8], out: &mut Vec<Code>) {
        match &self.kind {
            Kind::Simple { text, widths } => {
                for &b in bytes {
                    let mapped = self.to_unicode.as_ref().and_then(|c| c.lookup(b as u32, 1));
                    out.push(Code {
                        text: mapped.or_else(|| text[b as usize].clone()),
                        width: widths[b as usize] * self.scale,
                        is_space: b == 32,
                    });
                }
            }
            Kind::Composite { encoding, widths, default_width, .. } => {
                let mut i = 0;
                while i < bytes.len() {
                    let len = encoding
                        .as_ref()
                        .and_then(|c| c.code_length(&bytes[i..]))
                        .or_else(|| self.to_unicode.as_ref().and_then(|c| c.code_length(&bytes[i..])))
                        .unwrap_or(2)
                        .clamp(1, 4)
                        .min(bytes.len() - i);
                    let code = bytes[i..i + len].iter().fold(0u32, |acc, &b| acc << 8 | b as u32);
                    i += len;
                    let cid = encoding.as_ref().and_then(|c| c.cid(code, len as u8)).unwrap_or(code);
                    let text = self.to_unicode.as_ref().and_then(|c| c.lookup(code, len as u8));
                    let width = widths.get(&cid).copied().unwrap_or(*default_width) * self.scale;
                    out.push(Code { text, width, is_space: len == 1 && code == 32 });
                }
            }
        }
    }

    /// Vertical writing mode (Identity-V): glyphs advance downwards.
    pub(crate) fn vertical(&self) -> bool {
        matches!(self.kind, Kind::Composite { vertical: true, .. })
    }
}

fn simple_kind(
    doc: &Document,
    dict: &Dictionary,
    subtype: &str,
    base_font: &str,
    descriptor: Option<&Dictionary>,
) -> Kind {
    let symbolic_standard = {
        let n = base_font.to_ascii_lowercase();
        n.contains("symbol") || n.contains("dingbats")
    };
    let default_base = if symbolic_standard {
        BaseEncoding::Symbol
    } else if subtype == "Type1" || subtype == "MMType1" || subtype == "Type3" {
        BaseEncoding::Standard
    } else {
        BaseEncoding::WinAnsi
    };
    let mut names: [Option<String>; 256] = std::array::from_fn(|_| None);
    let fill_base = |names: &mut [Option<String>; 256], base: BaseEncoding| {
        for (slot, name) in names.iter_mut().zip(base.names()) {
            *slot = name.map(str::to_string);
        }
    };
    let mut used_base = default_base;
    match dict_get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => {
            used_base = BaseEncoding::from_name(n).unwrap_or(default_base);
            fill_base(&mut names, used_base);
        }
        Some(Object::Dictionary(enc)) => {
            let base = dict_get(doc, enc, b"BaseEncoding")
                .and_then(|o| o.as_name().ok())
                .and_then(BaseEncoding::from_name)
                .unwrap_or(default_base);
            used_base = base;
            fill_base(&mut names, base);
            if let Some(Object::Array(diffs)) = dict_get(doc, enc, b"Differences") {
                let mut code = 0usize;
                for item in diffs {
                    match deref(doc, item) {
                        Object::Integer(n) => code = (*n).clamp(0, 255) as usize,
                        Object::Name(name) => {
                            if code < 256 {
                                names[code] = Some(String::from_utf8_lossy(name).into_owned());
                            }
                            code += 1;
                        }
                        _ => {}
                    }
                }
            }
        }
        _ => fill_base(&mut names, default_base),
    }
    let soft_hyphen_at_ad = used_base == BaseEncoding::WinAnsi;
    let text: [Option<CompactString>; 256] = std::array::from_fn(|i| {
        if i == 0xad && soft_hyphen_at_ad && names[i].as_deref() == Some("hyphen") {
            // WinAnsi's 0xAD is the soft hyphen (a break opportunity), not a hyphen.
            return Some(CompactString::const_new("\u{ad}"));
        }
        names[i].as_deref().and_then(encoding::glyph_name_to_text).map(CompactString::from)
    });
    let first_char = dict_get(doc, dict, b"FirstChar").and_then(number).unwrap_or(0.0).max(0.0) as usize;
    let missing = descriptor.and_then(|d| dict_get(doc, d, b"MissingWidth")).and_then(number);
    let mut widths = [f32::NAN; 256];
    if let Some(Object::Array(ws)) = dict_get(doc, dict, b"Widths") {
        for (k, w) in ws.iter().enumerate() {
            if let (Some(slot), Some(w)) = (widths.get_mut(first_char + k), number(deref(doc, w))) {
                *slot = w;
            }
        }
    }
    for (code, w) in widths.iter_mut().enumerate() {
        if w.is_nan() {
            *w = names[code]
                .as_deref()
                .and_then(|n| encoding::standard_width(base_font, n))
                .or(missing)
                // Neither widths nor metrics: half an em keeps glyphs apart, so words still form.
                .unwrap_or(500.0);
        }
    }
    Kind::Simple { text: Box::new(text), widths: Box::new(widths) }
}

/// Width entries the ranges of one CIDFont's `/W` array may set, in total.
const MAX_CID_WIDTHS: usize = 4 * 65_536;

/// The `/W` array of a CIDFont: `c [w1 w2 ...]` and `c_first c_last w` entries.
fn cid_widths(doc: &Document, w: &[Object]) -> HashMap<u32, f32> {
    let mut out = HashMap::new();
    // Entries set by ranges so far (one range may set the same CIDs as another).
    let mut work = 0usize;
    let mut i = 0;
    while i < w.len() {
        let Some(first) = number(deref(doc, &w[i])) else { break };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = number(deref(doc, v)) {
                        out.insert(first + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(v)) = (number(last), w.get(i + 2).and_then(|o| number(deref(doc, o))))
                else {
                    break;
                };
                // A hostile range must not allocate without bound, nor many ranges together: CIDs run
                // to 65,535, so a font never needs more entries than a few times that.
                let last = (last.max(0.0) as u32).min(first.saturating_add(65_535));
                work += (last.saturating_sub(first) as usize) + 1;
                if work > MAX_CID_WIDTHS {
                    break;
                }
                for cid in first..=last {
                    out.insert(cid, v);
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

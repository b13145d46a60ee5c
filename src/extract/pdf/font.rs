//! Fonts: how the bytes of a shown string split into codes, what text each code stands for, and how far
//! each glyph advances.
//!
//! Unicode is looked up per code along one fallback chain, the one the best extractors use:
//! 1. the `/ToUnicode` CMap (a stream; a name such as `/Identity-H` is no map);
//! 2. for simple fonts, a glyph name from `/Differences` through the Adobe Glyph List, else the font
//!    program's own data (`program`): the built-in encoding of an embedded Type1/CFF program when the
//!    PDF gives no base encoding, a TrueType program's `cmap` and `post` names, and its Unicode `cmap`
//!    for names the AGL does not know; for CID fonts, the program's glyph for the CID and what its
//!    Unicode `cmap` or glyph name says;
//! 3. for CID fonts, the predefined collection's Unicode map (Adobe-GB1, -CNS1, -Japan1, -Korea1;
//!    `cid`), with predefined encodings (`GBK-EUC-H`, `90ms-RKSJ-H`) turning bytes into CIDs;
//! 4. the base encoding, and glyph names through the producers' numbering conventions (`aNN`, `cNN`,
//!    `GXX`, `g00XX`); in a font that names a Microsoft core font (Arial, Times New Roman, Courier New) and
//!    has nothing else to map it, a glyph id (an Identity CID with no program, a `G71` name) through that
//!    font's known glyph order (`encoding::core_font_glyph`); a Type3 glyph name none of this reads is the
//!    code's character in the base encoding (its names are only procedure keys);
//! 5. nothing: the code is reported as unmapped and counted (the caller shows U+FFFD and warns). It
//!    never becomes guessed text.
//!
//! Widths come from `/Widths` or `/W` + `/DW`, then the program's advances when the PDF gives none,
//! then the standard 14 metrics.

use std::collections::HashMap;

use compact_str::CompactString;
use lopdf::{Dictionary, Document, Object};

use super::budget::Budget;
use super::cid::{Collection, Predefined};
use super::cmap::CMap;
use super::encoding::{self, BaseEncoding};
use super::objects::{deref, dict_get, name_of, number, stream_data};
use super::program::{Glyph, Program, ProgramFormat};

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
    Composite(Box<Composite>),
}

/// A Type0 font's CIDFont and how codes become CIDs.
#[derive(Debug)]
struct Composite {
    /// An encoding CMap embedded as a stream.
    encoding: Option<CMap>,
    /// A predefined encoding named by `/Encoding` (not Identity).
    predefined: Option<Predefined>,
    widths: HashMap<u32, f32>,
    /// Whether the CIDFont gives `/W` at all (without it, the program's advances are used).
    has_widths: bool,
    default_width: f32,
    vertical: bool,
    /// The collection of the CIDFont's `/CIDSystemInfo` (or of the predefined CMap).
    collection: Option<Collection>,
    /// `/CIDToGIDMap` of a CIDFontType2 given as a stream; `None` for Identity.
    cid_to_gid: Option<Vec<u16>>,
    program: Option<Program>,
    /// A CIDFontType2 naming a Microsoft core font (Arial, Times New Roman, Courier New) with neither a
    /// program nor a CID mapping of its own: its Identity CIDs are the glyph ids of the core font, which
    /// `encoding::core_font_glyph` reads (as pdf.js does).
    core_glyph_ids: bool,
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

/// Largest `/CIDToGIDMap` read: two bytes for each of the 65,536 CIDs a font can have.
const MAX_CID_TO_GID_BYTES: usize = 2 * 65_536;

/// Whether a font descriptor holds an embedded program (readable or not).
fn has_program(doc: &Document, descriptor: Option<&Dictionary>) -> bool {
    descriptor.is_some_and(|d| {
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| dict_get(doc, d, k).is_some())
    })
}

/// The embedded program of a font descriptor, parsed; `None` when there is none or it cannot be read.
fn load_program(doc: &Document, descriptor: Option<&Dictionary>, budget: &Budget) -> Option<Program> {
    let descriptor = descriptor?;
    let formats = [
        (&b"FontFile"[..], ProgramFormat::Type1),
        (b"FontFile2", ProgramFormat::TrueType),
        (b"FontFile3", ProgramFormat::Compact),
    ];
    formats.iter().find_map(|(key, format)| {
        let data = stream_data(doc, dict_get(doc, descriptor, key)?, budget)?;
        Program::parse(data, *format)
    })
}

impl Font {
    /// Resolve a font dictionary. Never fails: missing parts fall back to defaults, so that text can
    /// still be placed even when it cannot all be mapped.
    pub(crate) fn load(doc: &Document, dict: &Dictionary, budget: &Budget) -> Font {
        let subtype = dict_get(doc, dict, b"Subtype").and_then(name_of).unwrap_or_default();
        let base_font = dict_get(doc, dict, b"BaseFont").and_then(name_of).unwrap_or_default();
        // A ToUnicode given as a name (`/Identity-H`) is no map: only a stream maps codes.
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
            Kind::Composite(Box::new(composite(doc, dict, descendant, descriptor, budget)))
        } else {
            // The program is read only when the ToUnicode leaves a code it may be asked about
            // unmapped: inflating and parsing it is most of what a font costs.
            let covered = to_unicode.as_ref().is_some_and(|t| maps_every_drawn_code(doc, dict, t));
            let program =
                if subtype == "Type3" || covered { None } else { load_program(doc, descriptor, budget) };
            simple_kind(doc, dict, &subtype, &base_font, descriptor, program.as_ref())
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
            Kind::Composite(c) => {
                let mut i = 0;
                while i < bytes.len() {
                    let rest = &bytes[i..];
                    let (len, cid) = if let Some(cmap) = &c.encoding {
                        let len = cmap
                            .code_length(rest)
                            .or_else(|| c.predefined.as_ref().map(|p| p.code(rest).0))
                            .or_else(|| self.to_unicode.as_ref().and_then(|t| t.code_length(rest)))
                            .unwrap_or(2)
                            .clamp(1, 4)
                            .min(rest.len());
                        let code = code_value(&rest[..len]);
                        let cid = cmap.cid(code, len as u8).or_else(|| {
                            let (parent_len, cid) = c.predefined.as_ref()?.code(&rest[..len]);
                            cid.filter(|_| parent_len == len)
                        });
                        (len, cid.unwrap_or(code))
                    } else if let Some(pre) = &c.predefined {
                        let (len, cid) = pre.code(rest);
                        (len, cid.unwrap_or(0))
                    } else {
                        // Identity-H/V: two bytes per code, the code is the CID.
                        let len = self
                            .to_unicode
                            .as_ref()
                            .and_then(|t| t.code_length(rest))
                            .unwrap_or(2)
                            .clamp(1, 4)
                            .min(rest.len());
                        (len, code_value(&rest[..len]))
                    };
                    let code = code_value(&rest[..len]);
                    i += len;
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|t| t.lookup(code, len as u8))
                        .or_else(|| c.cid_text(cid));
                    let width = c.width(cid) * self.scale;
                    out.push(Code { text, width, is_space: len == 1 && code == 32 });
                }
            }
        }
    }

    /// Vertical writing mode (Identity-V, a predefined `-V` CMap): glyphs advance downwards.
    pub(crate) fn vertical(&self) -> bool {
        matches!(&self.kind, Kind::Composite(c) if c.vertical)
    }
}

/// Whether `to_unicode` maps every code a simple font gives a non-zero `/Widths` entry (codes outside
/// `/FirstChar`..`/LastChar` draw nothing a producer meant to show).
fn maps_every_drawn_code(doc: &Document, dict: &Dictionary, to_unicode: &CMap) -> bool {
    let Some(Object::Array(widths)) = dict_get(doc, dict, b"Widths") else { return false };
    let first = dict_get(doc, dict, b"FirstChar").and_then(number).unwrap_or(0.0).max(0.0) as u32;
    widths.iter().enumerate().take(256).all(|(k, w)| {
        number(deref(doc, w)).is_none_or(|w| w <= 0.0) || to_unicode.lookup(first + k as u32, 1).is_some()
    })
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |acc, &b| acc << 8 | b as u32)
}

fn composite(
    doc: &Document,
    dict: &Dictionary,
    descendant: Option<&Dictionary>,
    descriptor: Option<&Dictionary>,
    budget: &Budget,
) -> Composite {
    let (encoding, predefined, named_vertical) = match dict_get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => (None, Predefined::by_name(n), n.ends_with(b"-V")),
        Some(o) => {
            let cmap = stream_data(doc, o, budget).map(|data| CMap::parse(&data));
            // An embedded CMap may build on a predefined one (`/90ms-RKSJ-H usecmap`), which then
            // maps the codes it leaves out.
            let parent = cmap.as_ref().and_then(CMap::parent).and_then(|n| Predefined::by_name(n.as_bytes()));
            let vertical = cmap.as_ref().is_some_and(CMap::vertical);
            (cmap, parent, vertical)
        }
        None => (None, None, false),
    };
    let vertical = named_vertical || predefined.as_ref().is_some_and(Predefined::vertical);
    let default_width = descendant.and_then(|d| dict_get(doc, d, b"DW")).and_then(number).unwrap_or(1000.0);
    let w = descendant.and_then(|d| dict_get(doc, d, b"W")).and_then(|o| o.as_array().ok());
    let widths = w.map(|w| cid_widths(doc, w)).unwrap_or_default();
    let system_info =
        descendant.and_then(|d| dict_get(doc, d, b"CIDSystemInfo")).and_then(|o| o.as_dict().ok());
    let string = |key: &[u8]| {
        system_info.and_then(|s| dict_get(doc, s, key)).and_then(|o| o.as_str().ok()).map(<[u8]>::to_vec)
    };
    let collection = match (string(b"Registry"), string(b"Ordering")) {
        (Some(r), Some(o)) => Collection::from_system_info(&r, &o),
        _ => None,
    }
    .or_else(|| predefined.as_ref().and_then(Predefined::collection));
    let cid_to_gid = descendant
        .and_then(|d| dict_get(doc, d, b"CIDToGIDMap"))
        .filter(|o| matches!(o, Object::Stream(_)))
        .and_then(|o| stream_data(doc, o, budget))
        .map(|data| {
            data[..data.len().min(MAX_CID_TO_GID_BYTES)]
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect()
        });
    let program = load_program(doc, descriptor, budget);
    let base_font = dict_get(doc, dict, b"BaseFont").and_then(name_of).unwrap_or_default();
    let truetype = descendant.and_then(|d| dict_get(doc, d, b"Subtype")).and_then(name_of).as_deref()
        == Some("CIDFontType2");
    let core_glyph_ids = truetype
        && !has_program(doc, descriptor)
        && encoding.is_none()
        && predefined.is_none()
        && cid_to_gid.is_none()
        && collection.is_none()
        && encoding::is_core_font(&base_font);
    Composite {
        encoding,
        predefined,
        widths,
        has_widths: w.is_some(),
        default_width,
        vertical,
        collection,
        cid_to_gid,
        program,
        core_glyph_ids,
    }
}

impl Composite {
    /// The program's glyph for a CID (through `/CIDToGIDMap` or a CID-keyed CFF's charset).
    fn glyph(&self, cid: u32) -> Option<Glyph> {
        let program = self.program.as_ref()?;
        match &self.cid_to_gid {
            Some(map) => map.get(cid as usize).map(|&g| Glyph(g as u32)),
            None => program.glyph_for_cid(cid),
        }
    }

    /// Text for a CID the ToUnicode does not map: the program's Unicode `cmap` or glyph name, then the
    /// collection's Unicode map.
    fn cid_text(&self, cid: u32) -> Option<CompactString> {
        if let (Some(program), Some(glyph)) = (&self.program, self.glyph(cid)) {
            if glyph.0 != 0 {
                if let Some(c) = program.unicode_of(glyph).filter(|c| !is_private_use(*c)) {
                    return Some(CompactString::from(c.to_string()));
                }
                if let Some(text) = program.glyph_name(glyph).and_then(|n| encoding::glyph_name_to_text(&n)) {
                    return Some(CompactString::from(text));
                }
            }
        }
        if self.core_glyph_ids {
            if let Some(c) = encoding::core_font_glyph(cid) {
                return Some(CompactString::from(c.to_string()));
            }
        }
        self.collection.and_then(|c| c.unicode(cid))
    }

    /// Width of a CID in glyph space: `/W`, else the program's advance when `/W` is absent, else `/DW`.
    fn width(&self, cid: u32) -> f32 {
        if let Some(&w) = self.widths.get(&cid) {
            return w;
        }
        if !self.has_widths {
            if let (Some(program), Some(glyph)) = (&self.program, self.glyph(cid)) {
                if let Some(w) = program.advance(glyph) {
                    return w;
                }
            }
        }
        self.default_width
    }
}

fn is_private_use(c: char) -> bool {
    ('\u{e000}'..='\u{f8ff}').contains(&c)
}

/// The encoding a simple font starts from when its dictionary names none.
fn default_base(subtype: &str, base_font: &str) -> BaseEncoding {
    let n = base_font.to_ascii_lowercase();
    if n.contains("dingbats") {
        BaseEncoding::ZapfDingbats
    } else if n.contains("symbol") {
        BaseEncoding::Symbol
    } else if subtype == "Type1" || subtype == "MMType1" || subtype == "Type3" {
        BaseEncoding::Standard
    } else {
        BaseEncoding::WinAnsi
    }
}

fn simple_kind(
    doc: &Document,
    dict: &Dictionary,
    subtype: &str,
    base_font: &str,
    descriptor: Option<&Dictionary>,
    program: Option<&Program>,
) -> Kind {
    let default_base = default_base(subtype, base_font);
    // The base encoding the dictionary names, if any, and the codes `/Differences` names.
    let mut named_base = None;
    let mut differences: [Option<String>; 256] = std::array::from_fn(|_| None);
    match dict_get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => named_base = BaseEncoding::from_name(n),
        Some(Object::Dictionary(enc)) => {
            named_base = dict_get(doc, enc, b"BaseEncoding")
                .and_then(|o| o.as_name().ok())
                .and_then(BaseEncoding::from_name);
            if let Some(Object::Array(diffs)) = dict_get(doc, enc, b"Differences") {
                let mut code = 0usize;
                for item in diffs {
                    match deref(doc, item) {
                        Object::Integer(n) => code = (*n).clamp(0, 255) as usize,
                        Object::Name(name) => {
                            if code < 256 {
                                differences[code] = Some(String::from_utf8_lossy(name).into_owned());
                            }
                            code += 1;
                        }
                        _ => {}
                    }
                }
            }
        }
        _ => {}
    }
    let base = named_base.unwrap_or(default_base);
    // With no base encoding named, an embedded Type1/CFF program's own encoding is the base (as MuPDF
    // and pdf.js read it, and as 9.6.5.1 says for symbolic fonts): TeX fonts rely on it.
    let builtin = program.filter(|p| named_base.is_none() && !p.is_sfnt() && p.has_builtin_encoding());
    let flags = descriptor.and_then(|d| dict_get(doc, d, b"Flags")).and_then(number).unwrap_or(0.0) as u32;
    let symbolic = flags & (1 << 2) != 0;
    // A symbolic TrueType program without a named encoding shows codes through its own `cmap`.
    let truetype =
        program.filter(|p| p.is_sfnt() && named_base.is_none() && (symbolic || subtype != "TrueType"));

    // Glyph names that are glyph ids (`G71`) read through the glyph order of the core font the font names.
    let core = encoding::is_core_font(base_font);
    // What a code means by itself, where a glyph name says nothing but the code: the base encoding the
    // font names, else Latin-1 (dvips numbers a T1-encoded TeX font's glyphs `a225`, which is `á` there and
    // in MuPDF, Poppler and PDFBox, not StandardEncoding's `Æ`).
    let numbers = named_base.unwrap_or(BaseEncoding::WinAnsi);
    let mut text: [Option<CompactString>; 256] = std::array::from_fn(|_| None);
    // The glyph each code shows in the program, where finding the text already found it.
    let mut glyphs: [Option<Glyph>; 256] = [None; 256];
    for code in 0..256usize {
        let c = code as u8;
        let (t, g) = match (&differences[code], builtin) {
            // A Type3 font's glyph names are only the keys of its glyph procedures: one the conventions do
            // not read is the code's character in the base encoding, as MuPDF, Poppler and PDFBox read it.
            (Some(name), _) => (
                name_text(name, c, base, named_base.is_some(), program, core).or_else(|| {
                    let plain = named_base.is_some() || !(0x7f..0xa0).contains(&c);
                    (subtype == "Type3" && name != ".notdef" && plain)
                        .then(|| base_text(numbers, c))
                        .flatten()
                }),
                None,
            ),
            (None, Some(p)) => match p.builtin_name(c) {
                Some(name) => {
                    (name_text(&name, c, base, named_base.is_some(), Some(p), core), p.builtin_glyph(c))
                }
                None => (base_text(base, c), None),
            },
            (None, None) => {
                let from_program = truetype.and_then(|p| {
                    let g = p.truetype_glyph(c)?;
                    let t = p
                        .glyph_name(g)
                        .and_then(|n| encoding::glyph_name_to_text(&n))
                        .or_else(|| p.unicode_of(g).map(String::from))
                        .filter(|t| !t.chars().any(is_private_use));
                    Some((t, g))
                });
                match from_program {
                    Some((Some(t), g)) => (Some(t), Some(g)),
                    Some((None, g)) => (base_text(base, c), Some(g)),
                    None => (base_text(base, c), None),
                }
            }
        };
        text[code] = t.map(CompactString::from);
        glyphs[code] = g;
    }
    let embedded = has_program(doc, descriptor);
    if !embedded && subtype != "Type3" {
        // A font with no program of its own is drawn from a standard font, which has no glyph for a
        // control code: such a code draws nothing (pdftotext prints nothing too), it is not lost text.
        for (code, slot) in text.iter_mut().enumerate().take(0x20) {
            if slot.is_none() && differences[code].is_none() {
                *slot = Some(CompactString::const_new(""));
            }
        }
    }
    if base == BaseEncoding::WinAnsi && text[0xad].as_deref() == Some("-") {
        // WinAnsi's 0xAD is the soft hyphen (a break opportunity), even where it is named "hyphen".
        text[0xad] = Some(CompactString::const_new("\u{ad}"));
    }

    // The glyph a code shows in the program, for its advance when `/Widths` has none: looked up only
    // for such codes.
    let glyph_of = |p: &Program, code: usize| {
        glyphs[code].or_else(|| differences[code].as_deref().and_then(|n| p.glyph_by_name(n))).or_else(|| {
            let mut chars = text[code].as_deref()?.chars();
            match (chars.next(), chars.next()) {
                (Some(ch), None) => p.glyph_for_char(ch).or_else(|| p.truetype_glyph(code as u8)),
                _ => None,
            }
        })
    };

    let first_char = dict_get(doc, dict, b"FirstChar").and_then(number).unwrap_or(0.0).max(0.0) as usize;
    let missing = descriptor.and_then(|d| dict_get(doc, d, b"MissingWidth")).and_then(number);
    let mut widths = [f32::NAN; 256];
    let given = dict_get(doc, dict, b"Widths");
    if let Some(Object::Array(ws)) = given {
        for (k, w) in ws.iter().enumerate() {
            if let (Some(slot), Some(w)) = (widths.get_mut(first_char + k), number(deref(doc, w))) {
                *slot = w;
            }
        }
    }
    let has_widths = matches!(given, Some(Object::Array(_)));
    for (code, w) in widths.iter_mut().enumerate() {
        if w.is_nan() {
            let advance = || program.and_then(|p| p.advance(glyph_of(p, code)?));
            let standard = || text[code].as_deref().and_then(|t| encoding::standard_width(base_font, t));
            *w = if has_widths {
                standard().or(missing).or_else(advance)
            } else {
                advance().or_else(standard).or(missing)
            }
            // Neither widths nor metrics: half an em keeps glyphs apart, so words still form.
            .unwrap_or(500.0);
        }
    }
    Kind::Simple { text: Box::new(text), widths: Box::new(widths) }
}

/// A code's character in the base encoding.
fn base_text(base: BaseEncoding, code: u8) -> Option<String> {
    base.char(code).map(String::from)
}

/// The text of a glyph name a simple font gives a code: the AGL and its conventions, then what the
/// program's Unicode `cmap` has for the glyph of that name (or of the index `g123` spells), then, in a
/// font that names a Microsoft core font (`core`), the character of that glyph id there (`G71`, `g71`),
/// then the producers' numbering conventions (`a65`: code 65 in the base encoding the font names, else
/// Latin-1).
fn name_text(
    name: &str,
    code: u8,
    base: BaseEncoding,
    named: bool,
    program: Option<&Program>,
    core: bool,
) -> Option<String> {
    if name == ".notdef" {
        return None;
    }
    if let Some(t) = encoding::glyph_name_to_text(name) {
        return Some(t);
    }
    if let Some(p) = program {
        let glyph = p.glyph_by_name(name).or_else(|| encoding::glyph_name_index(name).map(Glyph));
        if let Some(c) = glyph.and_then(|g| p.unicode_of(g)).filter(|c| !is_private_use(*c)) {
            return Some(c.to_string());
        }
    }
    // Only where the names are the core font's own: a TrueType subset may have renumbered its glyphs,
    // while a Type1 or CFF conversion (Word's) keeps the original ids in its names.
    if core && program.is_none_or(|p| !p.is_sfnt()) {
        let digits = name
            .strip_prefix(['G', 'g'])
            .filter(|d| (1..=5).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()));
        if let Some(c) = digits.and_then(|d| d.parse().ok()).and_then(encoding::core_font_glyph) {
            return Some(c.to_string());
        }
    }
    if base == BaseEncoding::ZapfDingbats || base == BaseEncoding::Symbol {
        // Their glyph names (`a12`, ...) are names, not numbers.
        return None;
    }
    let number = encoding::glyph_name_code(name)?;
    // The number is the code in the base encoding the font names; where it is another code, or the font
    // names no base encoding, Latin-1.
    if number == code && named {
        base.char(number).map(String::from)
    } else {
        BaseEncoding::WinAnsi.char(number).filter(|_| !(0x80..0xa0).contains(&number)).map(String::from)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    /// Load the font `dict` from a document that holds `objects` too.
    fn load(doc: &mut Document, dict: Dictionary) -> Font {
        let id = doc.add_object(dict);
        let budget = Budget::new(None);
        let dict = doc.get_object(id).and_then(Object::as_dict).expect("font dictionary");
        Font::load(doc, dict, &budget)
    }

    #[test]
    fn builtin_encoding_fills_codes_differences_leave() {
        let mut doc = Document::with_version("1.7");
        let program = b"%!FontType1-1.0: CMSY10\n/Encoding 256 array\ndup 50 /element put\nreadonly def\ncurrentfile eexec\n\x8f";
        let file = doc.add_object(Stream::new(dictionary! {}, program.to_vec()));
        let desc =
            doc.add_object(dictionary! { "Type" => "FontDescriptor", "Flags" => 4, "FontFile" => file });
        let font = load(
            &mut doc,
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "CMSY10", "FontDescriptor" => desc },
        );
        let mut codes = Vec::new();
        font.decode(b"x 2", &mut codes);
        let text: Vec<_> = codes.iter().map(|c| c.text.as_deref()).collect();
        assert_eq!(text, [Some("x"), Some(" "), Some("\u{2208}")]);
        assert!(codes[1].is_space);
    }

    #[test]
    fn control_codes_of_a_standard_font_draw_nothing() {
        let mut doc = Document::with_version("1.7");
        let font = load(
            &mut doc,
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" },
        );
        let mut codes = Vec::new();
        font.decode(b"\x01A", &mut codes);
        let text: Vec<_> = codes.iter().map(|c| c.text.as_deref()).collect();
        assert_eq!(text, [Some(""), Some("A")]);
    }
}

//! Embedded font programs (`/FontFile`, `/FontFile2`, `/FontFile3`): what a font's own program says
//! about its glyphs, for codes the PDF's font dictionary leaves unmapped or unmeasured.
//!
//! A program is parsed once per font (the interpreter caches fonts) with `read-fonts`, which reads
//! TrueType/OpenType, bare CFF and Type1 alike. From it come: the built-in encoding of a Type1 or CFF
//! program (code → glyph), the glyph names (TrueType `post`, CFF charset, Type1 charstrings), glyph
//! lookups by name, by CID and through the TrueType `cmap` subtables, the Unicode a glyph has in the
//! program's Unicode `cmap`, and advance widths. Every call into the parser is bounded (program size,
//! glyph counts) and goes through [`guarded`], so a hostile program costs its own text and never the
//! file. Nothing here decides what text a code is; `font` does, in the order the fallback chain gives.

use std::collections::HashMap;
use std::sync::OnceLock;

use read_fonts::model::charmap::{Charmap, EncodingKind};
use read_fonts::model::{Font as FontProgram, Kind};
use read_fonts::types::GlyphId;

use super::objects::guarded;

/// Largest font program arkiv parses; beyond it the program is ignored (its font still shows text
/// through the PDF's own dictionaries). Real embedded fonts, full CJK ones included, stay below this.
pub(crate) const MAX_PROGRAM_BYTES: usize = 32 * 1024 * 1024;

/// Unicode `cmap` entries read into the reverse map (glyph → character); a font never needs more than
/// one per glyph, and glyph ids stop at 65,535.
const MAX_REVERSE_ENTRIES: usize = 200_000;

/// The kind of embedded program, from the descriptor key that held it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProgramFormat {
    /// `/FontFile`: a Type1 program (cleartext part, then the eexec-encrypted part).
    Type1,
    /// `/FontFile2`: TrueType.
    TrueType,
    /// `/FontFile3`: bare CFF (`/Type1C`, `/CIDFontType0C`) or OpenType.
    Compact,
}

/// A parsed embedded font program.
pub(crate) struct Program {
    /// `None` when only the cleartext encoding of a Type1 program could be read.
    font: Option<FontProgram>,
    /// Font units per em, for advances in 1/1000 em.
    units_per_em: f32,
    /// Built-in encoding read from the cleartext of a Type1 program, when the parser could not read
    /// the program as a whole (a damaged encrypted part still leaves its encoding readable).
    cleartext_encoding: Option<Box<[Option<String>; 256]>>,
    /// Glyph → character, from the program's Unicode `cmap`; built on first use.
    reverse: OnceLock<HashMap<u32, char>>,
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program").field("units_per_em", &self.units_per_em).finish_non_exhaustive()
    }
}

/// What a program offers for one glyph-lookup route; see [`Program::builtin_glyph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Glyph(pub u32);

impl Program {
    /// Parse a program's decoded bytes; `None` when it is too large or not a font `read-fonts` reads.
    pub(crate) fn parse(mut data: Vec<u8>, format: ProgramFormat) -> Option<Program> {
        if data.len() > MAX_PROGRAM_BYTES || data.is_empty() {
            return None;
        }
        let mut cleartext_encoding = None;
        if format == ProgramFormat::Type1 {
            cleartext_encoding = type1_cleartext_encoding(&data);
            // The Type1 reader wants the program to open with its `%!` header; some producers write a
            // comment or blank lines first, or no header at all.
            let start = data.windows(2).take(1024).position(|w| w == b"%!").unwrap_or(0);
            data.drain(..start);
            if !(data.starts_with(b"%!PS-AdobeFont") || data.starts_with(b"%!FontType")) {
                let mut fixed = b"%!FontType1-1.0\n".to_vec();
                fixed.extend_from_slice(&data);
                data = fixed;
            }
        }
        let Some(font) = guarded(move || FontProgram::new(data, 0)).flatten() else {
            // Only the cleartext encoding survived; it still names the glyphs of codes.
            cleartext_encoding.as_ref()?;
            return Some(Program {
                font: None,
                units_per_em: 1000.0,
                cleartext_encoding,
                reverse: OnceLock::new(),
            });
        };
        let units_per_em = guarded(|| font.units_per_em()).filter(|&u| u > 0).unwrap_or(1000) as f32;
        Some(Program { font: Some(font), units_per_em, cleartext_encoding: None, reverse: OnceLock::new() })
    }

    /// The glyph name the program's built-in encoding gives a code (Type1 `/Encoding`, CFF encoding).
    pub(crate) fn builtin_name(&self, code: u8) -> Option<String> {
        if let Some(enc) = &self.cleartext_encoding {
            return enc[code as usize].clone();
        }
        let glyph = self.builtin_glyph(code)?;
        self.glyph_name(glyph)
    }

    /// Whether the program has a built-in encoding of its own (not merely StandardEncoding by name).
    pub(crate) fn has_builtin_encoding(&self) -> bool {
        if self.cleartext_encoding.is_some() {
            return true;
        }
        let Some(font) = &self.font else { return false };
        guarded(|| {
            font.charmap().encodings().any(|e| {
                matches!(
                    e.kind(),
                    EncodingKind::AdobeCustom | EncodingKind::AdobeExpert | EncodingKind::AdobeLatin1
                ) && e.sfnt_ids().is_none()
            })
        })
        .unwrap_or(false)
    }

    /// The glyph `lookup` finds in the program's character maps; read-fonts' parsing is guarded, as
    /// lopdf's is, so that a hostile font program costs only its glyphs.
    fn charmap_glyph(&self, lookup: impl FnOnce(&Charmap<'_>) -> Option<GlyphId>) -> Option<Glyph> {
        let font = self.font.as_ref()?;
        let gid = guarded(|| lookup(&font.charmap())).flatten()?;
        Some(Glyph(gid.to_u32()))
    }

    /// The glyph the built-in encoding (Type1 or bare CFF) maps a code to.
    pub(crate) fn builtin_glyph(&self, code: u8) -> Option<Glyph> {
        self.charmap_glyph(|charmap| {
            let native = charmap.encodings().find(|e| {
                e.sfnt_ids().is_none()
                    && matches!(
                        e.kind(),
                        EncodingKind::AdobeCustom
                            | EncodingKind::AdobeExpert
                            | EncodingKind::AdobeLatin1
                            | EncodingKind::AdobeStandard
                    )
            })?;
            charmap.map_code(native, code as u32)
        })
    }

    /// The glyph a simple TrueType font shows for a code through its `cmap` (PDF 32000-1, 9.6.6.4): the
    /// (3,0) symbol subtable at the code or at 0xF000 + code, else the (1,0) Macintosh subtable.
    pub(crate) fn truetype_glyph(&self, code: u8) -> Option<Glyph> {
        self.charmap_glyph(|charmap| {
            let by = |platform: u16, encoding: u16| {
                charmap.encodings().find(|e| e.sfnt_ids() == Some((platform, encoding)))
            };
            if let Some(symbol) = by(3, 0) {
                for base in [0u32, 0xf000, 0xf100, 0xf200] {
                    if let Some(g) = charmap.map_code(symbol, base + code as u32) {
                        return Some(g);
                    }
                }
            }
            by(1, 0).and_then(|mac| charmap.map_code(mac, code as u32))
        })
    }

    /// The glyph the program's Unicode `cmap` has for a character.
    pub(crate) fn glyph_for_char(&self, c: char) -> Option<Glyph> {
        self.charmap_glyph(|charmap| {
            let unicode = charmap.encodings().find(|e| e.kind() == EncodingKind::Unicode)?;
            charmap.map_code(unicode, c as u32)
        })
    }

    /// The glyph a name stands for in the program (`post`, CFF charset, Type1 charstrings).
    pub(crate) fn glyph_by_name(&self, name: &str) -> Option<Glyph> {
        if name.is_empty() || name.len() > 127 {
            return None;
        }
        let font = self.font.as_ref()?;
        guarded(|| font.glyph_by_name(name)).flatten().map(|g| Glyph(g.to_u32()))
    }

    /// The glyph of a CID: through the CFF charset of a CID-keyed program; for any other program the
    /// CID is the glyph index (CIDToGIDMap Identity, applied by the caller otherwise).
    pub(crate) fn glyph_for_cid(&self, cid: u32) -> Option<Glyph> {
        let font = self.font.as_ref()?;
        if guarded(|| font.is_cid_keyed()).unwrap_or(false) {
            return guarded(|| font.glyph_by_cid(cid)).flatten().map(|g| Glyph(g.to_u32()));
        }
        Some(Glyph(cid))
    }

    /// The name the program gives a glyph; `None` when it has none of its own.
    pub(crate) fn glyph_name(&self, glyph: Glyph) -> Option<String> {
        let font = self.font.as_ref()?;
        guarded(|| {
            let name = font.glyph_name(GlyphId::new(glyph.0))?;
            (!name.is_synthesized()).then(|| name.as_str().to_string())
        })
        .flatten()
        .filter(|n| n != ".notdef")
    }

    /// The character a glyph has in the program's Unicode `cmap` (the first, when several map to it).
    pub(crate) fn unicode_of(&self, glyph: Glyph) -> Option<char> {
        let font = self.font.as_ref()?;
        let reverse = self.reverse.get_or_init(|| {
            guarded(|| {
                let charmap = font.charmap();
                let mut out = HashMap::new();
                let Some(unicode) = charmap.encodings().find(|e| e.kind() == EncodingKind::Unicode) else {
                    return out;
                };
                for (c, g) in charmap.codes(unicode).take(MAX_REVERSE_ENTRIES) {
                    if let Some(ch) = char::from_u32(c) {
                        // The lowest character wins, as pdf.js does: a glyph shared by 'A' and a
                        // compatibility form reads as 'A'.
                        out.entry(g.to_u32()).and_modify(|e: &mut char| *e = (*e).min(ch)).or_insert(ch);
                    }
                }
                out
            })
            .unwrap_or_default()
        });
        reverse.get(&glyph.0).copied()
    }

    /// A glyph's advance width in 1/1000 em; `None` when the program does not have the glyph.
    pub(crate) fn advance(&self, glyph: Glyph) -> Option<f32> {
        let font = self.font.as_ref()?;
        let count = guarded(|| font.num_glyphs()).unwrap_or(0);
        if glyph.0 >= count {
            return None;
        }
        let units = guarded(|| font.glyph_metrics().h_advance(GlyphId::new(glyph.0)))?;
        (units.is_finite() && units > 0.0).then(|| units * 1000.0 / self.units_per_em)
    }

    /// Whether this is a TrueType (or OpenType) program rather than a Type1 or CFF one.
    pub(crate) fn is_sfnt(&self) -> bool {
        let Some(font) = &self.font else { return false };
        guarded(|| matches!(font.kind(), Kind::Sfnt(..))).unwrap_or(false)
    }
}

/// Longest cleartext portion searched for a Type1 `/Encoding`; the encoding comes before `eexec`, a
/// few kilobytes in.
const MAX_CLEARTEXT: usize = 64 * 1024;

/// The built-in encoding of a Type1 program as glyph names, read from its cleartext portion
/// (`/Encoding 256 array ... dup <code> /<name> put ... readonly def`); `None` when it names
/// `StandardEncoding` or has no encoding there. The cleartext is not encrypted, so this needs no
/// Type1 parser: it is the fallback for programs whose encrypted part the parser rejects.
pub(crate) fn type1_cleartext_encoding(data: &[u8]) -> Option<Box<[Option<String>; 256]>> {
    let head = &data[..data.len().min(MAX_CLEARTEXT)];
    let end = find(head, b"eexec").unwrap_or(head.len());
    let head = &head[..end];
    let start = find(head, b"/Encoding")? + b"/Encoding".len();
    let rest = &head[start..];
    let mut words = rest
        .split(|b| b.is_ascii_whitespace() || *b == b'[' || *b == b']')
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_some_and(|w| *w == b"StandardEncoding") {
        return None;
    }
    let mut names: Box<[Option<String>; 256]> = Box::new(std::array::from_fn(|_| None));
    let mut found = false;
    let mut prev: [&[u8]; 3] = [b"", b"", b""];
    for word in words {
        if word == b"def" || word == b"readonly" && found {
            break;
        }
        // `dup <code> /<name> put`
        if word == b"put" && prev[0] == b"dup" {
            if let (Ok(code), Some(name)) =
                (std::str::from_utf8(prev[1]).unwrap_or("").parse::<usize>(), prev[2].strip_prefix(b"/"))
            {
                if let (Some(slot), Ok(name)) = (names.get_mut(code), std::str::from_utf8(name)) {
                    if name != ".notdef" {
                        *slot = Some(name.to_string());
                        found = true;
                    }
                }
            }
        }
        prev = [prev[1], prev[2], word];
    }
    found.then_some(names)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type1_cleartext_encoding_is_read() {
        let program = b"%!FontType1-1.0: CMSY10\n/FontName /CMSY10 def\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 50 /element put\ndup 12 /fi put\nreadonly def\ncurrentdict end\ncurrentfile eexec\n\x01\x02dup 65 /A put";
        let enc = type1_cleartext_encoding(program).expect("encoding");
        assert_eq!(enc[50].as_deref(), Some("element"));
        assert_eq!(enc[12].as_deref(), Some("fi"));
        // Nothing past eexec is read.
        assert_eq!(enc[65], None);
        assert!(type1_cleartext_encoding(b"%!FontType1\n/Encoding StandardEncoding def\ncurrentfile eexec")
            .is_none());
    }

    /// Every query a font makes of a program.
    fn query_all(p: &Program) {
        for code in [0u8, 3, 32, 65, 200, 255] {
            let _ = p.builtin_name(code);
            let _ = p.truetype_glyph(code);
        }
        let _ = p.has_builtin_encoding();
        for g in [0, 1, 5, 40, 70_000] {
            let _ = p.advance(Glyph(g));
            let _ = p.unicode_of(Glyph(g));
            let _ = p.glyph_name(Glyph(g));
            let _ = p.glyph_for_cid(g);
        }
        let _ = p.glyph_by_name("A");
        let _ = p.glyph_for_char('a');
    }

    #[test]
    fn real_programs_answer_and_damaged_ones_do_not_panic() {
        let tinos =
            Program::parse(font_test_data::TINOS_SUBSET.to_vec(), ProgramFormat::TrueType).expect("parses");
        let a = tinos.glyph_for_char('A').expect("Tinos has A");
        assert_eq!(tinos.unicode_of(a), Some('A'));
        // A post table of format 3 names no glyphs; where names exist, they find their glyph.
        if let Some(name) = tinos.glyph_name(a) {
            assert_eq!(tinos.glyph_by_name(&name), Some(a));
        }
        assert!(tinos.advance(a).is_some_and(|w| w > 500.0 && w < 800.0), "{:?}", tinos.advance(a));
        assert!(tinos.is_sfnt());
        let pfa = font_test_data::type1::NOTO_SERIF_REGULAR_SUBSET_PFA;
        let noto = Program::parse(pfa.to_vec(), ProgramFormat::Type1).expect("parses");
        assert!(!noto.is_sfnt());
        // StandardEncoding by name is no encoding of its own.
        assert!(!noto.has_builtin_encoding());
        // Truncated and bit-flipped programs: whatever parses must answer every query without a panic.
        for (data, format) in [
            (font_test_data::TINOS_SUBSET, ProgramFormat::TrueType),
            (font_test_data::NOTO_SERIF_DISPLAY_TRIMMED, ProgramFormat::Compact),
            (pfa, ProgramFormat::Type1),
            (font_test_data::type1::NOTO_SERIF_REGULAR_SUBSET_PFB, ProgramFormat::Type1),
        ] {
            for cut in (0..data.len()).step_by(data.len() / 97 + 1) {
                if let Some(p) = Program::parse(data[..cut].to_vec(), format) {
                    query_all(&p);
                }
                let mut flipped = data.to_vec();
                flipped[cut] ^= 0xa5;
                if let Some(p) = Program::parse(flipped, format) {
                    query_all(&p);
                }
            }
        }
    }

    #[test]
    fn hostile_programs_are_refused_quietly() {
        for data in [
            &b""[..],
            b"%!FontType1",
            b"\x00\x01\x00\x00\x00\x10garbage",
            b"OTTO\x00\x05\x00\x00",
            b"\x01\x00\x04\x02\xff\xff\xff\xff",
            b"/Encoding 256 array dup 999 /x put dup -1 /y put dup 3 put put def",
        ] {
            for format in [ProgramFormat::Type1, ProgramFormat::TrueType, ProgramFormat::Compact] {
                if let Some(p) = Program::parse(data.to_vec(), format) {
                    query_all(&p);
                }
            }
        }
    }
}

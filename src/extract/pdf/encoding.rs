//! Simple-font encodings and glyph names: the predefined base encodings (WinAnsi, MacRoman, MacExpert,
//! Standard, Symbol, ZapfDingbats) as characters, glyph names through the Adobe Glyph List and the
//! naming conventions producers use beside it, and the widths of the standard 14 fonts for fonts that
//! carry none.
//!
//! The encodings and the AGL come from the `pdf_encoding` crate (ISO 32000 Annex D, Adobe's
//! glyphlist.txt); only the standard 14 widths, which no crate carries, are data of our own
//! (`tables.rs`). This module maps names and codes to text; it never reads a PDF object or a font
//! program, and a name it cannot resolve stays unresolved rather than becoming guessed text.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::tables;

/// Windows-1252 as PDF's WinAnsiEncoding defines it, as characters. Unused codes above 0x40 are the
/// bullet, as the PDF specification notes (ReportLab draws list bullets as 0x7F).
pub static WIN_ANSI: LazyLock<[Option<char>; 256]> =
    LazyLock::new(|| std::array::from_fn(|code| BaseEncoding::WinAnsi.char(code as u8)));

/// A base encoding named by a font's `/Encoding` or `/BaseEncoding`, or the built-in encoding of a
/// standard font that has one of its own (Symbol, ZapfDingbats).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    WinAnsi,
    MacRoman,
    MacExpert,
    Standard,
    Symbol,
    ZapfDingbats,
}

impl BaseEncoding {
    /// The encoding a PDF name stands for; only the three a PDF may name (9.6.5.1).
    pub(crate) fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            b"MacExpertEncoding" => Some(BaseEncoding::MacExpert),
            // Not valid as a PDF name, but written by some producers; it means what it says.
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    fn map(self) -> &'static pdf_encoding::ForwardMap {
        match self {
            BaseEncoding::WinAnsi => &pdf_encoding::WINANSI,
            BaseEncoding::MacRoman => &pdf_encoding::MACROMAN,
            BaseEncoding::MacExpert => &pdf_encoding::MACEXPERT,
            BaseEncoding::Standard => &pdf_encoding::STANDARD,
            BaseEncoding::Symbol => &pdf_encoding::SYMBOL,
            BaseEncoding::ZapfDingbats => &pdf_encoding::ZDINGBAT,
        }
    }

    /// The character a code stands for in this encoding; `None` for an unused code.
    pub(crate) fn char(self, code: u8) -> Option<char> {
        if self == BaseEncoding::WinAnsi && code == 0xad {
            // 0xAD is the soft hyphen: a break opportunity, visible only at a line end.
            return Some('\u{ad}');
        }
        if code < 0x20 {
            // Control codes are not text; the crate's WinAnsi and MacRoman tables pass them through
            // (and its MacRoman puts Apple's ⌘ ✓ ◆  there).
            return None;
        }
        if let Some(&(_, _, c)) = CRATE_FIXES.iter().find(|&&(e, k, _)| e == self && k == code) {
            return Some(c);
        }
        match self.map().get(code) {
            // WinAnsi's unused 0x7F draws the bullet too (see below).
            Some('\u{7f}') if self == BaseEncoding::WinAnsi => Some('\u{2022}'),
            Some('\u{7f}') => None,
            // The crate writes the `space` glyph as a no-break space and `hyphen` (outside WinAnsi's
            // 0xAD) as a soft hyphen: they are the word space and the hyphen.
            Some('\u{a0}') => Some(' '),
            Some('\u{ad}') => Some('-'),
            Some(c) => Some(c),
            // WinAnsi's unused codes above 0x40 draw the bullet (PDF 32000-1, Annex D, note 6).
            None if self == BaseEncoding::WinAnsi && code > 0x40 => Some('\u{2022}'),
            None => None,
        }
    }
}

/// Codes where `pdf_encoding` departs from PDF 32000-1 Annex D read through the AGL's first value for
/// the glyph name: MacRoman 0xDB is `currency` (not the euro Apple put there later), and `fraction`,
/// `periodcentered` and `macron` are U+2044, U+00B7 and U+00AF (the crate takes the AGL's second
/// values, U+2215, U+2219 and U+02C9).
const CRATE_FIXES: &[(BaseEncoding, u8, char)] = &[
    (BaseEncoding::MacRoman, 0xdb, '\u{a4}'),
    (BaseEncoding::Standard, 0xa4, '\u{2044}'),
    (BaseEncoding::Standard, 0xb4, '\u{b7}'),
    (BaseEncoding::Standard, 0xc5, '\u{af}'),
    (BaseEncoding::Symbol, 0xa4, '\u{2044}'),
];

/// The Unicode text of a glyph name: the Adobe Glyph List, then `uniXXXX`, `uXXXX[XX]`, ligature names
/// joined by `_`, and suffixed variants (`a.sc`, `one.oldstyle`).
pub(crate) fn glyph_name_to_text(name: &str) -> Option<String> {
    if let Some(text) = agl_or_tex(name) {
        return Some(text.to_string());
    }
    let base = name.split('.').next().unwrap_or(name);
    if base.contains('_') {
        // `f_f_i` is the ligature `ffi` where the AGL has one; otherwise its parts, joined.
        if let Some(text) = agl_or_tex(&base.replace('_', "")) {
            return Some(text.to_string());
        }
        let parts: Option<String> = base.split('_').map(glyph_name_to_text).collect();
        return parts;
    }
    if base != name {
        return glyph_name_to_text(base);
    }
    // TeX's extension fonts name the sizes of one delimiter or operator `parenleftbig`, `parenleftBigg`,
    // `summationtext`, `integraldisplay`: each is its base character.
    for size in ["bigg", "Bigg", "big", "Big", "text", "display"] {
        if let Some(text) = name.strip_suffix(size).filter(|b| !b.is_empty()).and_then(agl_or_tex) {
            return Some(text.to_string());
        }
    }
    if let Some(hex) = name.strip_prefix("uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let units: Vec<u16> = hex
                .as_bytes()
                .chunks(4)
                .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
                .collect();
            return Some(char::decode_utf16(units).map(|r| r.unwrap_or('\u{fffd}')).collect());
        }
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).map(String::from);
        }
    }
    None
}

/// A glyph name's text in the AGL, else among the TeX fonts' names of `data/tex-glyphs.txt`.
fn agl_or_tex(name: &str) -> Option<&'static str> {
    pdf_encoding::glyphname_to_unicode(name).or_else(|| {
        let extra: &'static [(&'static str, String)] = &TEX_GLYPHS;
        let i = extra.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
        Some(extra[i].1.as_str())
    })
}

/// The glyph list of `data/tex-glyphs.txt` (its sources are named there), sorted by name.
static TEX_GLYPHS: LazyLock<Vec<(&'static str, String)>> =
    LazyLock::new(|| parse_glyph_list(include_str!("data/tex-glyphs.txt")));

/// Entries of a list in the format of Adobe's glyphlist.txt (`name;HEX[ HEX...]`, `#` comments), sorted
/// by name; a line that does not parse is left out (a unit test checks the shipped lists have none).
pub(crate) fn parse_glyph_list(text: &'static str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (name, codes) = l.split_once(';')?;
            let text: Option<String> = codes
                .split_whitespace()
                .map(|h| u32::from_str_radix(h, 16).ok().and_then(char::from_u32))
                .collect();
            Some((name.trim(), text.filter(|t| !t.is_empty())?))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// The character code a glyph name spells by the numbering conventions of producers that name glyphs
/// after their codes rather than their characters: `aNN` (decimal, dvips' bitmap Type3 fonts, read so
/// by MuPDF), `cNN`/`CNN` (decimal, Ghostscript's Type3 fonts), `GXX` (two hex digits) and
/// `g00XX` (pdf.js reads both). Used only for names the AGL does not know; the caller decides what the
/// code means (its character in the font's base encoding, or Latin-1).
pub(crate) fn glyph_name_code(name: &str) -> Option<u8> {
    let (first, rest) = name.split_at_checked(1)?;
    let all = |f: fn(&u8) -> bool| !rest.is_empty() && rest.as_bytes().iter().all(f);
    let code = match first {
        "a" | "c" | "C" if (2..=3).contains(&rest.len()) && all(u8::is_ascii_digit) => {
            rest.parse::<u32>().ok()?
        }
        // Not `g12`: Word's subsets name glyphs by index that way (see `glyph_name_index`).
        "G" if rest.len() == 2 && all(u8::is_ascii_hexdigit) => u32::from_str_radix(rest, 16).ok()?,
        "g" if rest.len() == 4 && rest.starts_with("00") && all(u8::is_ascii_hexdigit) => {
            u32::from_str_radix(rest, 16).ok()?
        }
        _ => return None,
    };
    u8::try_from(code).ok().filter(|&c| c >= 0x20)
}

/// The glyph index a name such as `g123`, `glyph123` or `gid123` gives (names that subsetting tools
/// write for glyphs they know only by index).
pub(crate) fn glyph_name_index(name: &str) -> Option<u32> {
    let digits = ["gid", "glyph", "g"].iter().find_map(|p| name.strip_prefix(p))?;
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Glyph ids of the Microsoft core TrueType fonts and their characters (`data/core-font-glyphs.txt`, which
/// names its source).
static CORE_FONT_GLYPHS: LazyLock<HashMap<u32, char>> = LazyLock::new(|| {
    include_str!("data/core-font-glyphs.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (gid, hex) = l.trim().split_once(';')?;
            let c = char::from_u32(u32::from_str_radix(hex.trim(), 16).ok()?)?;
            Some((gid.trim().parse().ok()?, c))
        })
        .collect()
});

/// Whether a `/BaseFont` names one of the Microsoft core TrueType families (Arial, Times New Roman, Courier
/// New, in any style and spelling: `TimesNewRomanPS-BoldMT`, `Times.New.Roman.Kursiv`, `ABCDEF+Arial,Bold`),
/// whose glyph order `core_font_glyph` knows. Arial Unicode MS, a font of another glyph order, is not one.
pub(crate) fn is_core_font(base_font: &str) -> bool {
    let name = base_font.split('+').next_back().unwrap_or(base_font);
    let name: String =
        name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    ["arial", "timesnewroman", "couriernew"].iter().any(|f| name.starts_with(f)) && !name.contains("unicode")
}

/// The character a glyph id draws in the Microsoft core TrueType fonts; `None` for ids the table lacks.
pub(crate) fn core_font_glyph(gid: u32) -> Option<char> {
    CORE_FONT_GLYPHS.get(&gid).copied()
}

/// Widths of the standard 14 fonts by character, built once from the AFM tables (keyed by glyph name)
/// through the AGL.
static CORE_WIDTHS_BY_CHAR: LazyLock<HashMap<(&'static str, char), u16>> = LazyLock::new(|| {
    let mut out = HashMap::new();
    for (family, widths) in tables::CORE_WIDTHS {
        for (name, w) in *widths {
            let Some(text) = pdf_encoding::glyphname_to_unicode(name) else { continue };
            let mut chars = text.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                out.entry((*family, c)).or_insert(*w);
            }
        }
    }
    out
});

/// Width (1/1000 em) of the glyph for `text` in a standard 14 font; `None` for fonts that are not
/// standard or text they have no single glyph for.
pub(crate) fn standard_width(base_font: &str, text: &str) -> Option<f32> {
    let family = standard_font_name(base_font)?;
    if family.starts_with("Courier") {
        return Some(600.0);
    }
    let mut chars = text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else { return None };
    // The soft hyphen is drawn with the hyphen's glyph.
    let c = if c == '\u{ad}' { '-' } else { c };
    CORE_WIDTHS_BY_CHAR.get(&(family, c)).map(|&w| w as f32)
}

/// The standard 14 font a `/BaseFont` names, allowing the usual aliases (`Arial,Bold`, `TimesNewRoman`).
fn standard_font_name(base_font: &str) -> Option<&'static str> {
    let name = base_font.split('+').next_back().unwrap_or(base_font).to_ascii_lowercase();
    let bold = name.contains("bold");
    let italic = name.contains("italic") || name.contains("oblique");
    let family = if name.starts_with("helvetica") || name.starts_with("arial") {
        ["Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"]
    } else if name.starts_with("times") {
        ["Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic"]
    } else if name.starts_with("courier") {
        ["Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique"]
    } else {
        return None;
    };
    Some(family[bold as usize + 2 * italic as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_to_text("adieresis").as_deref(), Some("ä"));
        assert_eq!(glyph_name_to_text("fi").as_deref(), Some("\u{fb01}"));
        assert_eq!(glyph_name_to_text("uni00E5").as_deref(), Some("å"));
        assert_eq!(glyph_name_to_text("u1F600").as_deref(), Some("\u{1f600}"));
        assert_eq!(glyph_name_to_text("f_f").as_deref(), Some("\u{fb00}"));
        assert_eq!(glyph_name_to_text("T_h").as_deref(), Some("Th"));
        assert_eq!(glyph_name_to_text("a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_name_to_text("g1234"), None);
        assert_eq!(glyph_name_to_text("a65"), None);
        // TeX names the AGL lacks.
        assert_eq!(glyph_name_to_text("owner").as_deref(), Some("\u{220b}"));
        assert_eq!(glyph_name_to_text("angbracketleft").as_deref(), Some("\u{27e8}"));
        assert_eq!(glyph_name_to_text("prime").as_deref(), Some("\u{2032}"));
        assert_eq!(glyph_name_to_text("parenleftBigg").as_deref(), Some("("));
        assert_eq!(glyph_name_to_text("summationtext").as_deref(), Some("\u{2211}"));
        assert_eq!(glyph_name_to_text("big"), None);
    }

    #[test]
    fn tex_extension_font_pieces_and_sizes() {
        // Display sizes of n-ary operators are the n-ary characters, not the binary ones.
        assert_eq!(glyph_name_to_text("uniondisplay").as_deref(), Some("\u{22c3}"));
        assert_eq!(glyph_name_to_text("intersectiontext").as_deref(), Some("\u{22c2}"));
        assert_eq!(glyph_name_to_text("coproductdisplay").as_deref(), Some("\u{2210}"));
        // Pieces and wide accents that have no base name to fall back on.
        assert_eq!(glyph_name_to_text("vextendsingle").as_deref(), Some("\u{2223}"));
        assert_eq!(glyph_name_to_text("vextenddouble").as_deref(), Some("\u{2225}"));
        assert_eq!(glyph_name_to_text("bracehtipdownleft").as_deref(), Some("\u{fe37}"));
        assert_eq!(glyph_name_to_text("bracehtipupright").as_deref(), Some("\u{fe38}"));
        assert_eq!(glyph_name_to_text("tildewider").as_deref(), Some("\u{2dc}"));
        assert_eq!(glyph_name_to_text("arrowhookleft").as_deref(), Some("\u{21aa}"));
        assert_eq!(glyph_name_to_text("epsilon1").as_deref(), Some("\u{3f5}"));
        assert_eq!(glyph_name_to_text("FFIsmall").as_deref(), Some("ffi"));
        // The AGL's own bracket pieces stay as the AGL has them.
        assert_eq!(glyph_name_to_text("parenlefttp").as_deref(), Some("\u{f8eb}"));
    }

    #[test]
    fn tex_glyph_list_parses_whole_and_adds_only_new_names() {
        let data = include_str!("data/tex-glyphs.txt");
        let lines = data.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).count();
        assert_eq!(TEX_GLYPHS.len(), lines, "every entry parses, no name twice");
        let shadowed: Vec<&str> = TEX_GLYPHS
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| pdf_encoding::glyphname_to_unicode(name).is_some())
            .collect();
        assert!(shadowed.is_empty(), "known to the AGL already: {shadowed:?}");
        // Malformed lines are left out, not guessed.
        let parsed = parse_glyph_list("# c\nb;0062\na;0041 0042\nbad\nx;zz\nsur;D800\n");
        assert_eq!(parsed, vec![("a", "AB".to_string()), ("b", "b".to_string())]);
    }

    #[test]
    fn core_font_glyph_order() {
        assert_eq!(core_font_glyph(3), Some(' '));
        assert_eq!(core_font_glyph(36), Some('A'));
        assert_eq!(core_font_glyph(68), Some('a'));
        assert_eq!(core_font_glyph(30), Some(';'));
        assert_eq!(core_font_glyph(112), Some('é'));
        assert_eq!(core_font_glyph(171), Some('…'));
        assert_eq!(core_font_glyph(224), Some('Ł'));
        assert_eq!(core_font_glyph(2), None);
        assert_eq!(core_font_glyph(0), None);
        assert_eq!(core_font_glyph(70_000), None);
        let data = include_str!("data/core-font-glyphs.txt");
        assert_eq!(
            CORE_FONT_GLYPHS.len(),
            data.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).count()
        );
        for name in [
            "TimesNewRoman",
            "TimesNewRoman,Italic",
            "ABCDEF+Arial-BoldMT",
            "Times.New.Roman.Kursiv0104",
            "CourierNewPSMT",
        ] {
            assert!(is_core_font(name), "{name}");
        }
        for name in ["Helvetica", "ArialUnicodeMS", "Calibri", "Times-Roman", "Cambria"] {
            assert!(!is_core_font(name), "{name}");
        }
    }

    #[test]
    fn numbered_glyph_names() {
        assert_eq!(glyph_name_code("a65"), Some(b'A'));
        assert_eq!(glyph_name_code("a101"), Some(b'e'));
        assert_eq!(glyph_name_code("C48"), Some(b'0'));
        assert_eq!(glyph_name_code("G41"), Some(b'A'));
        assert_eq!(glyph_name_code("g0061"), Some(b'a'));
        // Control codes, codes past a byte and ordinary names are no codes.
        assert_eq!(glyph_name_code("a9"), None);
        assert_eq!(glyph_name_code("a12"), None);
        assert_eq!(glyph_name_code("a999"), None);
        assert_eq!(glyph_name_code("acute"), None);
        assert_eq!(glyph_name_code("g"), None);
        assert_eq!(glyph_name_code("g41"), None);
        assert_eq!(glyph_name_index("g123"), Some(123));
        assert_eq!(glyph_name_index("gid7"), Some(7));
        assert_eq!(glyph_name_index("glyph12"), Some(12));
        assert_eq!(glyph_name_index("grave"), None);
    }

    #[test]
    fn win_ansi_table() {
        assert_eq!(WIN_ANSI[0xe4], Some('ä'));
        assert_eq!(WIN_ANSI[0x96], Some('–'));
        assert_eq!(WIN_ANSI[0x7f], Some('•'));
        assert_eq!(WIN_ANSI[0x81], Some('•'));
        assert_eq!(WIN_ANSI[0x41], Some('A'));
        assert_eq!(WIN_ANSI[0xad], Some('\u{ad}'));
        assert_eq!(WIN_ANSI[0x05], None);
    }

    #[test]
    fn base_encodings_match_annex_d() {
        // The word space and the hyphen, in every encoding that has them.
        for e in [BaseEncoding::WinAnsi, BaseEncoding::MacRoman, BaseEncoding::Standard, BaseEncoding::Symbol]
        {
            assert_eq!(e.char(0x20), Some(' '), "{e:?}");
        }
        for e in [BaseEncoding::WinAnsi, BaseEncoding::MacRoman, BaseEncoding::Standard] {
            assert_eq!(e.char(0x2d), Some('-'), "{e:?}");
        }
        assert_eq!(BaseEncoding::WinAnsi.char(0xa0), Some(' '));
        assert_eq!(BaseEncoding::MacRoman.char(0xca), Some(' '));
        assert_eq!(BaseEncoding::MacRoman.char(0xdb), Some('¤'));
        assert_eq!(BaseEncoding::MacRoman.char(0x11), None);
        assert_eq!(BaseEncoding::Standard.char(0xa4), Some('\u{2044}'));
        assert_eq!(BaseEncoding::Standard.char(0xb4), Some('·'));
        assert_eq!(BaseEncoding::Standard.char(0xc5), Some('¯'));
        assert_eq!(BaseEncoding::Symbol.char(0x2d), Some('\u{2212}'));
    }

    #[test]
    fn each_base_encoding_is_its_own() {
        // MacExpert is not MacRoman, ZapfDingbats is not Symbol.
        assert_eq!(BaseEncoding::MacExpert.char(0x56), Some('\u{fb00}'));
        assert_eq!(BaseEncoding::MacRoman.char(0x8a), Some('ä'));
        assert_eq!(BaseEncoding::Symbol.char(0x61), Some('α'));
        assert_eq!(BaseEncoding::ZapfDingbats.char(0x33), Some('\u{2713}'));
        assert_eq!(BaseEncoding::ZapfDingbats.char(32), Some(' '));
        assert_eq!(BaseEncoding::Standard.char(0xae), Some('\u{fb01}'));
        assert_eq!(BaseEncoding::from_name(b"MacExpertEncoding"), Some(BaseEncoding::MacExpert));
    }

    #[test]
    fn standard_widths() {
        assert_eq!(standard_width("Helvetica", "a"), Some(556.0));
        assert_eq!(standard_width("Helvetica-Bold", " "), Some(278.0));
        assert_eq!(standard_width("ABCDEF+Arial,Bold", "a"), Some(556.0));
        assert_eq!(standard_width("Helvetica", "\u{ad}"), standard_width("Helvetica", "-"));
        assert_eq!(standard_width("Courier", "x"), Some(600.0));
        assert_eq!(standard_width("DejaVuSans", "a"), None);
    }
}

//! Simple-font encodings (WinAnsi, MacRoman, Standard, Symbol, `/Differences`), glyph names through the
//! Adobe Glyph List, and the widths of the standard 14 fonts for fonts that carry none.

use std::sync::LazyLock;

use super::tables;

/// Windows-1252 as PDF's WinAnsiEncoding defines it, as characters. Unused codes above 0x40 are the
/// bullet, as the PDF specification notes (ReportLab draws list bullets as 0x7F).
pub static WIN_ANSI: LazyLock<[Option<char>; 256]> = LazyLock::new(|| {
    let mut table = [None; 256];
    for (code, slot) in table.iter_mut().enumerate() {
        *slot = match tables::WIN_ANSI_NAMES[code] {
            // 0xAD is the soft hyphen: a break opportunity, visible only at a line end.
            _ if code == 0xad => Some('\u{ad}'),
            Some(name) => glyph_name_to_char(name),
            None if code > 0x40 => Some('\u{2022}'),
            None => None,
        };
    }
    table
});

/// A base encoding named by a font's `/Encoding` or `/BaseEncoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    WinAnsi,
    MacRoman,
    Standard,
    Symbol,
}

impl BaseEncoding {
    pub(crate) fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"SymbolEncoding" => Some(BaseEncoding::Symbol),
            _ => None,
        }
    }

    /// The glyph name of each code.
    pub(crate) fn names(self) -> [Option<&'static str>; 256] {
        let mut names = match self {
            BaseEncoding::WinAnsi => tables::WIN_ANSI_NAMES,
            BaseEncoding::MacRoman => tables::MAC_ROMAN_NAMES,
            BaseEncoding::Standard => tables::STANDARD_NAMES,
            BaseEncoding::Symbol => tables::SYMBOL_NAMES,
        };
        if self == BaseEncoding::WinAnsi {
            for (code, slot) in names.iter_mut().enumerate() {
                if slot.is_none() && code > 0x40 {
                    *slot = Some("bullet");
                }
            }
        }
        names
    }
}

/// The Unicode text of a glyph name: the Adobe Glyph List, then `uniXXXX`, `uXXXX[XX]`, ligature names
/// joined by `_`, and suffixed variants (`a.sc`, `one.oldstyle`).
pub(crate) fn glyph_name_to_text(name: &str) -> Option<String> {
    if let Some(c) = glyph_name_to_char(name) {
        return Some(c.to_string());
    }
    let base = name.split('.').next().unwrap_or(name);
    if base.contains('_') {
        let parts: Option<String> = base.split('_').map(glyph_name_to_text).collect();
        return parts;
    }
    if base != name {
        return glyph_name_to_text(base);
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

fn glyph_name_to_char(name: &str) -> Option<char> {
    let i = tables::GLYPH_NAMES.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
    char::from_u32(tables::GLYPH_NAMES[i].1 as u32)
}

/// Widths (1/1000 em) of a standard 14 font by glyph name; `None` for fonts that are not standard.
pub(crate) fn standard_width(base_font: &str, glyph: &str) -> Option<f32> {
    let family = standard_font_name(base_font)?;
    if family.starts_with("Courier") {
        return Some(600.0);
    }
    let (_, widths) = tables::CORE_WIDTHS.iter().find(|(n, _)| *n == family)?;
    let i = widths.binary_search_by(|(n, _)| (*n).cmp(glyph)).ok()?;
    Some(widths[i].1 as f32)
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
    }

    #[test]
    fn win_ansi_table() {
        assert_eq!(WIN_ANSI[0xe4], Some('ä'));
        assert_eq!(WIN_ANSI[0x96], Some('–'));
        assert_eq!(WIN_ANSI[0x7f], Some('•'));
        assert_eq!(WIN_ANSI[0x41], Some('A'));
    }

    #[test]
    fn standard_widths() {
        assert_eq!(standard_width("Helvetica", "a"), Some(556.0));
        assert_eq!(standard_width("Helvetica-Bold", "space"), Some(278.0));
        assert_eq!(standard_width("ABCDEF+Arial,Bold", "a"), Some(556.0));
        assert_eq!(standard_width("Courier", "x"), Some(600.0));
        assert_eq!(standard_width("DejaVuSans", "a"), None);
    }
}

//! Character-level clean-up shared by every reader: ligatures expanded, soft hyphens and zero-width
//! characters dropped, spacing accents recomposed, Unicode NFC.

use unicode_normalization::UnicodeNormalization;

/// Normalise a piece of extracted text.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            // Ligatures: NFKC of U+FB00–FB06 only; NFKC elsewhere would change real characters.
            '\u{fb00}'..='\u{fb06}' => out.extend(c.nfkc()),
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => {}
            '\u{a0}' => out.push(' '),
            _ => out.push(c),
        }
    }
    if out.is_ascii() {
        return out;
    }
    out.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_and_soft_hyphens() {
        assert_eq!(normalize("\u{fb01}nns o\u{fb00}entlig jäm\u{ad}ställd"), "finns offentlig jämställd");
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(normalize("a\u{308}r"), "är");
    }
}

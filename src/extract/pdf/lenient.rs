//! Leniency for content streams that lopdf's content parser rejects where pdf.js and MuPDF read on:
//! inside an array (the operand of `TJ`), a bare sign (`-` or `+` with no digits, which pdf.js and Adobe
//! Reader read as 0) and an operator keyword (which pdf.js keeps as an ignorable item) stop lopdf's
//! parser, and the rest of the stream is dropped without an error.
//!
//! [`lenient_content`] rewrites just those tokens, byte for byte (a sign becomes `0`, a keyword becomes
//! spaces), and leaves everything else alone: strings, comments, dictionaries and inline image data are
//! skipped over, never rewritten. On the way it counts the operators outside arrays, so that the
//! interpreter can tell when lopdf's parser stopped before the end of a stream (which it does without
//! an error). It is one pass over the bytes, O(n), with no recursion; it never interprets an operator.

use std::borrow::Cow;

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// A content stream made readable, and what the pass over it counted.
pub(crate) struct Lenient<'a> {
    /// The content with the array items lopdf cannot parse made harmless; borrowed when there are none.
    pub data: Cow<'a, [u8]>,
    /// Operators outside arrays up to the first inline image's data (`BI` counts, as lopdf's parser
    /// counts it). Past raw image data the pass cannot always tell where the data ends exactly as lopdf
    /// does (by the image's size), so it does not count there: a count that is too high would report a
    /// stream as broken when it is not.
    pub operators: usize,
}

/// Make `data` readable by lopdf's content parser and count its operators.
pub(crate) fn lenient_content(data: &[u8]) -> Lenient<'_> {
    let mut out: Option<Vec<u8>> = None;
    let mut operators = 0usize;
    let mut counting = true;
    let mut depth = 0usize;
    let mut i = 0;
    let n = data.len();
    while i < n {
        let c = data[i];
        match c {
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                // A literal string: balanced parentheses, backslash escapes.
                let mut nest = 0usize;
                while i < n {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => nest += 1,
                        b')' => {
                            nest = nest.saturating_sub(1);
                            if nest == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' => {
                if data.get(i + 1) == Some(&b'<') {
                    i += 2;
                } else {
                    while i < n && data[i] != b'>' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' => {
                // A name: its characters are never an operator.
                i += 1;
                while i < n && !is_white(data[i]) && !is_delimiter(data[i]) {
                    i += 1;
                }
            }
            b'[' => {
                depth += 1;
                i += 1;
            }
            b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            c if is_white(c) || is_delimiter(c) => i += 1,
            _ => {
                let start = i;
                while i < n && !is_white(data[i]) && !is_delimiter(data[i]) {
                    i += 1;
                }
                let token = &data[start..i];
                if depth == 0 {
                    if token == b"ID" {
                        // Inline image data: binary, up to whitespace + EI + whitespace (or the end).
                        i = skip_inline_image(data, i);
                        counting = false;
                    } else if counting && is_operator(token) {
                        operators += 1;
                    }
                    continue;
                }
                let fix: Option<u8> = if token.iter().all(|&b| b == b'-' || b == b'+') {
                    Some(b'0')
                } else if token[0].is_ascii_alphabetic() && !matches!(token, b"true" | b"false" | b"null") {
                    Some(b' ')
                } else {
                    None
                };
                if let Some(first) = fix {
                    let buf = out.get_or_insert_with(|| data.to_vec());
                    buf[start] = first;
                    for b in &mut buf[start + 1..i] {
                        *b = b' ';
                    }
                }
            }
        }
    }
    let data = match out {
        Some(fixed) => Cow::Owned(fixed),
        None => Cow::Borrowed(data),
    };
    Lenient { data, operators }
}

/// A keyword that lopdf reads as an operator (not a number, and not one of the three constant keywords).
fn is_operator(token: &[u8]) -> bool {
    (token[0].is_ascii_alphabetic() || token[0] == b'\'' || token[0] == b'"')
        && !matches!(token, b"true" | b"false" | b"null")
}

/// The index just past an inline image's data, which starts after `ID` at `from`.
fn skip_inline_image(data: &[u8], from: usize) -> usize {
    let mut i = from + 1;
    while i + 2 <= data.len() {
        if is_white(data[i - 1])
            && data[i] == b'E'
            && data.get(i + 1) == Some(&b'I')
            && data.get(i + 2).is_none_or(|&c| is_white(c))
        {
            return i + 2;
        }
        i += 1;
    }
    data.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        String::from_utf8(lenient_content(s.as_bytes()).data.into_owned()).unwrap()
    }

    #[test]
    fn a_bare_sign_in_an_array_reads_as_zero() {
        assert_eq!(fixed("[(a) - (b) -20 (c)] TJ"), "[(a) 0 (b) -20 (c)] TJ");
    }

    #[test]
    fn an_operator_in_an_array_is_blanked() {
        assert_eq!(fixed("[(a) Tc (b) true] TJ"), "[(a)    (b) true] TJ");
    }

    #[test]
    fn strings_comments_and_image_data_are_left_alone() {
        let s = "[(x - Tc \\) y) <2d> /Name] TJ % [- Tc]\nBI /W 1 ID [- Tc] EI [(z)] TJ";
        assert!(matches!(lenient_content(s.as_bytes()).data, Cow::Borrowed(_)));
        assert_eq!(fixed("- 5 Td"), "- 5 Td");
    }

    proptest::proptest! {
        /// On any bytes the pass ends, keeps the length (every offset holds) and, run again, changes
        /// nothing more.
        #[test]
        fn any_bytes_keep_their_length_and_a_second_pass_changes_nothing(
            data in proptest::collection::vec(proptest::sample::select(b"[]()<>/%\\ -+0aTcIDEB\n".to_vec()), 0..200)
        ) {
            let once = lenient_content(&data).data.into_owned();
            proptest::prop_assert_eq!(once.len(), data.len());
            let twice = lenient_content(&once).data.into_owned();
            proptest::prop_assert_eq!(twice, once);
        }
    }

    #[test]
    fn operators_are_counted_outside_arrays_up_to_inline_image_data() {
        let s = "q 1 0 0 1 0 0 cm BT /F1 12 Tf [(a) Tc (b)] TJ ET /P <</MCID 0 /X true>> BDC EMC \
                 BI /W 1 /H 1 /IM true ID xx EI Q";
        // q cm BT Tf TJ ET BDC EMC BI
        assert_eq!(lenient_content(s.as_bytes()).operators, 9);
    }
}

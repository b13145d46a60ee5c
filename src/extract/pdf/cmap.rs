//! CMaps: ToUnicode maps (code → text) and the code space ranges that say how many bytes a code takes.
//!
//! The parser is a tolerant tokenizer over the PostScript-like CMap syntax: it reads `begincodespacerange`,
//! `beginbfchar`, `beginbfrange` (with a start value or an array of values) and `begincidrange`/
//! `begincidchar` sections and ignores everything else, so a damaged CMap maps what it can.

use std::collections::{BTreeMap, HashMap};

use compact_str::CompactString;

/// A parsed CMap.
#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    /// (low, high, byte length) of each code space range.
    code_space: Vec<(u32, u32, u8)>,
    chars: HashMap<(u32, u8), CompactString>,
    /// (low, high, byte length, destination): a range maps low..=high to consecutive values.
    ranges: Vec<(u32, u32, u8, RangeTarget)>,
    /// CID mappings of an encoding CMap: (low, high, byte length, first CID).
    cid_ranges: Vec<(u32, u32, u8, u32)>,
    /// `ranges` and `cid_ranges` as disjoint segments, each naming the range that wins there (see
    /// [`last_wins`]): a code is looked up by binary search, not by a scan of every range per glyph.
    range_index: Vec<Segment>,
    cid_index: Vec<Segment>,
    /// The CMap this one builds on (`/90ms-RKSJ-H usecmap`): codes this one leaves out are the
    /// parent's (the caller resolves predefined names).
    parent: Option<String>,
    /// `/WMode 1`: vertical writing.
    vertical: bool,
}

/// (byte length, low, high, index of the winning range).
type Segment = (u8, u32, u32, usize);

/// Code space ranges one CMap may declare; more are ignored. Real CMaps declare a handful, and each
/// glyph's code is compared with every one of them.
const MAX_CODE_SPACE_RANGES: usize = 256;

/// Split ranges given in definition order (low, high, byte length) into disjoint segments, each
/// carrying the index of the last range that covers it (a later definition overrides), sorted by
/// (length, low). Ranges are painted from the last one back, each filling only the gaps that later
/// ones left; the covered part is kept as merged intervals, so this is O(n log n).
fn last_wins(ranges: &[(u32, u32, u8)]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut covered: BTreeMap<(u8, u32), u32> = BTreeMap::new();
    for (index, &(lo, hi, len)) in ranges.iter().enumerate().rev() {
        if lo > hi {
            continue;
        }
        // Covered intervals that touch [lo, hi]: the one that starts before lo (if it reaches it), then
        // those that start inside.
        let before = covered.range(..(len, lo)).next_back().filter(|(&(l, _), &h)| l == len && h >= lo);
        let mut touching: Vec<(u32, u32)> = before.map(|(&(_, l), &h)| (l, h)).into_iter().collect();
        touching.extend(covered.range((len, lo)..=(len, hi)).map(|(&(_, l), &h)| (l, h)));
        // Next code not yet known to be covered; `None` once past u32::MAX.
        let mut next = Some(lo);
        let (mut merged_lo, mut merged_hi) = (lo, hi);
        for &(clo, chi) in &touching {
            if let Some(n) = next {
                if clo > n {
                    out.push((len, n, clo - 1, index));
                }
            }
            next = next.map(|n| n.max(chi.saturating_add(1))).filter(|_| chi < u32::MAX);
            merged_lo = merged_lo.min(clo);
            merged_hi = merged_hi.max(chi);
            covered.remove(&(len, clo));
        }
        if let Some(n) = next.filter(|&n| n <= hi) {
            out.push((len, n, hi, index));
        }
        covered.insert((len, merged_lo), merged_hi);
    }
    out.sort_unstable_by_key(|&(len, lo, _, _)| (len, lo));
    out
}

/// The index of the range that wins for `code` of `len` bytes.
fn winner(index: &[Segment], code: u32, len: u8) -> Option<usize> {
    let p = index.partition_point(|&(l, lo, _, _)| (l, lo) <= (len, code));
    let &(l, _, hi, winner) = index.get(p.checked_sub(1)?)?;
    (l == len && code <= hi).then_some(winner)
}

#[derive(Debug, Clone)]
enum RangeTarget {
    /// UTF-16 units of the value for `low`; later codes increment the last unit.
    Start(Vec<u16>),
    /// One value per code.
    Each(Vec<CompactString>),
}

#[derive(Debug, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Int(i64),
    Word(String),
    Open,
    Close,
}

fn tokenize(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                let end = data[start..].iter().position(|&b| b == b'>').map_or(data.len(), |p| start + p);
                let digits: Vec<u8> =
                    data[start..end].iter().copied().filter(u8::is_ascii_hexdigit).collect();
                let mut bytes = Vec::with_capacity(digits.len().div_ceil(2));
                for pair in digits.chunks(2) {
                    let hi = hex_value(pair[0]);
                    let lo = pair.get(1).map_or(0, |&d| hex_value(d));
                    bytes.push(hi << 4 | lo);
                }
                tokens.push(Token::Hex(bytes));
                i = end + 1;
                continue;
            }
            b'(' => {
                // Literal strings appear only in metadata (/Registry (Adobe)); skip them, nesting included.
                let mut depth = 0;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'[' => tokens.push(Token::Open),
            b']' => tokens.push(Token::Close),
            _ if c.is_ascii_whitespace() => {}
            _ => {
                let start = i;
                while i < data.len() && !b"<>[]()% \t\r\n\x0c/".contains(&data[i]) || i == start {
                    i += 1;
                }
                let word = String::from_utf8_lossy(&data[start..i]).into_owned();
                tokens.push(match word.parse::<i64>() {
                    Ok(n) => Token::Int(n),
                    Err(_) => Token::Word(word),
                });
                continue;
            }
        }
        i += 1;
    }
    tokens
}

fn hex_value(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        b'A'..=b'F' => d - b'A' + 10,
        _ => 0,
    }
}

fn code_of(bytes: &[u8]) -> (u32, u8) {
    let len = bytes.len().min(4);
    let code = bytes[..len].iter().fold(0u32, |acc, &b| acc << 8 | b as u32);
    (code, len as u8)
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(|p| (p[0] as u16) << 8 | p.get(1).copied().unwrap_or(0) as u16).collect()
}

fn utf16_string(units: &[u16]) -> CompactString {
    char::decode_utf16(units.iter().copied()).map(|r| r.unwrap_or('\u{fffd}')).collect()
}

impl CMap {
    /// Parse a CMap stream's decoded bytes.
    pub(crate) fn parse(data: &[u8]) -> CMap {
        let tokens = tokenize(data);
        let mut cmap = CMap::default();
        let mut i = 0;
        while i < tokens.len() {
            let Token::Word(w) = &tokens[i] else {
                i += 1;
                continue;
            };
            i += 1;
            match w.as_str() {
                "begincodespacerange" => {
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let (lo_code, len) = code_of(lo);
                        if cmap.code_space.len() < MAX_CODE_SPACE_RANGES {
                            cmap.code_space.push((lo_code, code_of(hi).0, len));
                        }
                        i += 2;
                    }
                }
                "beginbfchar" => {
                    while let (Some(Token::Hex(src)), Some(dst)) = (tokens.get(i), tokens.get(i + 1)) {
                        let text = match dst {
                            Token::Hex(d) => utf16_string(&utf16_units(d)),
                            Token::Word(name) => {
                                super::encoding::glyph_name_to_text(name.trim_start_matches('/'))
                                    .map(CompactString::from)
                                    .unwrap_or_default()
                            }
                            _ => break,
                        };
                        cmap.chars.insert(code_of(src), text);
                        i += 2;
                    }
                }
                "beginbfrange" => {
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let (lo_code, len) = code_of(lo);
                        let hi_code = code_of(hi).0;
                        i += 2;
                        match tokens.get(i) {
                            Some(Token::Hex(d)) => {
                                cmap.ranges.push((lo_code, hi_code, len, RangeTarget::Start(utf16_units(d))));
                                i += 1;
                            }
                            Some(Token::Open) => {
                                i += 1;
                                let mut each = Vec::new();
                                while let Some(Token::Hex(d)) = tokens.get(i) {
                                    each.push(utf16_string(&utf16_units(d)));
                                    i += 1;
                                }
                                if tokens.get(i) == Some(&Token::Close) {
                                    i += 1;
                                }
                                cmap.ranges.push((lo_code, hi_code, len, RangeTarget::Each(each)));
                            }
                            _ => break,
                        }
                    }
                }
                "begincidrange" => {
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi)), Some(Token::Int(cid))) =
                        (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
                    {
                        let (lo_code, len) = code_of(lo);
                        cmap.cid_ranges.push((lo_code, code_of(hi).0, len, (*cid).max(0) as u32));
                        i += 3;
                    }
                }
                "usecmap" => {
                    if let Some(Token::Word(name)) = i.checked_sub(2).and_then(|k| tokens.get(k)) {
                        cmap.parent = Some(name.trim_start_matches('/').to_string());
                    }
                }
                "/WMode" => cmap.vertical = tokens.get(i) == Some(&Token::Int(1)),
                "begincidchar" => {
                    while let (Some(Token::Hex(src)), Some(Token::Int(cid))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let (code, len) = code_of(src);
                        cmap.cid_ranges.push((code, code, len, (*cid).max(0) as u32));
                        i += 2;
                    }
                }
                _ => {}
            }
        }
        let spans: Vec<(u32, u32, u8)> = cmap.ranges.iter().map(|r| (r.0, r.1, r.2)).collect();
        cmap.range_index = last_wins(&spans);
        let spans: Vec<(u32, u32, u8)> = cmap.cid_ranges.iter().map(|r| (r.0, r.1, r.2)).collect();
        cmap.cid_index = last_wins(&spans);
        cmap
    }

    /// The text for a code of `len` bytes, if mapped.
    pub(crate) fn lookup(&self, code: u32, len: u8) -> Option<CompactString> {
        if let Some(s) = self.chars.get(&(code, len)) {
            return Some(s.clone());
        }
        // Later ranges win over earlier ones, as a later definition in the stream overrides.
        if let Some((lo, _, _, target)) =
            winner(&self.range_index, code, len).and_then(|k| self.ranges.get(k))
        {
            let offset = code - lo;
            return match target {
                RangeTarget::Start(units) => {
                    let mut units = units.clone();
                    if let Some(last) = units.last_mut() {
                        *last = last.wrapping_add(offset as u16);
                    }
                    Some(utf16_string(&units))
                }
                RangeTarget::Each(values) => values.get(offset as usize).cloned(),
            };
        }
        None
    }

    /// The name of the CMap this one uses (`usecmap`), if any.
    pub(crate) fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }

    /// Whether the CMap declares vertical writing (`/WMode 1`).
    pub(crate) fn vertical(&self) -> bool {
        self.vertical
    }

    /// Whether this CMap maps anything at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    /// How many bytes the code starting at `bytes[0]` takes, from the code space ranges; `None` when the
    /// CMap declares none.
    pub(crate) fn code_length(&self, bytes: &[u8]) -> Option<usize> {
        if self.code_space.is_empty() {
            return None;
        }
        for &(lo, hi, len) in &self.code_space {
            let len = len as usize;
            if len == 0 || bytes.len() < len {
                continue;
            }
            // Ranges compare byte by byte (PDF 32000-1, 9.7.6.2), which matters for multi-byte ranges.
            let ok = (0..len).all(|k| {
                let shift = 8 * (len - 1 - k);
                let b = bytes[k] as u32;
                b >= (lo >> shift) & 0xff && b <= (hi >> shift) & 0xff
            });
            if ok {
                return Some(len);
            }
        }
        // A code outside every range: take the shortest declared length so decoding moves on.
        self.code_space.iter().map(|&(_, _, l)| l.max(1) as usize).min()
    }

    /// The CID of a code, from `cidrange`/`cidchar` sections; `None` when not covered.
    pub(crate) fn cid(&self, code: u32, len: u8) -> Option<u32> {
        let (lo, _, _, first) = self.cid_ranges.get(winner(&self.cid_index, code, len)?)?;
        Some(first + (code - lo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0044> <00E4> endbfchar
2 beginbfrange <0010> <0012> <0041> <0020> <0021> [<FB01> <00660066>] endbfrange
endcmap";

    #[test]
    fn bfchar_and_bfrange() {
        let cmap = CMap::parse(SAMPLE);
        assert_eq!(cmap.lookup(0x44, 2).as_deref(), Some("ä"));
        assert_eq!(cmap.lookup(0x11, 2).as_deref(), Some("B"));
        assert_eq!(cmap.lookup(0x20, 2).as_deref(), Some("\u{fb01}"));
        assert_eq!(cmap.lookup(0x21, 2).as_deref(), Some("ff"));
        assert_eq!(cmap.lookup(0x13, 2), None);
        assert_eq!(cmap.code_length(&[0, 0x44]), Some(2));
    }

    #[test]
    fn usecmap_and_writing_mode_are_recorded() {
        let cmap = CMap::parse(
            b"/CMapName /Custom-V def /WMode 1 def /UniJIS-UCS2-V usecmap 1 begincidchar <20> 1 endcidchar",
        );
        assert_eq!(cmap.parent(), Some("UniJIS-UCS2-V"));
        assert!(cmap.vertical());
        assert_eq!(cmap.cid(0x20, 1), Some(1));
        let plain = CMap::parse(SAMPLE);
        assert_eq!(plain.parent(), None);
        assert!(!plain.vertical());
    }

    #[test]
    fn surrogate_pairs_decode() {
        let cmap = CMap::parse(b"1 beginbfchar <01> <D835DC00> endbfchar");
        assert_eq!(cmap.lookup(1, 1).as_deref(), Some("\u{1d400}"));
    }

    #[test]
    fn mixed_code_lengths() {
        let cmap = CMap::parse(b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange");
        assert_eq!(cmap.code_length(&[0x41, 0x42]), Some(1));
        assert_eq!(cmap.code_length(&[0x81, 0x40]), Some(2));
    }

    #[test]
    fn garbage_never_panics() {
        for data in [&b"beginbfrange <00> endbfrange"[..], b"<", b"beginbfchar <01>", b"[ ] ( ( \\"] {
            let cmap = CMap::parse(data);
            let _ = cmap.lookup(1, 1);
        }
    }

    #[test]
    fn the_last_range_that_covers_a_code_wins() {
        // Definition order: a wide range, a narrower one inside it, one overlapping its end, and one of
        // another byte length.
        let ranges = [(0, 100, 2), (10, 20, 2), (90, 200, 2), (0, 300, 1)];
        let index = last_wins(&ranges);
        let naive =
            |code: u32, len: u8| ranges.iter().rposition(|&(lo, hi, l)| l == len && code >= lo && code <= hi);
        for code in 0..320 {
            for len in [1, 2, 3] {
                assert_eq!(winner(&index, code, len), naive(code, len), "code {code}, length {len}");
            }
        }
        let edge = last_wins(&[(u32::MAX - 1, u32::MAX, 4), (0, u32::MAX, 4)]);
        assert_eq!(winner(&edge, u32::MAX, 4), Some(1));
        assert_eq!(winner(&edge, 5, 4), Some(1));
    }
}

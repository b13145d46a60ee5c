//! Document metadata: the circular's header block (Cirkulärnr, Diarienr, Nyckelord, ..., Rubrik), the
//! document type, title, date, year and organisation.
//!
//! The header block is read however a PDF reader delivers it: as table rows with a tab between label
//! and value, as label and value on separate lines, or as all labels first and all values after
//! (a table read column by column), with values wrapped over several lines. This module never reads
//! a file name or a PDF's own metadata: everything comes from the text.

use std::sync::LazyLock;

use regex::Regex;

use super::dates::{self, Day};
use super::text::{norm, starts_lowercase, word_count};
use super::units::{Kind, Layout, Unit};
use super::{DocType, Metadata};
use crate::extract::SourceFormat;

/// A field of a circular's header block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Number,
    Diary,
    Keywords,
    Officer,
    Department,
    Section,
    Date,
    Recipients,
    Subject,
    /// A label the segmenter does not use ("Bilagor:", "Telefon:"): read so that its value is not
    /// taken for the previous field's.
    Other,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid built-in pattern")
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|\s)(cirkulärnr|cirkulär\s+nr|cirkulärnummer|diarienr|diariernr|diarienummer|dnr|nyckelord|handläggare|avdelning|sektion/enhet|sektion|enhet|datum|mottagare|rubrik|ärende|bilagor|bilaga|telefon|tel|e-post|epost|vår\s+referens|er\s+referens|ert\s+datum|referens|kontaktperson|beslutsdatum|ärendenr)\s*:",
    )
});
static CIRCULAR_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^cirkulär\s+(?:nr\.?\s*)?(\d{1,2}:\d{1,3})\b"));
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^publicerad[:\s]"));
static REPORT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(resultatrapport|slutrapport|resultatredovisning|slutredovisning)\w*"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"\b((?:19|20)\d{2})\b"));
static YEAR_RANGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b((?:19|20)\d{2})\s*[-–—/]\s*((?:19|20)\d{2})\b"));
static CLOSING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:[\p{Lu}][\p{L}-]+,?\s+)?(?:den\s+)?(\d{1,2}\s+\p{L}+\s+(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})\.?$",
    )
});
static SKL: LazyLock<Regex> = LazyLock::new(|| re(r"\bSKL\b|Sveriges [Kk]ommuner och [Ll]andsting"));
static SKR: LazyLock<Regex> = LazyLock::new(|| re(r"\bSKR\b|Sveriges [Kk]ommuner och [Rr]egioner"));

fn field(label: &str) -> Field {
    let l = label.to_lowercase();
    let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
    match l.as_str() {
        "cirkulärnr" | "cirkulär nr" | "cirkulärnummer" => Field::Number,
        "diarienr" | "diariernr" | "diarienummer" | "dnr" => Field::Diary,
        "nyckelord" => Field::Keywords,
        "handläggare" => Field::Officer,
        "avdelning" => Field::Department,
        "sektion/enhet" | "sektion" | "enhet" => Field::Section,
        "datum" => Field::Date,
        "mottagare" => Field::Recipients,
        "rubrik" | "ärende" => Field::Subject,
        _ => Field::Other,
    }
}

/// A circular's header block: where it stands and what it says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    /// Units `start..end` hold it.
    pub start: usize,
    pub end: usize,
    pub fields: Vec<(Field, String)>,
}

impl Header {
    pub fn get(&self, f: Field) -> Option<&str> {
        self.fields.iter().find(|(k, v)| *k == f && !v.is_empty()).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Label(Field),
    Value(String),
}

/// Labels and values of one printed line, cells split at tabs, several labels on a line split too.
fn tokenize_line(line: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    for cell in line.split('\t').map(str::trim).filter(|c| !c.is_empty()) {
        let mut last = 0;
        for c in LABEL.captures_iter(cell) {
            let (Some(m), Some(name)) = (c.get(0), c.get(1)) else { continue };
            let before = cell[last..m.start()].trim();
            if !before.is_empty() {
                out.push(Tok::Value(before.to_string()));
            }
            out.push(Tok::Label(field(name.as_str())));
            last = m.end();
        }
        let rest = cell[last..].trim();
        if !rest.is_empty() {
            out.push(Tok::Value(rest.to_string()));
        }
    }
    out
}

fn tokenize_unit(u: &Unit) -> Vec<Tok> {
    u.lines.iter().flat_map(|l| tokenize_line(l)).collect()
}

/// How many labels at the end of `toks` still wait for their values (a column-wise block).
fn pending(toks: &[Tok]) -> usize {
    let values = toks.iter().rev().take_while(|t| matches!(t, Tok::Value(_))).count();
    let labels = toks[..toks.len() - values].iter().rev().take_while(|t| matches!(t, Tok::Label(_))).count();
    labels.saturating_sub(values)
}

/// Whether `line` continues the value on the line before (a wrapped value).
fn continues(prev: &str, line: &str) -> bool {
    const OPEN_ENDS: &[&str] = &[
        "och", "eller", "samt", "inom", "för", "i", "av", "med", "till", "det", "den", "de", "om", "på",
        "vid",
    ];
    let last_word = prev.rsplit(' ').next().unwrap_or("").to_lowercase();
    starts_lowercase(line)
        || line.starts_with('(')
        || prev.ends_with(',')
        || prev.ends_with('-')
        || OPEN_ENDS.contains(&last_word.as_str())
}

/// Split value lines among `n` labels, joining wrapped lines.
fn group_values(lines: &[String], n: usize) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    for line in lines {
        match groups.last_mut() {
            Some(last) if continues(last, line) => {
                last.push(' ');
                last.push_str(line);
            }
            _ => groups.push(line.clone()),
        }
    }
    if groups.len() != n && lines.len() >= n {
        // The wrapping could not be read: one line per label, the rest to the last.
        groups = lines[..n.saturating_sub(1)].to_vec();
        groups.push(lines[n.saturating_sub(1)..].join(" "));
    }
    groups.resize(n, String::new());
    groups
}

fn distribute(toks: &[Tok]) -> Vec<(Field, String)> {
    let mut out: Vec<(Field, String)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let labels_start = i;
        while i < toks.len() && matches!(toks[i], Tok::Label(_)) {
            i += 1;
        }
        let labels: Vec<Field> = toks[labels_start..i]
            .iter()
            .filter_map(|t| if let Tok::Label(f) = t { Some(*f) } else { None })
            .collect();
        let values_start = i;
        while i < toks.len() && matches!(toks[i], Tok::Value(_)) {
            i += 1;
        }
        let values: Vec<String> = toks[values_start..i]
            .iter()
            .filter_map(|t| if let Tok::Value(v) = t { Some(v.clone()) } else { None })
            .collect();
        match labels.len() {
            // Values before any label: nothing to attach them to.
            0 => {}
            1 => out.push((labels[0], values.join(" "))),
            n => out.extend(labels.into_iter().zip(group_values(&values, n))),
        }
    }
    out
}

/// Find a circular's header block among the first units.
pub(crate) fn header_block(units: &[Unit]) -> Option<Header> {
    // The block opens the document (after a logo or a "CIRKULÄR" line at most).
    let limit = units.len().min(8);
    let has_label = |u: &Unit| {
        matches!(u.kind, Kind::Text | Kind::Row)
            && tokenize_unit(u).iter().any(|t| matches!(t, Tok::Label(_)))
    };
    let start = (0..limit).find(|&i| has_label(&units[i]))?;
    let mut toks: Vec<Tok> = Vec::new();
    let mut end = start;
    while end < units.len() {
        let u = &units[end];
        if !matches!(u.kind, Kind::Text | Kind::Row) {
            break;
        }
        let t = tokenize_unit(u);
        if t.iter().any(|t| matches!(t, Tok::Label(_))) {
            toks.extend(t);
            end += 1;
            continue;
        }
        // A unit of values only: it belongs to the block while labels wait for values, or when it
        // continues the last value.
        let waiting = pending(&toks);
        let last_value =
            toks.iter().rev().find_map(|t| if let Tok::Value(v) = t { Some(v.as_str()) } else { None });
        let first_line = u.lines.first().map(|l| l.trim()).unwrap_or("");
        if waiting > 0 || last_value.is_some_and(|v| continues(v, first_line) && starts_lowercase(first_line))
        {
            toks.extend(t);
            end += 1;
            continue;
        }
        break;
    }
    let fields = distribute(&toks);
    let distinct = {
        let mut f: Vec<Field> = fields.iter().map(|(f, _)| *f).filter(|f| *f != Field::Other).collect();
        f.sort_by_key(|f| *f as u8);
        f.dedup();
        f.len()
    };
    (distinct >= 2).then_some(Header { start, end, fields })
}

/// "CIRKULÄR 12:13" as a line of its own.
pub(crate) fn circular_line(text: &str) -> Option<String> {
    CIRCULAR_LINE.captures(text.trim()).map(|c| c[1].to_string())
}

/// A web page's "Publicerad: 19 september 2019" line.
pub(crate) fn published(text: &str) -> Option<Day> {
    let t = text.trim();
    if !PUBLISHED.is_match(t) || word_count(t) > 10 {
        return None;
    }
    dates::parse_date(t)
}

/// Decide the document type from its content.
pub(crate) fn doc_type(format: SourceFormat, units: &[Unit], header: Option<&Header>) -> DocType {
    let head = &units[..units.len().min(12)];
    // A circular's block has its number, or at least three of the circular's own labels (a memo's
    // "Datum:" and "Telefon:" do not make it one).
    let circular_block = header.is_some_and(|h| {
        let own = [
            Field::Keywords,
            Field::Officer,
            Field::Department,
            Field::Section,
            Field::Recipients,
            Field::Subject,
        ];
        h.get(Field::Number).is_some() || own.iter().filter(|f| h.get(**f).is_some()).count() >= 3
    });
    if circular_block || head.iter().any(|u| circular_line(&u.text).is_some()) {
        return DocType::Circular;
    }
    if format == SourceFormat::Html || head.iter().any(|u| published(&u.text).is_some()) {
        return DocType::WebPage;
    }
    let title_area = &units[..units.len().min(4)];
    if title_area.iter().any(|u| titleish(u) && REPORT.is_match(&u.text)) {
        return DocType::ResultReport;
    }
    DocType::Other
}

/// A unit that may be a title: short, on its own, not a sentence.
fn titleish(u: &Unit) -> bool {
    let t = u.text.trim();
    matches!(u.kind, Kind::Text | Kind::Heading(_))
        && !t.is_empty()
        && word_count(t) <= 25
        && !t.ends_with(['.', ',', ';', ':'])
        && published(t).is_none()
        && !starts_lowercase(t)
}

/// Whether a line begins with a section number ("3.1 Jämställd hälsa", "9. ...").
fn numbered(t: &str) -> bool {
    let digits = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').count();
    digits > 0 && t[digits..].starts_with(' ') && !t[..digits].chars().all(|c| c == '.')
}

/// The unit that holds the document's title, searched from `from`.
pub(crate) fn title_unit(
    units: &[Unit],
    from: usize,
    doc_type: DocType,
    header: Option<&Header>,
    layout: &Layout,
) -> Option<usize> {
    let window = from..units.len().min(from + 12);
    if let Some(subject) = header.and_then(|h| h.get(Field::Subject)) {
        // The subject line as printed; a title wrapped or cut differently still starts the same.
        let subject = norm(subject);
        let same = |t: &str| {
            let t = norm(t);
            t == subject || (t.chars().count() >= 15 && (subject.starts_with(&t) || t.starts_with(&subject)))
        };
        return units
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, u)| u.kind != Kind::Row && same(&u.text))
            .map(|(i, _)| i);
    }
    if layout.markup {
        let headings = || window.clone().filter(|&i| matches!(units[i].kind, Kind::Heading(_)));
        return headings().find(|&i| units[i].kind == Kind::Heading(1)).or_else(|| headings().next());
    }
    // The leading run of short lines, after a publication line.
    let run: Vec<usize> = window
        .clone()
        .skip_while(|&i| published(&units[i].text).is_some() || circular_line(&units[i].text).is_some())
        .take_while(|&i| titleish(&units[i]))
        .collect();
    if layout.typography {
        let largest = window
            .clone()
            .filter(|&i| titleish(&units[i]) && units[i].size > layout.body_size + 0.9)
            .max_by(|&a, &b| units[a].size.total_cmp(&units[b].size).then(b.cmp(&a)));
        if largest.is_some() {
            return largest;
        }
    }
    if doc_type == DocType::WebPage {
        // A label ("Fråga och svar") may stand above a web page's title.
        return run.last().copied();
    }
    run.iter().copied().find(|&i| !numbered(&units[i].text)).or_else(|| run.first().copied())
}

/// Read the metadata of a document whose type, header block and title unit are known; with it, the
/// document's date as a day (activities are judged against it).
pub(crate) fn metadata(
    units: &[Unit],
    doc_type: DocType,
    header: Option<&Header>,
    title: Option<usize>,
) -> (Metadata, Option<Day>) {
    let title_text = header
        .and_then(|h| h.get(Field::Subject))
        .map(str::to_string)
        .or_else(|| title.and_then(|i| units.get(i)).map(|u| u.text.clone()))
        .or_else(|| units.iter().take(12).find(|u| titleish(u)).map(|u| u.text.clone()))
        .or_else(|| units.iter().flat_map(|u| u.lines.first()).map(|l| short(l)).find(|t| !t.is_empty()))
        .unwrap_or_default();
    let date = header
        .and_then(|h| h.get(Field::Date))
        .and_then(dates::parse_date)
        .or_else(|| units.iter().take(12).find_map(|u| published(&u.text)))
        .or_else(|| closing_date(units));
    let year = match doc_type {
        DocType::ResultReport => report_year(&title_text).or(date.map(|d| d.year)),
        _ => date.map(|d| d.year).or_else(|| title_year(&title_text)),
    };
    let circular_number = header
        .and_then(|h| h.get(Field::Number))
        .map(|n| n.split_whitespace().next().unwrap_or(n).to_string())
        .or_else(|| units.iter().take(40).find_map(|u| circular_line(&u.text)));
    let meta = Metadata {
        doc_type,
        title: title_text,
        date: date.map(Day::iso),
        year,
        org: org(units, date),
        circular_number,
        diary_number: header
            .and_then(|h| h.get(Field::Diary))
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" ")),
        keywords: header.and_then(|h| h.get(Field::Keywords)).map(split_keywords).unwrap_or_default(),
        recipients: header
            .and_then(|h| h.get(Field::Recipients))
            .map(split_outside_brackets)
            .unwrap_or_default(),
    };
    (meta, date)
}

/// At most 200 characters of a line, cut at a word.
fn short(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() <= 200 {
        return line.to_string();
    }
    let cut: String = line.chars().take(200).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => cut,
    }
}

/// A dated closing line: "Stockholm den 15 mars 2019".
fn closing_date(units: &[Unit]) -> Option<Day> {
    units
        .iter()
        .rev()
        .filter(|u| u.kind == Kind::Text)
        .flat_map(|u| u.lines.iter())
        .find(|l| CLOSING_DATE.is_match(l.trim()))
        .and_then(|l| dates::parse_date(l))
}

/// The year a report is about: "Resultatrapport 2018" → 2018; a final report on 2018–2020 → 2020.
fn report_year(title: &str) -> Option<i32> {
    if let Some(m) = REPORT.find(title) {
        let after = &title[m.end()..];
        if let Some(c) = YEAR.captures(after).filter(|c| c.get(0).is_some_and(|g| g.start() <= 2)) {
            return c[1].parse().ok();
        }
    }
    if let Some(c) = YEAR_RANGE.captures(title) {
        return c[2].parse().ok();
    }
    title_year(title)
}

fn title_year(title: &str) -> Option<i32> {
    YEAR.captures_iter(title).filter_map(|c| c[1].parse().ok()).max()
}

/// The organisation as the document names itself: SKL before the 2019 renaming, SKR after.
fn org(units: &[Unit], date: Option<Day>) -> Option<String> {
    let (mut skl, mut skr) = (0, 0);
    for u in units {
        skl += SKL.find_iter(&u.text).count();
        skr += SKR.find_iter(&u.text).count();
    }
    match (skl, skr) {
        (0, 0) => None,
        (a, b) if a > b => Some("SKL".into()),
        (a, b) if b > a => Some("SKR".into()),
        // A tie: the name in use at the document's date.
        _ => Some(
            if date.is_some_and(|d| d >= Day { year: 2019, month: 11, day: 29 }) { "SKR" } else { "SKL" }
                .into(),
        ),
    }
}

fn split_keywords(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .map(|k| k.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|k| !k.is_empty())
        .collect()
}

/// Split at commas outside brackets: "nämnder inom samhällsbyggnadsområdet (teknik, miljö etc)" is
/// one recipient.
fn split_outside_brackets(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in value.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth <= 0 {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|r| !r.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(kind: Kind, lines: &[&str]) -> Unit {
        Unit {
            kind,
            lines: lines.iter().map(|l| l.to_string()).collect(),
            text: lines.join(" "),
            size: 11.0,
            bold: false,
            page: 1,
        }
    }

    fn expected(h: &Header) {
        assert_eq!(h.get(Field::Number), Some("12:13"));
        assert_eq!(h.get(Field::Diary), Some("12/2218"));
        assert_eq!(h.get(Field::Keywords), Some("Jämställdhet, kvalitet, ledning och styrning"));
        assert_eq!(h.get(Field::Officer), Some("Torbjörn Messing"));
        assert_eq!(
            h.get(Field::Recipients),
            Some("Kommunstyrelsen, nämnder inom barn och utbildning (teknik, miljö etc)")
        );
        assert_eq!(h.get(Field::Subject), Some("SKL erbjuder startpaket"));
    }

    #[test]
    fn header_as_table_rows() {
        let units = vec![
            unit(Kind::Row, &["Cirkulärnr:\t12:13"]),
            unit(Kind::Row, &["Diariernr:\t12/2218"]),
            unit(Kind::Row, &["Nyckelord:\tJämställdhet, kvalitet, ledning", "och styrning"]),
            unit(Kind::Row, &["Handläggare:\tTorbjörn Messing"]),
            unit(
                Kind::Row,
                &["Mottagare:\tKommunstyrelsen, nämnder inom", "barn och utbildning (teknik, miljö etc)"],
            ),
            unit(Kind::Row, &["Rubrik:\tSKL erbjuder startpaket"]),
            unit(Kind::Text, &["CIRKULÄR 12:13"]),
        ];
        let h = header_block(&units).unwrap();
        expected(&h);
        assert_eq!((h.start, h.end), (0, 6));
    }

    #[test]
    fn header_with_values_on_their_own_lines() {
        let units = vec![unit(
            Kind::Text,
            &[
                "Cirkulärnr:",
                "12:13",
                "Diariernr:",
                "12/2218",
                "Nyckelord:",
                "Jämställdhet, kvalitet, ledning",
                "och styrning",
                "Handläggare:",
                "Torbjörn Messing",
                "Mottagare:",
                "Kommunstyrelsen, nämnder inom",
                "barn och utbildning (teknik, miljö etc)",
                "Rubrik:",
                "SKL erbjuder startpaket",
            ],
        )];
        expected(&header_block(&units).unwrap());
    }

    #[test]
    fn header_read_column_by_column() {
        let units = vec![
            unit(
                Kind::Text,
                &["Cirkulärnr:", "Diariernr:", "Nyckelord:", "Handläggare:", "Mottagare:", "Rubrik:"],
            ),
            unit(
                Kind::Text,
                &[
                    "12:13",
                    "12/2218",
                    "Jämställdhet, kvalitet, ledning",
                    "och styrning",
                    "Torbjörn Messing",
                    "Kommunstyrelsen, nämnder inom",
                    "barn och utbildning (teknik, miljö etc)",
                    "SKL erbjuder startpaket",
                ],
            ),
            unit(Kind::Text, &["CIRKULÄR 12:13"]),
        ];
        let h = header_block(&units).unwrap();
        expected(&h);
        assert_eq!(h.end, 2);
    }

    #[test]
    fn header_with_label_and_value_on_one_line() {
        let units = vec![unit(Kind::Text, &["Cirkulärnr: 12:13 Diariernr: 12/2218", "Datum: 2012-04-04"])];
        let h = header_block(&units).unwrap();
        assert_eq!(h.get(Field::Number), Some("12:13"));
        assert_eq!(h.get(Field::Date), Some("2012-04-04"));
    }

    #[test]
    fn unknown_labels_do_not_extend_values() {
        let units = vec![
            unit(Kind::Row, &["Cirkulärnr:\t19:45"]),
            unit(Kind::Row, &["Rubrik:\tNya riktlinjer"]),
            unit(Kind::Row, &["Bilagor:\tBilaga 1"]),
            unit(Kind::Row, &["Datum:\t2019-12-10"]),
        ];
        let h = header_block(&units).unwrap();
        assert_eq!(h.get(Field::Subject), Some("Nya riktlinjer"));
        assert_eq!(h.get(Field::Date), Some("2019-12-10"));
        assert_eq!(h.end, 4);
    }

    #[test]
    fn title_falls_back_to_a_short_line() {
        let long = "Ett mycket långt stycke utan rubrik. ".repeat(20);
        let units = vec![unit(Kind::Text, &[long.as_str()])];
        let (meta, _) = metadata(&units, DocType::Other, None, None);
        assert!(meta.title.chars().count() <= 201);
    }

    #[test]
    fn a_sentence_with_a_date_is_no_header() {
        let units = vec![unit(Kind::Text, &["Vi ses den 5 maj. Datum: se nedan."])];
        assert!(header_block(&units).is_none());
    }

    #[test]
    fn recipients_split_outside_brackets() {
        assert_eq!(
            split_outside_brackets("Kommunstyrelsen, landstingsstyrelsen, nämnder (teknik, miljö etc)"),
            vec!["Kommunstyrelsen", "landstingsstyrelsen", "nämnder (teknik, miljö etc)"]
        );
        assert_eq!(
            split_keywords("Jämställdhet, ledning  och styrning"),
            vec!["Jämställdhet", "ledning och styrning"]
        );
    }

    #[test]
    fn doc_types_from_content() {
        let web = vec![unit(Kind::Text, &["Publicerad 26 mars 2021"]), unit(Kind::Text, &["Jämställdhet"])];
        assert_eq!(doc_type(SourceFormat::Pdf, &web, None), DocType::WebPage);
        assert_eq!(published("Publicerad: 19 september 2019").map(Day::iso).as_deref(), Some("2019-09-19"));
        let report = vec![unit(Kind::Text, &["Resultatrapport 2018 för överenskommelse"])];
        assert_eq!(doc_type(SourceFormat::Pdf, &report, None), DocType::ResultReport);
        let circ = vec![unit(Kind::Text, &["CIRKULÄR 12:13"])];
        assert_eq!(doc_type(SourceFormat::Pdf, &circ, None), DocType::Circular);
        let other = vec![unit(Kind::Text, &["En promemoria om resultatrapporter i allmänhet."])];
        assert_eq!(doc_type(SourceFormat::Pdf, &other, None), DocType::Other);
    }

    #[test]
    fn a_memo_with_a_date_and_a_phone_is_no_circular() {
        let units = vec![
            unit(Kind::Row, &["Datum:\t2019-03-15"]),
            unit(Kind::Row, &["Dnr:\t19/00123"]),
            unit(Kind::Row, &["Telefon:\t08-452 70 00"]),
            unit(Kind::Text, &["Slutrapport för satsningen"]),
        ];
        let h = header_block(&units);
        assert_eq!(doc_type(SourceFormat::Pdf, &units, h.as_ref()), DocType::ResultReport);
        let (meta, date) = metadata(&units, DocType::ResultReport, h.as_ref(), Some(3));
        assert_eq!(meta.date.as_deref(), Some("2019-03-15"));
        assert_eq!(date.map(Day::iso).as_deref(), Some("2019-03-15"));
    }

    #[test]
    fn report_years() {
        assert_eq!(report_year("Resultatrapport 2018 för överenskommelse 2018–2020"), Some(2018));
        assert_eq!(report_year("Slutrapport för satsningen 2018–2020"), Some(2020));
    }

    #[test]
    fn org_by_mentions_and_date() {
        let u = vec![unit(Kind::Text, &["SKR:s arbete. SKR stöder. SKL hette förut."])];
        assert_eq!(org(&u, None).as_deref(), Some("SKR"));
        let tie = vec![unit(Kind::Text, &["SKL och SKR"])];
        assert_eq!(org(&tie, Day::new(2021, 3, 26)).as_deref(), Some("SKR"));
        assert_eq!(org(&tie, Day::new(2019, 9, 19)).as_deref(), Some("SKL"));
    }

    #[test]
    fn closing_line_gives_a_report_date() {
        let u = vec![unit(Kind::Text, &["Text."]), unit(Kind::Text, &["Stockholm den 15 mars 2019"])];
        assert_eq!(closing_date(&u).map(Day::iso).as_deref(), Some("2019-03-15"));
    }
}

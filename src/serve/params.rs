//! A request's query string: decoded the way browsers encode forms, then checked into search
//! parameters.
//!
//! Decoding follows the WHATWG `application/x-www-form-urlencoded` parser: `+` is a space, `%XX` a
//! byte, a `%` not followed by two hex digits stays as it is, and bytes that are not UTF-8 become
//! U+FFFD. Checking turns each field into its typed value or one message a person can act on. This
//! module never touches the index.

use std::fmt;

use clap::ValueEnum;

use crate::export::Format;
use crate::index::{Filter, Sort};
use crate::records::Kind;
use crate::segment::{DocType, Status};

/// Hits shown when the request does not say.
pub const DEFAULT_LIMIT: usize = 20;
/// The most hits one request may ask for; an export has no limit.
pub const MAX_LIMIT: usize = 1000;
/// Years outside this range are typing mistakes, not years an archive holds.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// The name/value pairs of a query string, in order, decoded.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// One form-encoded name or value, decoded.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex)) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: &u8) -> Option<u8> {
    char::from(*b).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// `s` form-encoded, for a link's query string: the unreserved characters stay, a space is `+`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A parameter that cannot be used, with the message to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl fmt::Display for BadRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The search form's fields exactly as the request gave them, so a page can show them back, also
/// when they are wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pub q: String,
    pub from: String,
    pub to: String,
    /// The document's year, or years as `2012..2014` (or with a dash).
    pub doc_year: String,
    pub doc_type: String,
    pub kind: String,
    pub status: String,
    pub actor: String,
    pub org: String,
    pub sort: String,
    pub limit: String,
    pub page: String,
    pub format: String,
}

impl Form {
    /// The form's fields from a query string; unknown names are ignored and the last of a repeated
    /// name counts, as with any HTML form.
    pub fn from_query(query: &str) -> Form {
        let mut form = Form::default();
        for (name, value) in parse_query(query) {
            let slot = match name.as_str() {
                "q" => &mut form.q,
                "from" => &mut form.from,
                "to" => &mut form.to,
                "doc_year" => &mut form.doc_year,
                "type" => &mut form.doc_type,
                "kind" => &mut form.kind,
                "status" => &mut form.status,
                "actor" => &mut form.actor,
                "org" => &mut form.org,
                "sort" => &mut form.sort,
                "limit" => &mut form.limit,
                "page" => &mut form.page,
                "format" => &mut form.format,
                _ => continue,
            };
            *slot = value;
        }
        form
    }

    /// The checked search parameters.
    pub fn search(&self) -> Result<SearchParams, BadRequest> {
        let from = year(&self.from, "År från")?;
        let to = year(&self.to, "År till")?;
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(BadRequest(format!(
                    "Årsintervallet är tomt: {a} kommer efter {b}. Byt plats på åren."
                )));
            }
        }
        SearchParams {
            q: self.q.trim().to_string(),
            from,
            to,
            doc_years: doc_years(&self.doc_year)?,
            doc_type: choice(&self.doc_type, "typ", DocType::value_variants(), |t| t.as_str())?,
            kind: choice(&self.kind, "slag", Kind::value_variants(), |k| k.as_str())?,
            status: choice(&self.status, "status", Status::value_variants(), |s| s.as_str())?,
            actor: bounded(&self.actor, "aktör")?,
            org: bounded(&self.org, "organisation")?,
            sort: match self.sort.trim() {
                "" | "relevance" => Sort::Relevance,
                "date" => Sort::Date,
                other => {
                    return Err(BadRequest(format!(
                    "Okänd sortering ”{other}”: välj relevance (bäst träff först) eller date (nyast först)."
                )))
                }
            },
            limit: limit(&self.limit)?,
            page: 1,
        }
        .with_page(&self.page)
    }

    /// The export format; JSON Lines when none is given, as for `arkiv export`.
    pub fn format(&self) -> Result<Format, BadRequest> {
        match self.format.trim() {
            "" | "jsonl" => Ok(Format::Jsonl),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "parquet" => Ok(Format::Parquet),
            other => Err(BadRequest(format!("Okänt format ”{other}”: välj csv, json, jsonl eller parquet."))),
        }
    }
}

/// What to search for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams {
    /// The query, trimmed; empty lists the filtered records in archive order.
    pub q: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// The document's years, inclusive.
    pub doc_years: Option<(i32, i32)>,
    pub doc_type: Option<DocType>,
    pub kind: Option<Kind>,
    pub status: Option<Status>,
    pub actor: Option<String>,
    pub org: Option<String>,
    pub sort: Sort,
    pub limit: usize,
    /// Which page of `limit` hits, from 1.
    pub page: usize,
}

/// How deep into a list the pages go: tantivy collects every hit before the page, so the offset is
/// bounded; a search this broad needs filters, not paging.
pub const MAX_OFFSET: usize = 10_000;

impl SearchParams {
    fn with_page(mut self, value: &str) -> Result<SearchParams, BadRequest> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(self);
        }
        let deepest = MAX_OFFSET / self.limit + 1;
        match value.parse::<usize>() {
            Ok(n) if (1..=deepest).contains(&n) => {
                self.page = n;
                Ok(self)
            }
            _ => Err(BadRequest(format!(
                "Sida: ”{value}” går inte. Ange ett heltal från 1 till {deepest}, eller smalna av sökningen med filter."
            ))),
        }
    }

    /// The hits before this page.
    pub fn offset(&self) -> usize {
        (self.page - 1) * self.limit
    }

    pub fn filter(&self) -> Filter {
        let years = match (self.from, self.to) {
            (None, None) => None,
            (from, to) => Some((from.unwrap_or(i32::MIN), to.unwrap_or(i32::MAX))),
        };
        Filter {
            years,
            doc_years: self.doc_years,
            doc_type: self.doc_type,
            kind: self.kind,
            status: self.status,
            actor: self.actor.clone(),
            org: self.org.clone(),
        }
    }

    /// The query and filters as a query string (no limit), for links that repeat this search.
    pub fn query_string(&self) -> String {
        let mut pairs = vec![format!("q={}", encode(&self.q))];
        if let Some(y) = self.from {
            pairs.push(format!("from={y}"));
        }
        if let Some(y) = self.to {
            pairs.push(format!("to={y}"));
        }
        if let Some((a, b)) = self.doc_years {
            pairs.push(if a == b { format!("doc_year={a}") } else { format!("doc_year={a}..{b}") });
        }
        if let Some(t) = self.doc_type {
            pairs.push(format!("type={}", t.as_str()));
        }
        if let Some(k) = self.kind {
            pairs.push(format!("kind={}", k.as_str()));
        }
        if let Some(s) = self.status {
            pairs.push(format!("status={}", s.as_str()));
        }
        if let Some(a) = &self.actor {
            pairs.push(format!("actor={}", encode(a)));
        }
        if let Some(o) = &self.org {
            pairs.push(format!("org={}", encode(o)));
        }
        if self.sort == Sort::Date {
            pairs.push("sort=date".to_string());
        }
        pairs.join("&")
    }
}

/// The most characters a name filter takes (an actor's or organisation's name is a few words).
const MAX_NAME_CHARS: usize = 200;

/// A free-text filter, trimmed: `None` when empty.
fn bounded(value: &str, label: &str) -> Result<Option<String>, BadRequest> {
    let value = value.trim();
    if value.chars().count() > MAX_NAME_CHARS {
        return Err(BadRequest(format!("{label}: högst {MAX_NAME_CHARS} tecken.")));
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}

fn year(value: &str, label: &str) -> Result<Option<i32>, BadRequest> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<i32>() {
        Ok(y) if YEARS.contains(&y) => Ok(Some(y)),
        _ => Err(BadRequest(format!(
            "{label}: ”{value}” är inte ett årtal. Skriv det med siffror, t.ex. 2018."
        ))),
    }
}

/// A document year or range: `2018`, `2012..2014`, `2012-2014` or `2012–2014`.
fn doc_years(value: &str) -> Result<Option<(i32, i32)>, BadRequest> {
    let value = value.trim();
    let label = "Dokumentets år";
    let Some((a, b)) = value.split_once("..").or_else(|| value.split_once(['-', '–'])) else {
        return Ok(year(value, label)?.map(|y| (y, y)));
    };
    match (year(a, label)?, year(b, label)?) {
        (Some(a), Some(b)) if a <= b => Ok(Some((a, b))),
        (Some(a), Some(b)) => Err(BadRequest(format!("{label}: {a}–{b} är tomt: byt plats på åren."))),
        _ => Err(BadRequest(format!("{label}: skriv ett år (2018) eller två (2012..2014)."))),
    }
}

/// One of `options` by its name, or none when the field is empty.
fn choice<T: Copy>(
    value: &str,
    label: &str,
    options: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<Option<T>, BadRequest> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if let Some(found) = options.iter().copied().find(|&o| name(o) == value) {
        return Ok(Some(found));
    }
    let names: Vec<&str> = options.iter().map(|&o| name(o)).collect();
    Err(BadRequest(format!("Okänd {label} ”{value}”: välj en av {}.", names.join(", "))))
}

fn limit(value: &str) -> Result<usize, BadRequest> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(DEFAULT_LIMIT);
    }
    match value.parse::<usize>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(BadRequest(format!(
            "Antal träffar: ”{value}” går inte. Ange ett heltal från 1 till {MAX_LIMIT}."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_percent_and_utf8() {
        assert_eq!(
            parse_query("q=j%C3%A4mst%C3%A4lldhet+i+skolan&from=2018"),
            vec![("q".into(), "jämställdhet i skolan".into()), ("from".into(), "2018".into())]
        );
        // A literal plus sign arrives encoded; an encoded ampersand or equals sign stays inside the value.
        assert_eq!(parse_query("q=a%2Bb%26c%3Dd"), vec![("q".into(), "a+b&c=d".into())]);
    }

    #[test]
    fn keeps_unencoded_utf8_and_broken_escapes() {
        // Some clients send UTF-8 unescaped; a stray % is kept, as browsers do.
        assert_eq!(
            parse_query("q=kvinnofrid 100%&x=%4"),
            vec![("q".into(), "kvinnofrid 100%".into()), ("x".into(), "%4".into())]
        );
        assert_eq!(parse_query("q=%zz%"), vec![("q".into(), "%zz%".into())]);
        // Bytes that are not UTF-8 are replaced, never a panic.
        assert_eq!(parse_query("q=%FF%C3"), vec![("q".into(), "\u{FFFD}\u{FFFD}".into())]);
    }

    #[test]
    fn empty_pairs_and_names_without_values() {
        assert_eq!(parse_query(""), Vec::<(String, String)>::new());
        assert_eq!(
            parse_query("&&q&from=&=x"),
            vec![("q".into(), String::new()), ("from".into(), String::new()), (String::new(), "x".into())]
        );
    }

    #[test]
    fn encode_round_trips_through_decode() {
        for s in ["jämställdhet i skolan", "a+b&c=d%", "<script>\"'", "kvinnofrid"] {
            let encoded = encode(s);
            assert!(encoded.bytes().all(|b| b.is_ascii_graphic() && b != b'&' && b != b'='), "{encoded}");
            assert_eq!(decode(&encoded), s);
        }
        assert_eq!(encode("a b"), "a+b");
    }

    #[test]
    fn form_checks_into_search_params() {
        let form = Form::from_query("q=+kvinnofrid+&from=2012&to=2020&type=result_report&kind=goal&limit=5");
        let params = form.search().expect("valid");
        assert_eq!(params.q, "kvinnofrid");
        assert_eq!((params.from, params.to), (Some(2012), Some(2020)));
        assert_eq!(params.doc_type, Some(DocType::ResultReport));
        assert_eq!(params.kind, Some(Kind::Goal));
        assert_eq!(params.limit, 5);
        let filter = params.filter();
        assert_eq!(filter.years, Some((2012, 2020)));
    }

    #[test]
    fn empty_fields_mean_no_filter() {
        let params = Form::from_query("q=&from=&to=&type=&kind=&limit=").search().expect("valid");
        assert_eq!(params.limit, DEFAULT_LIMIT);
        let filter = params.filter();
        assert_eq!((filter.years, filter.doc_type, filter.kind), (None, None, None));
        // An open range reaches to the end of time on its open side.
        let params = Form::from_query("from=2018").search().expect("valid");
        assert_eq!(params.filter().years, Some((2018, i32::MAX)));
    }

    #[test]
    fn bad_fields_say_what_is_wrong() {
        let bad = |q: &str| Form::from_query(q).search().expect_err(q).0;
        assert!(bad("from=tjugo").contains("”tjugo” är inte ett årtal"));
        assert!(bad("to=20188").contains("inte ett årtal"));
        assert!(bad("from=2020&to=2018").contains("2020 kommer efter 2018"));
        assert!(bad("type=pamphlet").contains("circular, result_report, web_page, other"));
        assert!(bad("kind=Goal").contains("document, section, goal, activity"));
        assert!(bad("limit=0").contains("från 1 till 1000"));
        assert!(bad("limit=-3").contains("från 1 till 1000"));
        assert!(bad("limit=100000").contains("från 1 till 1000"));
    }

    #[test]
    fn export_formats() {
        let format = |q: &str| Form::from_query(q).format();
        assert_eq!(format(""), Ok(Format::Jsonl));
        assert_eq!(format("format=csv"), Ok(Format::Csv));
        assert_eq!(format("format=json"), Ok(Format::Json));
        assert!(format("format=xlsx").is_err_and(|e| e.0.contains("csv, json, jsonl eller parquet")));
    }

    #[test]
    fn the_document_year_is_a_year_or_a_range() {
        let years = |q: &str| Form::from_query(q).search().map(|p| p.doc_years);
        assert_eq!(years("doc_year=2018"), Ok(Some((2018, 2018))));
        assert_eq!(years("doc_year=2012..2014"), Ok(Some((2012, 2014))));
        assert_eq!(years("doc_year=2012-2014"), Ok(Some((2012, 2014))));
        assert_eq!(years("doc_year=2012%E2%80%932014"), Ok(Some((2012, 2014))));
        assert_eq!(years("doc_year="), Ok(None));
        assert!(years("doc_year=2014..2012").is_err_and(|e| e.0.contains("byt plats")));
        assert!(years("doc_year=..2014").is_err());
        assert!(years("doc_year=tjugo").is_err_and(|e| e.0.contains("inte ett årtal")));
        let params = Form::from_query("doc_year=2012..2014").search().expect("valid");
        assert_eq!(params.filter().doc_years, Some((2012, 2014)));
    }

    #[test]
    fn query_string_repeats_the_search() {
        let params = Form::from_query(
            "q=j%C3%A4mst%C3%A4lldhet+%26+v%C3%A5ld&to=2019&doc_year=2018..2019&kind=section&limit=7",
        )
        .search()
        .expect("valid");
        let again = Form::from_query(&params.query_string()).search().expect("valid");
        assert_eq!(again, SearchParams { limit: DEFAULT_LIMIT, ..params });
    }
}

//! Synthetic documents for `arkiv bench ingest`: circulars, result reports and web pages that look like
//! the corpus (a circular's label block, numbered sections, goals such as "Målet är att …", activities
//! such as "SKR har under 2019 genomfört …", years, actors), written as Markdown, HTML and PDF.
//!
//! Every document is distinct (its number, year, title, sentences and their order come from a seeded
//! generator) and the same seed gives the same documents, so runs are repeatable. The PDFs are written
//! with lopdf: Helvetica in WinAnsiEncoding, one line per text object, several pages. This module only
//! makes load for a benchmark: it is never a test oracle and its texts are not gold data. The words are
//! the project's own, written after the Swedish of `fixtures/` and `tests/data/*/source/`.

use lopdf::{dictionary, Object, Stream};

/// A small deterministic generator (SplitMix64): the benchmark needs repeatable variety, not
/// statistical quality, and a dependency for it would be out of proportion.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
}

/// What a generated document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Markdown,
    Html,
    Pdf,
}

impl Form {
    pub fn extension(self) -> &'static str {
        match self {
            Form::Markdown => "md",
            Form::Html => "html",
            Form::Pdf => "pdf",
        }
    }
}

/// One generated document.
pub struct Generated {
    pub name: String,
    pub form: Form,
    pub bytes: Vec<u8>,
    /// Pages written (1 for Markdown and HTML).
    pub pages: u32,
}

const TOPICS: &[&str] = &[
    "jämställdhet",
    "kvinnofrid",
    "våld i nära relationer",
    "jämställd vård",
    "äldreomsorg",
    "hedersrelaterat våld",
    "jämställd medborgarservice",
    "barns rättigheter",
    "psykisk hälsa",
    "jämställd idrott",
    "ekonomisk jämställdhet",
    "digital välfärd",
];
const ORGS: &[&str] = &["SKR", "SKL"];
const PARTNERS: &[&str] = &[
    "Socialstyrelsen",
    "länsstyrelserna",
    "Jämställdhetsmyndigheten",
    "regionerna",
    "Folkhälsomyndigheten",
    "Socialdepartementet",
    "de regionala stödstrukturerna",
];
const EVENTS: &[&str] =
    &["konferenser", "workshoppar", "nätverksträffar", "utbildningsdagar", "webbinarier", "seminarier"];
const DONE_VERBS: &[&str] = &["genomfört", "anordnat", "arrangerat", "tagit fram", "publicerat"];
const AIMS: &[&str] = &[
    "stärka kommunernas arbete med",
    "öka kunskapen om",
    "sprida goda exempel på",
    "utveckla uppföljningen av",
    "stödja regionerna i arbetet med",
    "förbättra samverkan kring",
];
const GOAL_LEADS: &[&str] = &["Målet är att", "Syftet med satsningen är att", "Vår ambition är att"];
const PLACES: &[&str] = &[
    "Örebro",
    "Umeå",
    "Malmö",
    "Göteborg",
    "Västerås",
    "Luleå",
    "Jönköping",
    "Växjö",
    "Gävle",
    "Norrköping",
    "Södertälje",
    "Kalmar",
];
const FILLER: &[&str] = &[
    "Arbetet följs upp löpande och resultaten redovisas i en rapport till styrgruppen.",
    "Många verksamheter saknar fortfarande rutiner för att fråga om våld.",
    "Kommunerna har ett särskilt ansvar för att alla invånare får ett likvärdigt stöd.",
    "Deltagarna står själva för resor och eventuell logi.",
    "Erfarenheterna visar att ledningens stöd är avgörande för ett långsiktigt arbete.",
    "Kunskapen om jämställdhetens betydelse för verksamhetens kvalitet behöver öka.",
    "Materialet finns att ladda ner kostnadsfritt på webbplatsen.",
];
const MONTHS: &[&str] = &["mars", "april", "maj", "september", "oktober", "november"];

/// A block of a document: a heading of a level, a paragraph or a list item.
enum Block {
    Heading(u32, String),
    Para(String),
    Item(String),
}

/// The blocks of document `n` (its kind chosen by `n`), and a short label for its file name.
fn blocks(n: usize, rng: &mut Rng) -> (&'static str, Vec<Block>) {
    let year = rng.range(2012, 2023) as i32;
    let org = if year >= 2020 { "SKR" } else { rng.pick(ORGS) };
    let topic = rng.pick(TOPICS);
    let place = rng.pick(PLACES);
    let mut out = Vec::new();
    let kind = match n % 3 {
        0 => "cirkular",
        1 => "resultatrapport",
        _ => "webb",
    };
    let title = match kind {
        "cirkular" => format!("Regionala konferenser om {topic} {year}–{}", year + 1),
        "resultatrapport" => format!("Resultatrapport {year} för satsningen på {topic} i {place}"),
        _ => format!("Så arbetar {place} med {topic}"),
    };
    if kind == "cirkular" {
        for line in [
            format!("Cirkulärnr: {}:{}", year % 100, n % 97 + 1),
            format!("Diarienr: {}/{:05}", year % 100, n),
            format!("Datum: {year}-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28)),
            format!("Mottagare: Kommunstyrelsen, regionstyrelsen, nämnder med ansvar för {topic}"),
            format!("Rubrik: {title}"),
        ] {
            out.push(Block::Para(line));
        }
    } else if kind == "webb" {
        out.push(Block::Para(format!("Publicerad: {} {} {year}", rng.range(1, 28), rng.pick(MONTHS))));
    }
    out.push(Block::Heading(1, title));
    let sections = rng.range(3, 7);
    for s in 1..=sections {
        let numbered = kind != "webb";
        let heading = match s {
            1 => "Bakgrund".to_string(),
            2 => "Syfte och mål".to_string(),
            3 => format!("Genomförda aktiviteter {year}"),
            _ => format!(
                "{} i {}",
                rng.pick(&["Uppföljning", "Samverkan", "Fortsatt arbete", "Resultat"]),
                rng.pick(PLACES)
            ),
        };
        out.push(Block::Heading(2, if numbered { format!("{s}. {heading}") } else { heading }));
        let paragraphs = rng.range(2, 5);
        for p in 0..paragraphs {
            let mut sentences = Vec::new();
            for _ in 0..rng.range(3, 6) {
                sentences.push(sentence(rng, org, topic, year));
            }
            // A unique number per paragraph keeps any two documents apart even when the choices repeat.
            sentences.push(format!(
                "Totalt deltog {} personer från {} kommuner.",
                10 + n * 7 + p as usize,
                rng.range(3, 290)
            ));
            out.push(Block::Para(sentences.join(" ")));
            if s == 2 && p == 0 {
                out.push(Block::Para("Målen för satsningen är att:".into()));
                for _ in 0..rng.range(2, 4) {
                    out.push(Block::Item(format!("{} {}", rng.pick(AIMS), rng.pick(TOPICS))));
                }
            }
        }
    }
    (kind, out)
}

fn sentence(rng: &mut Rng, org: &str, topic: &str, year: i32) -> String {
    let y = year - rng.range(0, 2) as i32;
    match rng.range(0, 6) {
        0 => format!("{} {} {}.", rng.pick(GOAL_LEADS), rng.pick(AIMS), topic),
        1 => format!(
            "{org} har under {y} {} {} {} om {topic} i samarbete med {}.",
            rng.pick(DONE_VERBS),
            rng.range(2, 12),
            rng.pick(EVENTS),
            rng.pick(PARTNERS)
        ),
        2 => format!(
            "Under hösten {} kommer {org} att anordna {} {} för chefer och förtroendevalda.",
            year + 1,
            rng.range(2, 9),
            rng.pick(EVENTS)
        ),
        3 => format!("Sedan {y} arbetar {} med att {} {topic}.", rng.pick(PARTNERS), rng.pick(AIMS)),
        4 => format!(
            "Den {} {} {year} hölls ett möte i {} med {} deltagare.",
            rng.range(1, 28),
            rng.pick(MONTHS),
            rng.pick(PLACES),
            rng.range(20, 400)
        ),
        _ => rng.pick(FILLER).to_string(),
    }
}

/// Documents `0..docs` of a run seeded with `seed`, written into `dir` (which must exist): each one's
/// path and form.
pub fn write_corpus(
    dir: &std::path::Path,
    seed: u64,
    docs: usize,
) -> std::io::Result<Vec<(std::path::PathBuf, Form)>> {
    (0..docs)
        .map(|n| {
            let g = document(seed, n);
            let path = dir.join(&g.name);
            std::fs::write(&path, &g.bytes)?;
            Ok((path, g.form))
        })
        .collect()
}

/// Document `n` of a run seeded with `seed`; `n` also chooses the form (two in five are PDFs).
pub fn document(seed: u64, n: usize) -> Generated {
    let mut rng = Rng::new(seed ^ (n as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let (kind, blocks) = blocks(n, &mut rng);
    let form = match n % 5 {
        0 | 3 => Form::Pdf,
        1 | 4 => Form::Html,
        _ => Form::Markdown,
    };
    let name = format!("{kind}-{n:06}.{}", form.extension());
    let (bytes, pages) = match form {
        Form::Markdown => (markdown(&blocks).into_bytes(), 1),
        Form::Html => (html(&blocks).into_bytes(), 1),
        Form::Pdf => pdf(&blocks),
    };
    Generated { name, form, bytes, pages }
}

fn markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading(level, text) => {
                out.push_str(&format!("{} {text}\n\n", "#".repeat(*level as usize)))
            }
            Block::Para(text) => out.push_str(&format!("{text}\n\n")),
            Block::Item(text) => out.push_str(&format!("- {text}\n")),
        }
    }
    out
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn html(blocks: &[Block]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>SKR</title></head><body>\n\
         <nav><a href=\"/\">Start</a> <a href=\"/verksamhet\">Verksamhet</a></nav>\n<main>\n",
    );
    let mut in_list = false;
    for b in blocks {
        let item = matches!(b, Block::Item(_));
        if in_list && !item {
            out.push_str("</ul>\n");
        }
        if item && !in_list {
            out.push_str("<ul>\n");
        }
        in_list = item;
        match b {
            Block::Heading(level, text) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", escape_html(text)))
            }
            Block::Para(text) => out.push_str(&format!("<p>{}</p>\n", escape_html(text))),
            Block::Item(text) => out.push_str(&format!("<li>{}</li>\n", escape_html(text))),
        }
    }
    if in_list {
        out.push_str("</ul>\n");
    }
    out.push_str("</main>\n<footer>Sveriges Kommuner och Regioner</footer>\n</body></html>\n");
    out
}

/// `s` as a PDF literal string in WinAnsiEncoding (characters outside it become '?').
fn win_ansi(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'(');
    for c in s.chars() {
        let byte = match c {
            '(' | ')' | '\\' => {
                out.push(b'\\');
                c as u8
            }
            ' '..='~' => c as u8,
            '–' => 0x96,
            '—' => 0x97,
            '’' => 0x92,
            '•' => 0x95,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            _ => b'?',
        };
        out.push(byte);
    }
    out.push(b')');
    out
}

/// Lines of at most `width` characters (Helvetica at 11 pt averages about half an em a character).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// An A4 PDF of the blocks: headings in Helvetica-Bold, body in Helvetica 11 pt, a new page when one is
/// full. Returns the bytes and the page count.
fn pdf(blocks: &[Block]) -> (Vec<u8>, u32) {
    const TOP: f32 = 770.0;
    const BOTTOM: f32 = 72.0;
    let mut pages: Vec<Vec<u8>> = vec![Vec::new()];
    let mut y = TOP;
    let put = |pages: &mut Vec<Vec<u8>>, y: &mut f32, font: &str, size: f32, x: f32, text: &str, gap: f32| {
        if *y - gap < BOTTOM {
            pages.push(Vec::new());
            *y = TOP;
        }
        *y -= gap;
        if let Some(page) = pages.last_mut() {
            page.extend_from_slice(format!("BT /{font} {size} Tf {x} {y:.1} Td ").as_bytes());
            page.extend_from_slice(&win_ansi(text));
            page.extend_from_slice(b" Tj ET\n");
        }
    };
    for b in blocks {
        match b {
            Block::Heading(level, text) => {
                let size = if *level == 1 { 18.0 } else { 13.0 };
                for (i, line) in wrap(text, 60).iter().enumerate() {
                    put(
                        &mut pages,
                        &mut y,
                        "F2",
                        size,
                        72.0,
                        line,
                        if i == 0 { size * 2.0 } else { size * 1.3 },
                    );
                }
            }
            Block::Para(text) => {
                for (i, line) in wrap(text, 85).iter().enumerate() {
                    put(&mut pages, &mut y, "F1", 11.0, 72.0, line, if i == 0 { 20.0 } else { 14.0 });
                }
            }
            Block::Item(text) => {
                for (i, line) in wrap(text, 80).iter().enumerate() {
                    let line = if i == 0 { format!("• {line}") } else { line.clone() };
                    put(&mut pages, &mut y, "F1", 11.0, if i == 0 { 80.0 } else { 90.0 }, &line, 14.0);
                }
            }
        }
    }
    let mut doc = lopdf::Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = |base: &str| {
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base, "Encoding" => "WinAnsiEncoding" }
    };
    let f1 = doc.add_object(font("Helvetica"));
    let f2 = doc.add_object(font("Helvetica-Bold"));
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } });
    let mut kids = Vec::new();
    for content in &pages {
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.clone()));
        let page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        };
        kids.push(Object::from(doc.add_object(page)));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    // Writing to a Vec fails only on a bug in lopdf; an empty file then shows up as a failed document.
    let _ = doc.save_to(&mut out);
    (out, count as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract_bytes, Options, SourceFormat};

    #[test]
    fn documents_are_distinct_and_repeatable() {
        let a: Vec<Vec<u8>> = (0..30).map(|n| document(7, n).bytes).collect();
        let b: Vec<Vec<u8>> = (0..30).map(|n| document(7, n).bytes).collect();
        assert_eq!(a, b);
        let distinct: std::collections::HashSet<&Vec<u8>> = a.iter().collect();
        assert_eq!(distinct.len(), a.len());
    }

    #[test]
    fn a_generated_pdf_reads_back_with_its_pages_goals_and_activities() {
        let g = (0..10).map(|n| document(1, n)).find(|g| g.form == Form::Pdf && g.pages > 1);
        let Some(g) = g else { panic!("no multi-page PDF among the first documents") };
        let doc = extract_bytes(&g.bytes, SourceFormat::Pdf, &Options::default()).expect("extract");
        assert_eq!(doc.page_count(), g.pages);
        assert!(doc.plain_text().contains("Målen för satsningen är att:"));
        let seg = crate::segment::segment(&doc);
        assert!(!seg.goals.is_empty() && !seg.activities.is_empty() && seg.sections.len() > 2);
    }
}

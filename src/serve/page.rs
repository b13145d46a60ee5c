//! The search page: one self-contained HTML document with the form, and the hits, a message or
//! nothing below it.
//!
//! Every text that comes from a request or the index is HTML-escaped here, and the only markup made
//! from data is the `<mark>` of a snippet's `«…»`. The page needs no script and loads nothing else.
//! This module never searches; it renders what it is given.

use crate::index::Hit;
use crate::records::{Kind, Record};
use crate::segment::{DocType, Status};

use super::params::{Form, SearchParams, MAX_LIMIT};

/// What goes below the form.
pub enum Body<'a> {
    /// The start page: the form only.
    Nothing,
    /// A search's hits (possibly none).
    /// The hits, and for a query that found nothing the nearest indexed spelling of it.
    /// `total` is the number of all matches, when known.
    Hits { params: &'a SearchParams, hits: &'a [Hit], total: Option<u64>, suggestion: Option<&'a str> },
    /// Why the request could not be answered.
    Error(&'a str),
}

/// `s` with the characters that mean something in HTML (text or a quoted attribute) escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A snippet as HTML: the index marks matched words `«…»`, which become `<mark>…</mark>`.
///
/// Documents quote with `»…»` and `«…»` too, so a guillemet only opens or closes a mark when that
/// keeps the markup balanced; any other one is shown as it is.
pub fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 32);
    let mut open = false;
    let mut rest = snippet;
    while let Some(at) = rest.find(['«', '»']) {
        out.push_str(&escape(&rest[..at]));
        let guillemet = if rest[at..].starts_with('«') { '«' } else { '»' };
        match (guillemet, open) {
            ('«', false) => {
                out.push_str("<mark>");
                open = true;
            }
            ('»', true) => {
                out.push_str("</mark>");
                open = false;
            }
            (c, _) => out.push(c),
        }
        rest = &rest[at + guillemet.len_utf8()..];
    }
    out.push_str(&escape(rest));
    if open {
        out.push_str("</mark>");
    }
    out
}

/// The whole page.
pub fn render(form: &Form, body: Body<'_>) -> String {
    render_noted(form, body, None)
}

/// The whole page, saying above the results when an ingest is still adding to the archive
/// (`being_built`: the documents committed so far), since the hits may then still grow.
pub fn render_noted(form: &Form, body: Body<'_>, being_built: Option<u64>) -> String {
    let mut html = String::with_capacity(16 * 1024);
    html.push_str(HEAD);
    html.push_str(&form_html(form));
    if let Some(documents) = being_built {
        html.push_str(&format!(
            "<p class=\"note\" role=\"status\">Arkivet byggs just nu av en inläsning som pågår: \
             {documents} dokument är sparade hittills, och fler träffar kan tillkomma.</p>\n"
        ));
    }
    match body {
        Body::Nothing => html.push_str(HELP),
        Body::Error(message) => {
            html.push_str(&format!("<p class=\"error\" role=\"alert\">{}</p>\n", escape(message)));
        }
        Body::Hits { params, hits, total, suggestion } => {
            html.push_str(&hits_html(params, hits, total, suggestion))
        }
    }
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sök i arkivet</title>
<style>
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #d9dde3; --accent: #1f5f99; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); background: #f6f7f9; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.lead { margin: 0 0 1.25rem; color: var(--muted); }
form { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem;
  display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; }
label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); gap: .2rem; }
label.q { flex: 1 1 100%; }
input, select, button { font: inherit; color: var(--ink); padding: .4rem .55rem; border: 1px solid #b8bfc9;
  border-radius: 5px; background: #fff; }
input[type=search] { width: 100%; font-size: 1.1rem; }
input.year { width: 6.5rem; }
button { background: var(--accent); border-color: var(--accent); color: #fff; padding: .45rem 1.4rem;
  cursor: pointer; }
.summary { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5rem; margin: 1.25rem 0 .5rem;
  color: var(--muted); }
a { color: var(--accent); }
ol.hits { list-style: none; padding: 0; margin: 0; }
.hit { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin: .6rem 0; }
.meta { font-size: .85rem; color: var(--muted); display: flex; flex-wrap: wrap; gap: .35rem .6rem; }
.rank { font-weight: 600; color: var(--ink); }
.tag { background: #eef1f5; border-radius: 4px; padding: 0 .4rem; }
.hit h2 { font-size: 1.05rem; margin: .2rem 0 0; }
.path { font-size: .9rem; color: var(--muted); }
.snippet { margin: .4rem 0; }
mark { background: #ffe58a; color: inherit; padding: 0 .1em; border-radius: 2px; }
.source { font-size: .8rem; color: var(--muted); word-break: break-all; }
code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; font-size: .95em; }
.note { background: #fff8e1; border: 1px solid #e6cf8a; border-radius: 8px; padding: .6rem 1rem; }
.error { background: #fdecec; border: 1px solid #e3a3a3; color: #7a1d1d; border-radius: 8px; padding: .8rem 1rem;
  margin-top: 1.25rem; }
.empty, .help { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem;
  margin-top: 1.25rem; }
.help p { margin: .3rem 0; }
</style>
</head>
<body>
<main>
<h1>Sök i arkivet</h1>
<p class="lead">Cirkulär, resultatrapporter och webbsidor från SKL/SKR om jämställdhet och kvinnofrid.</p>
"#;

const HELP: &str = r#"<div class="help">
<p>Skriv ett eller flera ord. Sökningen hittar även böjningsformer, och <code>jamstalldhet</code> hittar
<i>jämställdhet</i>. Sätt citattecken runt en fras för att söka exakt: <code>"jämställd hälsa"</code>.</p>
<p>Lämna sökrutan tom för att lista alla poster som passar filtren.</p>
</div>
"#;

fn form_html(form: &Form) -> String {
    let doc_types: Vec<(&str, &str)> =
        [DocType::Circular, DocType::ResultReport, DocType::WebPage, DocType::Other]
            .into_iter()
            .map(|t| (t.as_str(), doc_type_label(t)))
            .collect();
    let kinds: Vec<(&str, &str)> = [Kind::Document, Kind::Section, Kind::Goal, Kind::Activity]
        .into_iter()
        .map(|k| (k.as_str(), kind_label(k)))
        .collect();
    let mut limits: Vec<String> = ["10", "20", "50", "100"].into_iter().map(String::from).collect();
    let limit = form.limit.trim();
    if !limit.is_empty() && !limits.iter().any(|l| l == limit) {
        // Keep a limit given in a shared link selected, even an odd one.
        limits.push(limit.to_string());
    }
    let limits: Vec<(&str, &str)> = limits.iter().map(|l| (l.as_str(), l.as_str())).collect();
    let selected_limit = if limit.is_empty() { "20" } else { limit };
    format!(
        r#"<form action="/search" method="get" role="search">
<label class="q">Sökord <input type="search" name="q" value="{q}" autofocus placeholder="t.ex. kvinnofrid eller jämställdhetsintegrering"></label>
<label>År från <input class="year" type="text" inputmode="numeric" name="from" value="{from}" placeholder="t.ex. 2012"></label>
<label>År till <input class="year" type="text" inputmode="numeric" name="to" value="{to}" placeholder="t.ex. 2020"></label>
<label>Typ {types}</label>
<label>Slag {kinds}</label>
<label>Status {statuses}</label>
<label>Aktör <input type="text" name="actor" value="{actor}" placeholder="t.ex. Socialstyrelsen"></label>
<label>Ordning {sorts}</label>
<label>Antal {limits}</label>
<button type="submit">Sök</button>
</form>
"#,
        q = escape(&form.q),
        from = escape(&form.from),
        to = escape(&form.to),
        types = select("type", "Alla typer", &doc_types, &form.doc_type),
        kinds = select("kind", "Alla slag", &kinds, &form.kind),
        statuses = select(
            "status",
            "Alla",
            &[Status::Done, Status::Ongoing, Status::Planned].map(|s| (s.as_str(), status_label(s))),
            &form.status
        ),
        actor = escape(&form.actor),
        sorts = select("sort", "", &[("relevance", "bäst träff först"), ("date", "nyast först")], &form.sort),
        limits = select("limit", "", &limits, selected_limit),
    )
}

/// A `<select>` of `options` (value, label), `selected` chosen; `any` labels an empty first choice.
fn select(name: &str, any: &str, options: &[(&str, &str)], selected: &str) -> String {
    let mut html = format!("<select name=\"{name}\">");
    if !any.is_empty() {
        html.push_str(&format!("<option value=\"\">{}</option>", escape(any)));
    }
    for (value, label) in options {
        let chosen = if *value == selected.trim() { " selected" } else { "" };
        html.push_str(&format!("<option value=\"{}\"{chosen}>{}</option>", escape(value), escape(label)));
    }
    html.push_str("</select>");
    html
}

fn hits_html(params: &SearchParams, hits: &[Hit], total: Option<u64>, suggestion: Option<&str>) -> String {
    let query = params.query_string();
    let exports = format!(
        "<span>Exportera alla träffar: <a href=\"/export?format=csv&amp;{q}\">CSV</a> · \
         <a href=\"/export?format=json&amp;{q}\">JSON</a> · <a href=\"/export?format=jsonl&amp;{q}\">JSON Lines</a></span>",
        q = escape(&query)
    );
    if hits.is_empty() {
        let what = if params.q.is_empty() {
            "Inga poster passar filtren.".to_string()
        } else {
            format!("Inga träffar för <q>{}</q>.", escape(&params.q))
        };
        if let Some(suggestion) = suggestion {
            let instead = SearchParams { q: suggestion.to_string(), ..params.clone() };
            return format!(
                "<div class=\"empty\"><p>{what} Menade du <a href=\"/search?{}\">{}</a>?</p></div>\n",
                escape(&instead.query_string()),
                escape(suggestion)
            );
        }
        return format!(
            "<div class=\"empty\"><p>{what} Pröva andra ord, färre filter eller ett vidare årsintervall.</p></div>\n"
        );
    }
    let best = if params.q.is_empty() { "första posterna" } else { "bästa träffarna" };
    let of = total.filter(|&t| t > hits.len() as u64).map(|t| format!(" av {t}")).unwrap_or_default();
    let count = match hits.len() {
        1 => "1 träff".to_string(),
        n if n == params.limit && n < MAX_LIMIT => {
            let more = format!("/search?{query}&limit={}", (n * 5).min(MAX_LIMIT));
            format!("De {n} {best}{of} (<a href=\"{}\">visa fler</a>)", escape(&more))
        }
        n if n == params.limit => format!("De {n} {best}{of}"),
        n => format!("{n} träffar"),
    };
    let mut html =
        format!("<div class=\"summary\"><span>{count}</span>{exports}</div>\n<ol class=\"hits\">\n");
    for (i, hit) in hits.iter().enumerate() {
        html.push_str(&hit_html(i + 1, hit));
    }
    html.push_str("</ol>\n");
    html
}

fn hit_html(rank: usize, hit: &Hit) -> String {
    let ctx = &hit.context;
    let year = ctx.year.map_or_else(|| "år okänt".to_string(), |y| y.to_string());
    let title = if ctx.title.trim().is_empty() { "(utan titel)" } else { ctx.title.as_str() };
    let (source, page) = source_of(&hit.record);
    let page = page.map(|p| format!(", s. {p}")).unwrap_or_default();
    // When the snippet is only the record's own heading (a document's title, a section without text
    // of its own), mark the heading where it stands rather than repeat it below.
    let own_heading = match hit.record.kind() {
        Kind::Document => Some(title),
        Kind::Section => ctx.section_path.last().map(String::as_str),
        Kind::Goal | Kind::Activity => None,
    };
    let marks_heading = own_heading.is_some_and(|heading| same_words(&hit.snippet, heading));
    let kind = hit.record.kind();
    let title =
        if marks_heading && kind == Kind::Document { snippet_html(&hit.snippet) } else { escape(title) };
    let last = ctx.section_path.len().saturating_sub(1);
    let path: Vec<String> = ctx
        .section_path
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if marks_heading && kind == Kind::Section && i == last {
                snippet_html(&hit.snippet)
            } else {
                escape(h)
            }
        })
        .collect();
    let snippet = if marks_heading {
        String::new()
    } else {
        format!("<p class=\"snippet\">{}</p>\n", snippet_html(&hit.snippet))
    };
    let path = if path.is_empty() {
        String::new()
    } else {
        format!("<div class=\"path\">{}</div>\n", path.join(" › "))
    };
    format!(
        r#"<li class="hit">
<div class="meta"><span class="rank">{rank}.</span><span>{year}</span><span class="tag">{kind}</span><span class="tag">{doc_type}</span>{activity}</div>
<h2>{title}</h2>
{path}{snippet}<div class="source"><code>{id}</code> · <code>{source}</code>{page}</div>
</li>
"#,
        kind = kind_label(hit.record.kind()),
        doc_type = doc_type_label(ctx.doc_type),
        activity = activity_html(&hit.record),
        id = escape(hit.record.id()),
        source = escape(source),
    )
}

/// An activity's status, years and actors, as tags of its hit; nothing for other records.
fn activity_html(record: &Record) -> String {
    let Record::Activity(a) = record else { return String::new() };
    let status = status_label(a.status);
    let mut html = format!("<span class=\"tag status\">{status}</span>");
    if !a.years.is_empty() {
        let years: Vec<String> = a.years.iter().map(i32::to_string).collect();
        html.push_str(&format!("<span>år {}</span>", escape(&years.join(", "))));
    }
    if !a.actors.is_empty() {
        html.push_str(&format!("<span>aktörer: {}</span>", escape(&a.actors.join(", "))));
    }
    html
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Done => "genomförd",
        Status::Ongoing => "pågående",
        Status::Planned => "planerad",
    }
}

/// True when `snippet`, without its marks, has the words of `text`.
fn same_words(snippet: &str, text: &str) -> bool {
    let words = |s: &str| {
        s.split(|c: char| c.is_whitespace() || c == '«' || c == '»')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    words(snippet) == words(text)
}

/// The file a record came from, and its page when known.
fn source_of(record: &Record) -> (&str, Option<u32>) {
    match record {
        Record::Document(d) => (&d.source.path, None),
        Record::Section(s) => (&s.source.path, s.source.page),
        Record::Goal(g) => (&g.source.path, g.source.page),
        Record::Activity(a) => (&a.source.path, a.source.page),
    }
}

fn doc_type_label(t: DocType) -> &'static str {
    match t {
        DocType::Circular => "Cirkulär",
        DocType::ResultReport => "Resultatrapport",
        DocType::WebPage => "Webbsida",
        DocType::Other => "Övrigt",
    }
}

fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Document => "Dokument",
        Kind::Section => "Avsnitt",
        Kind::Goal => "Mål",
        Kind::Activity => "Aktivitet",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::DocContext;
    use crate::records::{DocumentRecord, Source, SCHEMA_VERSION};
    use crate::serve::params::encode;

    /// A link's query string from name/value pairs.
    fn link(pairs: &[(&str, &str)]) -> String {
        pairs.iter().map(|(n, v)| format!("{n}={}", encode(v))).collect::<Vec<_>>().join("&")
    }

    fn hit(title: &str, snippet: &str) -> Hit {
        Hit {
            record: Record::Document(DocumentRecord {
                id: "doc-0123456789abcdef".into(),
                doc_id: "doc-0123456789abcdef".into(),
                schema_version: SCHEMA_VERSION,
                doc_type: DocType::Circular,
                title: title.into(),
                date: None,
                year: Some(2012),
                org: None,
                circular_number: None,
                diary_number: None,
                keywords: Vec::new(),
                recipients: Vec::new(),
                source: Source { path: "arkiv/<cirkulär>.pdf".into(), sha256: "00".into(), pages: Some(2) },
                paths: Vec::new(),
                needs_ocr: false,
                ocr_pages: Vec::new(),
                warnings: Vec::new(),
            }),
            context: DocContext {
                title: title.into(),
                doc_type: DocType::Circular,
                year: Some(2012),
                section_path: vec!["Mål & medel".into(), "Våld".into()],
            },
            score: 1.0,
            snippet: snippet.into(),
        }
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(escape("jämställdhet"), "jämställdhet");
    }

    #[test]
    fn snippet_marks_become_mark_elements() {
        assert_eq!(
            snippet_html("…om «kvinnofrid» och «våld» <b>…"),
            "…om <mark>kvinnofrid</mark> och <mark>våld</mark> &lt;b&gt;…"
        );
    }

    #[test]
    fn stray_guillemets_never_unbalance_the_markup() {
        // Swedish quotes »like this» and a mark inside a quote.
        assert_eq!(snippet_html("»Jämställd «vård»»"), "»Jämställd <mark>vård</mark>»");
        assert_eq!(snippet_html("«a «b» c»"), "<mark>a «b</mark> c»");
        assert_eq!(snippet_html("«öppen"), "<mark>öppen</mark>");
        for s in ["«", "»", "««»»", "»«", "a«<»b"] {
            let html = snippet_html(s);
            assert_eq!(html.matches("<mark>").count(), html.matches("</mark>").count(), "{s} → {html}");
            assert!(!html.replace("<mark>", "").replace("</mark>", "").contains('<'), "{s} → {html}");
        }
    }

    #[test]
    fn the_start_page_has_the_form_and_no_results() {
        let html = render(&Form::default(), Body::Nothing);
        assert!(html.contains(r#"<form action="/search" method="get""#));
        for field in ["name=\"q\"", "name=\"from\"", "name=\"to\"", "name=\"type\"", "name=\"kind\""] {
            assert!(html.contains(field), "{field}");
        }
        assert!(html.contains(r#"<option value="result_report">Resultatrapport</option>"#));
        assert!(html.contains(r#"<option value="goal">Mål</option>"#));
        assert!(!html.contains("class=\"hit\""));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn the_form_shows_back_what_was_typed_escaped() {
        let form =
            Form::from_query("q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&from=tjugo&type=circular&limit=37");
        let html = render(&form, Body::Error("År från: \"tjugo\" <är> inte ett årtal"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
        assert!(html.contains("value=\"tjugo\""));
        assert!(html.contains(r#"<option value="circular" selected>"#));
        assert!(html.contains(r#"<option value="37" selected>37</option>"#));
        assert!(html.contains("&lt;är&gt; inte ett årtal"));
    }

    #[test]
    fn hits_show_rank_context_snippet_and_source() {
        let params = Form::from_query("q=kvinnofrid&from=2012").search().expect("valid");
        let hits = vec![hit("Cirkulär <12:13>", "…arbetet mot «kvinnofrid» & våld…")];
        let html = render(
            &Form::from_query("q=kvinnofrid&from=2012"),
            Body::Hits { params: &params, hits: &hits, total: None, suggestion: None },
        );
        assert!(html.contains("<span class=\"rank\">1.</span><span>2012</span>"));
        assert!(html.contains("<h2>Cirkulär &lt;12:13&gt;</h2>"));
        assert!(html.contains("Mål &amp; medel › Våld"));
        assert!(html.contains("…arbetet mot <mark>kvinnofrid</mark> &amp; våld…"));
        assert!(html.contains("<code>doc-0123456789abcdef</code> · <code>arkiv/&lt;cirkulär&gt;.pdf</code>"));
        assert!(html.contains("href=\"/export?format=csv&amp;q=kvinnofrid&amp;from=2012\""));
        assert!(html.contains("1 träff"));
    }

    #[test]
    fn a_heading_only_section_marks_its_place_in_the_path() {
        let params = Form::from_query("q=våld").search().expect("valid");
        let mut section = hit("Rapport", "Mot «våld»");
        section.record = Record::Section(crate::records::SectionRecord {
            id: "doc-1-s001".into(),
            doc_id: "doc-1".into(),
            schema_version: SCHEMA_VERSION,
            number: None,
            heading: "Mot våld".into(),
            level: 2,
            parent_id: None,
            text: String::new(),
            page: Some(4),
            source: crate::records::Provenance { path: "r.pdf".into(), sha256: "00".into(), page: Some(4) },
        });
        section.context.section_path = vec!["Mål & medel".into(), "Mot våld".into()];
        let html = render(
            &Form::default(),
            Body::Hits {
                params: &params,
                hits: std::slice::from_ref(&section),
                total: None,
                suggestion: None,
            },
        );
        assert!(html.contains("<div class=\"path\">Mål &amp; medel › Mot <mark>våld</mark></div>"), "{html}");
        assert!(!html.contains("class=\"snippet\""));
        assert!(html.contains("<code>r.pdf</code>, s. 4"));

        // With text of its own the section keeps its snippet.
        section.snippet = "…arbetet mot «våld» i nära relationer…".into();
        let html = render(
            &Form::default(),
            Body::Hits { params: &params, hits: &[section], total: None, suggestion: None },
        );
        assert!(html.contains("Mål &amp; medel › Mot våld</div>"));
        assert!(html.contains("<p class=\"snippet\">…arbetet mot <mark>våld</mark> i nära relationer…</p>"));
    }

    #[test]
    fn a_title_snippet_marks_the_heading_instead_of_repeating_it() {
        let params = Form::from_query("q=plan").search().expect("valid");
        let hits = vec![hit("Plan för  jämställdhet", "«Plan» för jämställdhet")];
        let html = render(
            &Form::default(),
            Body::Hits { params: &params, hits: &hits, total: None, suggestion: None },
        );
        assert!(html.contains("<h2><mark>Plan</mark> för jämställdhet</h2>"), "{html}");
        assert!(!html.contains("class=\"snippet\""));
    }

    #[test]
    fn a_page_over_an_archive_being_built_says_so() {
        let html = render_noted(&Form::default(), Body::Nothing, Some(42));
        assert!(html.contains("class=\"note\""), "{html}");
        assert!(html.contains("42 dokument är sparade hittills"), "{html}");
        assert!(!render(&Form::default(), Body::Nothing).contains("class=\"note\""));
    }

    #[test]
    fn no_hits_says_so() {
        let form = Form::from_query(&link(&[("q", "<zzz>")]));
        let params = form.search().expect("valid");
        let html = render(&form, Body::Hits { params: &params, hits: &[], total: None, suggestion: None });
        assert!(html.contains("Inga träffar för <q>&lt;zzz&gt;</q>"));
        assert!(!html.contains("<ol"));
    }
}

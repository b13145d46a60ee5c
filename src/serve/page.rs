//! The pages: the search page (the form, and the hits, a message or nothing below it) and a
//! document's view ([`document`]), built with maud, whose templates escape every value unless told
//! otherwise.
//!
//! The only markup made from data is the `<mark>` of a snippet's `«…»` ([`snippet_html`], which
//! escapes the rest). The pages need no script and load nothing but themselves: the year chart is a
//! row of links. This module never searches or reads files; it renders what it is given.

pub mod document;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::index::{Counts, Hit, YearRow};
use crate::records::{Kind, Record};
use crate::segment::{DocType, Status};

use super::params::{encode, Form, SearchParams, DEFAULT_LIMIT, MAX_OFFSET};

/// The style of every page: inline, since the Content-Security-Policy lets nothing else load.
const CSS: &str = include_str!("page.css");

/// What goes below the form.
pub enum Body<'a> {
    /// The start page: the form only.
    Nothing,
    /// One page of a search's hits (possibly none); `counts` are those of all matches, when known;
    /// `suggestion` the nearest indexed spelling of a query that found nothing.
    Hits {
        params: &'a SearchParams,
        hits: &'a [Hit],
        counts: Option<&'a Counts>,
        suggestion: Option<&'a str>,
    },
    /// Why the request could not be answered.
    Error(&'a str),
}

/// `s` with the characters that mean something in HTML (text or a quoted attribute) escaped.
fn escape(s: &str) -> String {
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
pub fn snippet_html(snippet: &str) -> Markup {
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
    PreEscaped(out)
}

/// A whole page around `content`, saying at the top when an ingest is still adding to the archive
/// (`being_built`: the documents committed so far), since what is shown may then still grow.
fn layout(title: &str, being_built: Option<u64>, content: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main {
                    h1 { a href="/" { "Sök i arkivet" } }
                    p.lead { "Cirkulär, resultatrapporter och webbsidor från SKL/SKR om jämställdhet och kvinnofrid." }
                    @if let Some(documents) = being_built {
                        p.note role="status" {
                            "Arkivet byggs just nu av en inläsning som pågår: " (documents)
                            " dokument är sparade hittills, och fler träffar kan tillkomma."
                        }
                    }
                    (content)
                }
            }
        }
    }
    .into_string()
}

/// The search page.
pub fn render(form: &Form, body: Body<'_>) -> String {
    render_noted(form, body, None)
}

/// The search page, noting an ingest in progress (see [`layout`]).
pub fn render_noted(form: &Form, body: Body<'_>, being_built: Option<u64>) -> String {
    let title = if form.q.trim().is_empty() {
        "Sök i arkivet".to_string()
    } else {
        format!("{} – Sök i arkivet", form.q.trim())
    };
    let content = html! {
        (search_form(form))
        @match body {
            Body::Nothing => (help()),
            Body::Error(message) => p.error role="alert" { (message) },
            Body::Hits { params, hits, counts, suggestion } => (results(params, hits, counts, suggestion)),
        }
    };
    layout(&title, being_built, content)
}

fn help() -> Markup {
    html! {
        div.help {
            p {
                "Skriv ett eller flera ord: alla måste finnas med. Sökningen hittar även böjningsformer och sammansättningar ("
                code { "integrering" } " hittar " i { "jämställdhetsintegrering" } "), och " code { "jamstalldhet" }
                " hittar " i { "jämställdhet" } ". Sätt citattecken runt en fras: " code { "\"våld i nära relationer\"" }
                ". Använd " code { "OR" } ", " code { "-ord" } " och " code { "kvinno*" } " för att vidga eller smalna av."
            }
            p { "Lämna sökrutan tom för att lista alla poster som passar filtren." }
        }
    }
}

fn search_form(form: &Form) -> Markup {
    let doc_types = DOC_TYPES.map(|t| (t.as_str(), doc_type_label(t)));
    let kinds = KINDS.map(|k| (k.as_str(), kind_label(k)));
    let statuses = [Status::Done, Status::Ongoing, Status::Planned].map(|s| (s.as_str(), status_label(s)));
    let mut limits: Vec<String> = ["10", "20", "50", "100"].into_iter().map(String::from).collect();
    let limit = form.limit.trim();
    if !limit.is_empty() && !limits.iter().any(|l| l == limit) {
        // Keep a limit given in a shared link selected, even an odd one.
        limits.push(limit.to_string());
    }
    let limits: Vec<(&str, &str)> = limits.iter().map(|l| (l.as_str(), l.as_str())).collect();
    let selected_limit = if limit.is_empty() { "20" } else { limit };
    html! {
        form action="/search" method="get" role="search" {
            label.q { "Sökord " input type="search" name="q" value=(form.q) autofocus placeholder="t.ex. kvinnofrid eller jämställdhetsintegrering"; }
            label { "År från " input.year type="text" inputmode="numeric" name="from" value=(form.from) placeholder="t.ex. 2012"; }
            label { "År till " input.year type="text" inputmode="numeric" name="to" value=(form.to) placeholder="t.ex. 2020"; }
            label { "Dokumentets år " input.year type="text" name="doc_year" value=(form.doc_year) placeholder="t.ex. 2012..2014"; }
            label { "Typ " (select("type", "Alla typer", &doc_types, &form.doc_type)) }
            label { "Slag " (select("kind", "Alla slag", &kinds, &form.kind)) }
            label { "Status " (select("status", "Alla", &statuses, &form.status)) }
            label { "Aktör " input type="text" name="actor" value=(form.actor) placeholder="t.ex. Socialstyrelsen"; }
            label { "Organisation " input type="text" name="org" value=(form.org) placeholder="SKL eller SKR"; }
            label { "Ordning " (select("sort", "", &[("relevance", "bäst träff först"), ("date", "nyast först")], &form.sort)) }
            label { "Antal " (select("limit", "", &limits, selected_limit)) }
            button type="submit" { "Sök" }
        }
    }
}

/// A `<select>` of `options` (value, label), `selected` chosen; `any` labels an empty first choice.
fn select(name: &str, any: &str, options: &[(&str, &str)], selected: &str) -> Markup {
    html! {
        select name=(name) {
            @if !any.is_empty() { option value="" { (any) } }
            @for (value, label) in options {
                option value=(value) selected[*value == selected.trim()] { (label) }
            }
        }
    }
}

const DOC_TYPES: [DocType; 4] = [DocType::Circular, DocType::ResultReport, DocType::WebPage, DocType::Other];
const KINDS: [Kind; 4] = [Kind::Document, Kind::Section, Kind::Goal, Kind::Activity];

/// A link to this search with some parameters replaced, from its first page unless `change` sets
/// another (`page` 1 and the default limit are left out of the link).
fn search_link(params: &SearchParams, change: impl FnOnce(&mut SearchParams)) -> String {
    let mut changed = SearchParams { page: 1, ..params.clone() };
    change(&mut changed);
    let mut link = format!("/search?{}", changed.query_string());
    if changed.limit != DEFAULT_LIMIT {
        link.push_str(&format!("&limit={}", changed.limit));
    }
    if changed.page > 1 {
        link.push_str(&format!("&page={}", changed.page));
    }
    link
}

fn results(params: &SearchParams, hits: &[Hit], counts: Option<&Counts>, suggestion: Option<&str>) -> Markup {
    let total = counts.map_or(hits.len() as u64, |c| c.total);
    if hits.is_empty() {
        return html! {
            div.empty {
                p {
                    @if params.q.is_empty() { "Inga poster passar filtren." } @else { "Inga träffar för " q { (params.q) } "." }
                    @if let Some(suggestion) = suggestion {
                        " Menade du " a href=(search_link(params, |p| { p.q = suggestion.to_string(); })) { (suggestion) } "?"
                    } @else if total > 0 {
                        " Sidan " (params.page) " är bortom den sista: " a href=(search_link(params, |_| {})) { "börja om från första sidan" } "."
                    } @else {
                        " Pröva andra ord, färre filter eller ett vidare årsintervall."
                    }
                }
            }
        };
    }
    let query = params.query_string();
    let first = params.offset() + 1;
    let last = params.offset() + hits.len();
    html! {
        div.summary {
            span {
                @if total == 1 { "1 träff" }
                @else if params.page == 1 && last as u64 == total { (total) " träffar" }
                @else if params.page == 1 {
                    "De " (hits.len()) " " @if params.q.is_empty() { "första posterna" } @else { "bästa träffarna" } " av " (total)
                }
                @else { "Träff " (first) "–" (last) " av " (total) }
            }
            span {
                "Exportera alla träffar: "
                a href={ "/export?format=csv&" (query) } { "CSV" } " · "
                a href={ "/export?format=json&" (query) } { "JSON" } " · "
                a href={ "/export?format=jsonl&" (query) } { "JSON Lines" }
            }
        }
        @if let Some(counts) = counts { (year_chart(params, counts)) }
        div.layout {
            div {
                ol.hits start=(first) {
                    @for (i, hit) in hits.iter().enumerate() { (hit_html(first + i, hit, &params.q)) }
                }
                (pager(params, total))
            }
            @if let Some(counts) = counts { (facets(params, counts)) }
        }
    }
}

/// Matches per year as a row of bars, each a link that narrows the search to its year.
fn year_chart(params: &SearchParams, counts: &Counts) -> Markup {
    let rows = crate::index::year_rows(&counts.by_year);
    if rows.is_empty() {
        return html! {};
    }
    let max = rows.iter().map(YearRow::total).max().unwrap_or(1).max(1);
    let kinds = |row: &YearRow| -> String {
        YearRow::KINDS
            .iter()
            .zip(row.counts)
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{n} {}", kind_label(*k).to_lowercase()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        figure.years aria-label="Träffar per år" {
            div.chart {
                @for row in &rows {
                    @let height = (row.total() * 100 / max).max(2);
                    @let chosen = params.from == Some(row.year) && params.to == Some(row.year);
                    a class=[chosen.then_some("chosen")] href=(search_link(params, |p| { p.from = Some(row.year); p.to = Some(row.year); }))
                        title={ (row.year) ": " (kinds(row)) } data-year=(row.year) {
                        span.n { (row.total()) }
                        span.fill style={ "height: " (height) "%" } {}
                        span { (row.year) }
                    }
                }
            }
            figcaption.path {
                "Träffar per år (en aktivitet räknas under sina egna år). Klicka på ett år för att visa bara det."
                @if params.from.is_some() || params.to.is_some() {
                    " " a href=(search_link(params, |p| { p.from = None; p.to = None; })) { "Visa alla år" }
                }
            }
        }
    }
}

/// Matches per document type and record kind, each a link that narrows the search to it.
fn facets(params: &SearchParams, counts: &Counts) -> Markup {
    let types = DOC_TYPES.map(|t| {
        let link = search_link(params, |p| p.doc_type = Some(t));
        (doc_type_label(t), counts.by_type.get(t.as_str()), params.doc_type == Some(t), link)
    });
    let kinds = KINDS.map(|k| {
        let link = search_link(params, |p| p.kind = Some(k));
        (kind_label(k), counts.by_kind.get(k.as_str()), params.kind == Some(k), link)
    });
    html! {
        aside.facets {
            h2 { "Typ" }
            (facet_list(&types))
            h2 { "Slag" }
            (facet_list(&kinds))
            @if params.doc_type.is_some() || params.kind.is_some() {
                p { a href=(search_link(params, |p| { p.doc_type = None; p.kind = None; })) { "Alla typer och slag" } }
            }
        }
    }
}

/// One facet's values that have matches: (label, matches, chosen, link).
fn facet_list(values: &[(&str, Option<&u64>, bool, String)]) -> Markup {
    html! {
        ul {
            @for (label, n, chosen, link) in values {
                @if let Some(n) = n {
                    li {
                        @if *chosen { strong { (label) } } @else { a href=(link) { (label) } }
                        span { (n) }
                    }
                }
            }
        }
    }
}

/// Links to the other pages of the hits: the first, the last, and two on either side of this one.
fn pager(params: &SearchParams, total: u64) -> Markup {
    let limit = params.limit as u64;
    let reachable = (MAX_OFFSET / params.limit + 1) as u64;
    let pages = total.div_ceil(limit).min(reachable) as usize;
    if pages <= 1 {
        return html! {};
    }
    let current = params.page;
    let shown: Vec<usize> =
        (1..=pages).filter(|&p| p == 1 || p == pages || p.abs_diff(current) <= 2).collect();
    html! {
        nav.pages aria-label="Sidor" {
            @if current > 1 { a rel="prev" href=(search_link(params, |p| p.page = current - 1)) { "‹ Föregående" } }
            @for (i, &page) in shown.iter().enumerate() {
                @if i > 0 && shown[i - 1] + 1 < page { span.gap { "…" } }
                @if page == current { span.current aria-current="page" { (page) } }
                @else { a href=(search_link(params, |p| p.page = page)) { (page) } }
            }
            @if current < pages { a rel="next" href=(search_link(params, |p| p.page = current + 1)) { "Nästa ›" } }
        }
    }
}

/// The link to a record in its document's view, carrying the query so the view marks it.
fn record_link(doc_id: &str, record_id: &str, q: &str) -> String {
    let query = if q.is_empty() { String::new() } else { format!("?q={}", encode(q)) };
    format!("/doc/{}{query}#{}", encode(doc_id), encode(record_id))
}

fn hit_html(rank: usize, hit: &Hit, q: &str) -> Markup {
    let ctx = &hit.context;
    let title = if ctx.title.trim().is_empty() { "(utan titel)" } else { ctx.title.as_str() };
    let (source, page) = source_of(&hit.record);
    // When the snippet is only the record's own heading (a document's title, a section without text
    // of its own), mark the heading where it stands rather than repeat it below.
    let kind = hit.record.kind();
    let own_heading = match kind {
        Kind::Document => Some(title),
        Kind::Section => ctx.section_path.last().map(String::as_str),
        Kind::Goal | Kind::Activity => None,
    };
    let marks_heading = own_heading.is_some_and(|heading| same_words(&hit.snippet, heading));
    let last = ctx.section_path.len().saturating_sub(1);
    html! {
        li.hit {
            div.meta {
                span.rank { (rank) "." }
                span { @if let Some(y) = ctx.year { (y) } @else { "år okänt" } }
                span.tag { (kind_label(kind)) }
                span.tag { (doc_type_label(ctx.doc_type)) }
                (activity_tags(&hit.record))
            }
            h2 {
                a href=(record_link(hit.record.doc_id(), hit.record.id(), q)) {
                    @if marks_heading && kind == Kind::Document { (snippet_html(&hit.snippet)) } @else { (title) }
                }
            }
            @if !ctx.section_path.is_empty() {
                div.path {
                    @for (i, heading) in ctx.section_path.iter().enumerate() {
                        @if i > 0 { " › " }
                        @if marks_heading && kind == Kind::Section && i == last { (snippet_html(&hit.snippet)) } @else { (heading) }
                    }
                }
            }
            @if !marks_heading { p.snippet { (snippet_html(&hit.snippet)) } }
            div.source {
                code { (hit.record.id()) } " · " code { (source) }
                @if let Some(p) = page { ", s. " (p) }
            }
        }
    }
}

/// An activity's status, years and actors, as tags; nothing for other records.
fn activity_tags(record: &Record) -> Markup {
    let Record::Activity(a) = record else { return html! {} };
    html! {
        span.tag.status { (status_label(a.status)) }
        @if !a.years.is_empty() { span { "år " (a.years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")) } }
        @if !a.actors.is_empty() { span { "aktörer: " (a.actors.join(", ")) } }
    }
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
                ocr: None,
                warnings: Vec::new(),
            }),
            context: DocContext {
                title: title.into(),
                doc_type: DocType::Circular,
                year: Some(2012),
                org: Some("SKL".into()),
                section_path: vec!["Mål & medel".into(), "Våld".into()],
            },
            score: 1.0,
            snippet: snippet.into(),
        }
    }

    fn html(markup: Markup) -> String {
        markup.into_string()
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
            html(snippet_html("…om «kvinnofrid» och «våld» <b>…")),
            "…om <mark>kvinnofrid</mark> och <mark>våld</mark> &lt;b&gt;…"
        );
    }

    #[test]
    fn stray_guillemets_never_unbalance_the_markup() {
        // Swedish quotes »like this» and a mark inside a quote.
        assert_eq!(html(snippet_html("»Jämställd «vård»»")), "»Jämställd <mark>vård</mark>»");
        assert_eq!(html(snippet_html("«a «b» c»")), "<mark>a «b</mark> c»");
        assert_eq!(html(snippet_html("«öppen")), "<mark>öppen</mark>");
        for s in ["«", "»", "««»»", "»«", "a«<»b"] {
            let html = html(snippet_html(s));
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
            Body::Hits { params: &params, hits: &hits, counts: None, suggestion: None },
        );
        assert!(html.contains("<span class=\"rank\">1.</span><span>2012</span>"));
        assert!(html.contains(">Cirkulär &lt;12:13&gt;</a></h2>"), "{html}");
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
            source: crate::records::Provenance::new("r.pdf", "00", Some(4)),
        });
        section.context.section_path = vec!["Mål & medel".into(), "Mot våld".into()];
        let html = render(
            &Form::default(),
            Body::Hits {
                params: &params,
                hits: std::slice::from_ref(&section),
                counts: None,
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
            Body::Hits { params: &params, hits: &[section], counts: None, suggestion: None },
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
            Body::Hits { params: &params, hits: &hits, counts: None, suggestion: None },
        );
        assert!(html.contains("><mark>Plan</mark> för jämställdhet</a></h2>"), "{html}");
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
        let html = render(&form, Body::Hits { params: &params, hits: &[], counts: None, suggestion: None });
        assert!(html.contains("Inga träffar för <q>&lt;zzz&gt;</q>"));
        assert!(!html.contains("<ol"));
    }
}

//! A document's view: its metadata, its section tree as an outline, every goal and activity under its
//! section, the paths it was ingested from and a link to the original file.
//!
//! Texts are marked with the query the view was opened from (by the caller's `mark`, which returns
//! `«…»` marks as snippets have them). This module never reads the index or the disk: whether each
//! recorded path still holds the file comes from the caller.

use maud::{html, Markup};

use super::{doc_type_label, kind_label, layout, snippet_html, status_label};
use crate::index::IngestInfo;
use crate::records::{DocumentRecord, GoalRecord, Kind, Record, SectionRecord};
use crate::serve::params::encode;

/// What the view shows: the document's records in document order (its document record first),
/// how it was ingested, and for each recorded path whether the file is still there.
pub struct View<'a> {
    pub records: &'a [Record],
    pub info: &'a IngestInfo,
    pub paths: &'a [(String, bool)],
    /// The query the view was opened from; empty for none.
    pub q: &'a str,
    /// Marks the query's words in a text `«…»`.
    pub mark: &'a dyn Fn(&str) -> String,
}

/// The view, or `None` when the records hold no document record.
pub fn render(view: &View<'_>) -> Option<String> {
    let document = view.records.iter().find_map(|r| match r {
        Record::Document(d) => Some(d),
        _ => None,
    })?;
    let sections: Vec<&SectionRecord> = view
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Section(s) => Some(s),
            _ => None,
        })
        .collect();
    let title = if document.title.trim().is_empty() { "(utan titel)" } else { document.title.as_str() };
    let mark = |text: &str| snippet_html(&(view.mark)(text));
    let goals = view.records.iter().filter(|r| r.kind() == Kind::Goal).count();
    let activities = view.records.iter().filter(|r| r.kind() == Kind::Activity).count();
    let content = html! {
        article.doc {
            p.path {
                a href={ "/search?q=" (encode(view.q)) } { "‹ Tillbaka till sökningen" }
            }
            h2 id=(document.id) { (mark(title)) }
            section { (metadata(document, view)) }
            @if !sections.is_empty() {
                section.outline {
                    h3 { "Innehåll" }
                    (outline(&sections, None, 0))
                }
            }
            section {
                h3 { "Mål och aktiviteter" }
                p.path { (goals) " mål och " (activities) " aktiviteter, under de avsnitt där de står." }
                (items_under(view, None, &mark))
                @for s in &sections {
                    @if has_items(view.records, &s.id) || !s.text.trim().is_empty() {
                        div id=(s.id) {
                            h3 { @if let Some(n) = &s.number { (n) " " } (mark(&s.heading)) }
                            @if !s.text.trim().is_empty() {
                                @let text = (view.mark)(&s.text);
                                // Open when the query is in it, so a marked word is seen.
                                details open[!view.q.is_empty() && text.contains('«')] {
                                    summary { "Avsnittets text" @if let Some(p) = s.page { " (s. " (p) ")" } }
                                    p.text { (snippet_html(&text)) }
                                }
                            }
                            (items_under(view, Some(&s.id), &mark))
                        }
                    }
                }
            }
        }
    };
    Some(layout(&format!("{title} – Sök i arkivet"), None, content))
}

fn metadata(d: &DocumentRecord, view: &View<'_>) -> Markup {
    let any_present = view.paths.iter().any(|(_, present)| *present);
    html! {
        dl {
            dt { "Typ" } dd { (doc_type_label(d.doc_type)) }
            @if let Some(date) = &d.date { dt { "Datum" } dd { (date) } }
            @if let Some(year) = d.year { dt { "År" } dd { (year) } }
            @if let Some(org) = &d.org { dt { "Organisation" } dd { (org) } }
            @if let Some(n) = &d.circular_number { dt { "Cirkulärnummer" } dd { (n) } }
            @if let Some(n) = &d.diary_number { dt { "Diarienummer" } dd { (n) } }
            @if !d.keywords.is_empty() { dt { "Nyckelord" } dd { (d.keywords.join(", ")) } }
            @if !d.recipients.is_empty() { dt { "Mottagare" } dd { (d.recipients.join(", ")) } }
            @if let Some(pages) = d.source.pages { dt { "Sidor" } dd { (pages) } }
            dt { "Id" } dd { code { (d.doc_id) } }
            dt { "SHA-256" } dd { code { (d.source.sha256) } }
            @if let Some(at) = &view.info.ingested_at { dt { "Inläst" } dd { (at) } }
            dt { "Inläst från" }
            dd {
                @for (path, present) in view.paths {
                    div { code { (path) } @if !present { " (finns inte längre där)" } }
                }
            }
        }
        @if any_present {
            a.download href={ "/file/" (encode(&d.doc_id)) } download { "Ladda ned originalfilen" }
        } @else {
            p.note { "Originalfilen finns inte längre på någon av sökvägarna den lästes in från." }
        }
    }
}

/// The sections under `parent`, nested, each a link to its place in the view. `depth` bounds the
/// recursion (the section tree is data).
fn outline(sections: &[&SectionRecord], parent: Option<&str>, depth: usize) -> Markup {
    let children: Vec<&&SectionRecord> =
        sections.iter().filter(|s| s.parent_id.as_deref() == parent).collect();
    if children.is_empty() || depth > 16 {
        return html! {};
    }
    html! {
        ul {
            @for s in children {
                li {
                    a href={ "#" (s.id) } { @if let Some(n) = &s.number { (n) " " } (s.heading) }
                    (outline(sections, Some(&s.id), depth + 1))
                }
            }
        }
    }
}

fn has_items(records: &[Record], section: &str) -> bool {
    records.iter().any(|r| match r {
        Record::Goal(g) => g.section_id.as_deref() == Some(section),
        Record::Activity(a) => a.section_id.as_deref() == Some(section),
        _ => false,
    })
}

/// The goals and activities whose section is `section` (`None`: those outside any section).
fn items_under(view: &View<'_>, section: Option<&str>, mark: &dyn Fn(&str) -> Markup) -> Markup {
    let goals: Vec<&GoalRecord> = view
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Goal(g) if g.section_id.as_deref() == section => Some(g),
            _ => None,
        })
        .collect();
    let activities: Vec<_> = view
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Activity(a) if a.section_id.as_deref() == section => Some(a),
            _ => None,
        })
        .collect();
    html! {
        @if !goals.is_empty() || !activities.is_empty() {
            ul.items {
                @for g in goals {
                    li.goal id=(g.id) {
                        span.tag { (kind_label(Kind::Goal)) } " " (mark(&g.text))
                        @if let Some(p) = g.source.page { span.path { " (s. " (p) ")" } }
                    }
                }
                @for a in activities {
                    li.activity id=(a.id) {
                        span.tag { (kind_label(Kind::Activity)) } " "
                        span.tag.status { (status_label(a.status)) } " " (mark(&a.text))
                        div.meta {
                            @if !a.years.is_empty() { span { "år " (a.years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")) } }
                            @if !a.actors.is_empty() { span { "aktörer: " (a.actors.join(", ")) } }
                            @if let Some(p) = a.source.page { span { "s. " (p) } }
                        }
                    }
                }
            }
        }
    }
}

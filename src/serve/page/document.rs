//! A document's view: its metadata, its section tree as an outline, every goal and activity under its
//! section, the paths it was ingested from and a link to the original file.
//!
//! Texts are marked with the query the view was opened from (by the caller's `mark`, which returns
//! `«…»` marks as snippets have them). This module never reads the index or the disk: whether each
//! recorded path still holds the file comes from the caller.

use maud::{html, Markup};
use rustc_hash::FxHashMap;

use super::{doc_type_label, kind_label, layout, snippet_html, status_label};
use crate::index::IngestInfo;
use crate::records::{ActivityRecord, DocumentRecord, GoalRecord, Kind, Record, SectionRecord};
use crate::segment::Status;
use crate::serve::params::encode;

/// A follow-up link seen from one of the view's goals or activities.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// True for a later record that reports on this one ("Uppföljning"), false for the earlier
    /// commitment this one reports on ("Följer upp").
    pub later: bool,
    /// The other record's status (`None` for a goal).
    pub status: Option<Status>,
    /// The other record's document's year.
    pub year: i32,
    pub doc_id: String,
    pub record_id: String,
    pub doc_title: String,
    /// The other record's section: its number, else its heading.
    pub section: Option<String>,
}

impl Note {
    /// "Uppföljning: genomfört 2019 (Resultatrapport 2019, avsnitt 3.4)".
    fn label(&self) -> String {
        let what = match (self.later, self.status) {
            (_, None) => "mål",
            (true, Some(Status::Done)) => "genomfört",
            (true, Some(Status::Ongoing)) => "pågår",
            (true, Some(Status::Planned)) => "planerat",
            (false, Some(Status::Done)) => "genomfört",
            (false, Some(Status::Ongoing)) => "pågående",
            (false, Some(Status::Planned)) => "planerat",
        };
        let head = if self.later { "Uppföljning" } else { "Följer upp" };
        let section = self.section.as_ref().map(|s| format!(", avsnitt {s}")).unwrap_or_default();
        format!("{head}: {what} {} ({}{section})", self.year, self.doc_title)
    }
}

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
    /// Follow-up links by the id of the view's record they start or end at.
    pub notes: &'a FxHashMap<String, Vec<Note>>,
}

/// The goals and activities of one section, in document order.
#[derive(Default)]
struct Items<'a> {
    goals: Vec<&'a GoalRecord>,
    activities: Vec<&'a ActivityRecord>,
}

/// A document's records sorted out in one pass: the view looks items and subsections up by their
/// section instead of scanning every record for each section.
struct Parts<'a> {
    document: &'a DocumentRecord,
    sections: Vec<&'a SectionRecord>,
    /// By parent section (`None`: the top level).
    children: FxHashMap<Option<&'a str>, Vec<&'a SectionRecord>>,
    /// By section (`None`: outside any section).
    items: FxHashMap<Option<&'a str>, Items<'a>>,
}

impl<'a> Parts<'a> {
    fn of(records: &'a [Record]) -> Option<Parts<'a>> {
        let mut document = None;
        let mut sections = Vec::new();
        let mut children: FxHashMap<Option<&str>, Vec<&SectionRecord>> = FxHashMap::default();
        let mut items: FxHashMap<Option<&str>, Items> = FxHashMap::default();
        for record in records {
            match record {
                Record::Document(d) => document = document.or(Some(d)),
                Record::Section(s) => {
                    sections.push(s);
                    children.entry(s.parent_id.as_deref()).or_default().push(s);
                }
                Record::Goal(g) => items.entry(g.section_id.as_deref()).or_default().goals.push(g),
                Record::Activity(a) => items.entry(a.section_id.as_deref()).or_default().activities.push(a),
            }
        }
        Some(Parts { document: document?, sections, children, items })
    }
}

/// The view, or `None` when the records hold no document record.
pub fn render(view: &View<'_>) -> Option<String> {
    let parts = Parts::of(view.records)?;
    let document = parts.document;
    let title = if document.title.trim().is_empty() { "(utan titel)" } else { document.title.as_str() };
    let mark = |text: &str| snippet_html(&(view.mark)(text));
    let goals: usize = parts.items.values().map(|i| i.goals.len()).sum();
    let activities: usize = parts.items.values().map(|i| i.activities.len()).sum();
    let content = html! {
        article.doc {
            p.path {
                a href={ "/search?q=" (encode(view.q)) } { "‹ Tillbaka till sökningen" }
            }
            h2 id=(document.id) { (mark(title)) }
            section { (metadata(document, view)) }
            @if !parts.sections.is_empty() {
                section.outline {
                    h3 { "Innehåll" }
                    (outline(&parts.children, None, 0))
                }
            }
            section {
                h3 { "Mål och aktiviteter" }
                p.path { (goals) " mål och " (activities) " aktiviteter, under de avsnitt där de står." }
                (items_html(parts.items.get(&None), &mark, view.notes))
                @for s in &parts.sections {
                    @let items = parts.items.get(&Some(s.id.as_str()));
                    @if items.is_some() || !s.text.trim().is_empty() {
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
                            (items_html(items, &mark, view.notes))
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
fn outline(
    children: &FxHashMap<Option<&str>, Vec<&SectionRecord>>,
    parent: Option<&str>,
    depth: usize,
) -> Markup {
    let Some(sections) = children.get(&parent).filter(|_| depth <= 16) else { return html! {} };
    html! {
        ul {
            @for s in sections {
                li {
                    a href={ "#" (s.id) } { @if let Some(n) = &s.number { (n) " " } (s.heading) }
                    (outline(children, Some(&s.id), depth + 1))
                }
            }
        }
    }
}

/// A section's goals and activities.
fn items_html(
    items: Option<&Items<'_>>,
    mark: &dyn Fn(&str) -> Markup,
    notes: &FxHashMap<String, Vec<Note>>,
) -> Markup {
    let Some(items) = items else { return html! {} };
    let follow = |id: &str| {
        html! {
            @for n in notes.get(id).map_or(&[][..], Vec::as_slice) {
                div.follow { a href={ "/doc/" (encode(&n.doc_id)) "#" (encode(&n.record_id)) } { (n.label()) } }
            }
        }
    };
    html! {
        ul.items {
            @for g in &items.goals {
                li.goal id=(g.id) {
                    span.tag { (kind_label(Kind::Goal)) } " " (mark(&g.text))
                    @if let Some(p) = g.source.page { span.path { " (s. " (p) ")" } }
                    (follow(&g.id))
                }
            }
            @for a in &items.activities {
                li.activity id=(a.id) {
                    span.tag { (kind_label(Kind::Activity)) } " "
                    span.tag.status { (status_label(a.status)) } " " (mark(&a.text))
                    div.meta {
                        @if !a.years.is_empty() { span { "år " (a.years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")) } }
                        @if !a.actors.is_empty() { span { "aktörer: " (a.actors.join(", ")) } }
                        @if let Some(p) = a.source.page { span { "s. " (p) } }
                    }
                    (follow(&a.id))
                }
            }
        }
    }
}

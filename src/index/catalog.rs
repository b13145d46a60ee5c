//! What the index knows about each document besides its records: where it was seen (the catalogue of
//! paths the writer keeps in memory) and when and how it was ingested (stored with the document).
//!
//! This module only keeps books; it never touches tantivy.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::records::{DocumentRecord, Kind};
use crate::segment::DocType;

/// How a document came into the index, stored beside its document record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestInfo {
    /// When the document was first read, RFC 3339 in UTC; unknown for an index from before it was kept.
    pub ingested_at: Option<String>,
    /// The extraction and segmentation version that made the records (`crate::PIPELINE_VERSION`).
    pub pipeline_version: Option<u32>,
    /// The document's records by kind.
    #[serde(default)]
    pub records: BTreeMap<Kind, usize>,
}

/// One document of the archive, as `arkiv list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    pub id: String,
    pub paths: Vec<String>,
    pub sha256: String,
    pub doc_type: DocType,
    pub year: Option<i32>,
    pub title: String,
    pub pages: Option<u32>,
    pub records: BTreeMap<Kind, usize>,
    pub ingested_at: Option<String>,
    pub pipeline_version: Option<u32>,
}

impl Listed {
    pub(super) fn new(d: DocumentRecord, info: IngestInfo) -> Listed {
        Listed {
            paths: paths_of(&d),
            id: d.id,
            sha256: d.source.sha256,
            doc_type: d.doc_type,
            year: d.year,
            title: d.title,
            pages: d.source.pages,
            records: info.records,
            ingested_at: info.ingested_at,
            pipeline_version: info.pipeline_version,
        }
    }
}

/// A document record's paths; a record from before `paths` existed has only its source path.
pub(super) fn paths_of(d: &DocumentRecord) -> Vec<String> {
    if d.paths.is_empty() {
        vec![d.source.path.clone()]
    } else {
        d.paths.clone()
    }
}

/// Which document each path holds, and every path of each document.
///
/// Invariant: `by_path[p] == d` exactly when `p` is in `paths[d]`; no document has an empty list.
#[derive(Debug, Default)]
pub(super) struct Catalog {
    paths: HashMap<String, Vec<String>>,
    by_path: HashMap<String, String>,
}

impl Catalog {
    /// The document at `path`.
    pub fn document_at(&self, path: &str) -> Option<&str> {
        self.by_path.get(path).map(String::as_str)
    }

    /// The paths of `doc_id`, first the one its records name.
    pub fn paths(&self, doc_id: &str) -> Option<&[String]> {
        self.paths.get(doc_id).map(Vec::as_slice)
    }

    /// Set every path of `doc_id`, taking each from the document that held it. Returns what each of
    /// those documents lost.
    pub fn set(&mut self, doc_id: &str, paths: Vec<String>) -> Vec<Loss> {
        let mut losses: Vec<Loss> = Vec::new();
        for path in &paths {
            match self.by_path.insert(path.clone(), doc_id.to_string()) {
                Some(old) if old != doc_id => {
                    let Some(held) = self.paths.get_mut(&old) else { continue };
                    let first_lost = held.first() == Some(path);
                    held.retain(|q| q != path);
                    let left = held.clone();
                    if left.is_empty() {
                        self.paths.remove(&old);
                    }
                    match losses.iter_mut().find(|l| l.doc_id == old) {
                        Some(loss) => {
                            loss.left = left;
                            loss.first_lost |= first_lost;
                        }
                        None => losses.push(Loss { doc_id: old, left, first_lost }),
                    }
                }
                _ => {}
            }
        }
        if let Some(old) = self.paths.insert(doc_id.to_string(), paths.clone()) {
            for path in old.iter().filter(|p| !paths.contains(p)) {
                self.by_path.remove(path);
            }
        }
        losses
    }

    /// Take `path` from the document that holds it; what that document lost.
    pub fn remove_path(&mut self, path: &str) -> Option<Loss> {
        let doc_id = self.by_path.remove(path)?;
        let held = self.paths.get_mut(&doc_id)?;
        let first_lost = held.first().is_some_and(|p| p == path);
        held.retain(|p| p != path);
        let left = held.clone();
        if left.is_empty() {
            self.paths.remove(&doc_id);
        }
        Some(Loss { doc_id, left, first_lost })
    }

    /// Forget `doc_id` and all its paths.
    pub fn remove(&mut self, doc_id: &str) -> Option<Vec<String>> {
        let paths = self.paths.remove(doc_id)?;
        for path in &paths {
            self.by_path.remove(path);
        }
        Some(paths)
    }
}

/// What a document lost when another took some of its paths.
#[derive(Debug, PartialEq)]
pub(super) struct Loss {
    pub doc_id: String,
    /// Its paths now; empty: the document is gone.
    pub left: Vec<String>,
    /// Its first path was among those taken, so its records must name another.
    pub first_lost: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(paths: &[&str]) -> Vec<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_path_moves_to_the_document_it_now_holds() {
        let mut c = Catalog::default();
        assert!(c.set("d1", v(&["/a", "/b"])).is_empty());
        let loss = |left: &[&str], first_lost| Loss { doc_id: "d1".into(), left: v(left), first_lost };
        assert_eq!(c.set("d2", v(&["/b"])), vec![loss(&["/a"], false)]);
        assert_eq!(c.document_at("/b"), Some("d2"));
        assert_eq!(c.paths("d1"), Some(&v(&["/a"])[..]));
        // The last path gone: the document is gone.
        assert_eq!(c.set("d2", v(&["/b", "/a"])), vec![loss(&[], true)]);
        assert_eq!(c.paths("d1"), None);
        assert_eq!(c.paths("d2"), Some(&v(&["/b", "/a"])[..]));
    }

    #[test]
    fn dropping_a_path_from_a_document_frees_it() {
        let mut c = Catalog::default();
        c.set("d1", v(&["/a", "/b"]));
        c.set("d1", v(&["/a"]));
        assert_eq!(c.document_at("/b"), None);
        c.set("d1", v(&["/a", "/b"]));
        let loss = c.remove_path("/a").expect("a loss");
        assert_eq!((loss.left, loss.first_lost), (v(&["/b"]), true));
        assert_eq!(c.remove_path("/a"), None);
        assert_eq!(c.remove("d1"), Some(v(&["/b"])));
        assert_eq!(c.document_at("/a"), None);
    }
}

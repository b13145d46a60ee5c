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

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Set every path of `doc_id`, taking each from the document that held it. Returns the documents
    /// that lost a path, with what they have left (empty: the document is gone).
    pub fn set(&mut self, doc_id: &str, paths: Vec<String>) -> Vec<(String, Vec<String>)> {
        let mut losers: Vec<(String, Vec<String>)> = Vec::new();
        for path in &paths {
            match self.by_path.insert(path.clone(), doc_id.to_string()) {
                Some(old) if old != doc_id => {
                    let left = self.paths.get_mut(&old).map(|p| {
                        p.retain(|q| q != path);
                        p.clone()
                    });
                    if let Some(left) = left {
                        if left.is_empty() {
                            self.paths.remove(&old);
                        }
                        losers.retain(|(d, _)| *d != old);
                        losers.push((old, left));
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
        losers
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
        assert_eq!(c.set("d2", v(&["/b"])), vec![("d1".to_string(), v(&["/a"]))]);
        assert_eq!(c.document_at("/b"), Some("d2"));
        assert_eq!(c.paths("d1"), Some(&v(&["/a"])[..]));
        // The last path gone: the document is gone.
        assert_eq!(c.set("d2", v(&["/b", "/a"])), vec![("d1".to_string(), Vec::new())]);
        assert_eq!(c.paths("d1"), None);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn dropping_a_path_from_a_document_frees_it() {
        let mut c = Catalog::default();
        c.set("d1", v(&["/a", "/b"]));
        c.set("d1", v(&["/a"]));
        assert_eq!(c.document_at("/b"), None);
        assert_eq!(c.remove("d1"), Some(v(&["/a"])));
        assert_eq!(c.document_at("/a"), None);
    }
}

//! The files that failed at their last ingest, kept in the index folder beside the tantivy files as
//! `arkiv-failures.json`, so that `arkiv list --failed` can show them and `arkiv ingest
//! --retry-failed` can try exactly those again.
//!
//! Only the writer saves this file, always whole, by writing a temporary file and renaming it over the
//! old one, so a reader never sees half of it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;

const FILE: &str = "arkiv-failures.json";

/// A file that could not be ingested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub path: String,
    /// The content's sha256, when the file could be read.
    pub sha256: Option<String>,
    pub reason: String,
    /// When it failed, RFC 3339 in UTC.
    pub at: String,
}

/// The failures recorded in `dir`, by path (none when there is no file).
pub fn load(dir: &Path) -> Result<BTreeMap<String, Failure>, Error> {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(Error::Index(format!("cannot read {}: {e}", path.display()))),
    };
    let list: Vec<Failure> = serde_json::from_str(&text)
        .map_err(|e| Error::Index(format!("{} is unreadable: {e}", path.display())))?;
    Ok(list.into_iter().map(|f| (f.path.clone(), f)).collect())
}

/// Replace the failures recorded in `dir` by `failures`.
pub fn save(dir: &Path, failures: &BTreeMap<String, Failure>) -> Result<(), Error> {
    let path = dir.join(FILE);
    let io = |e: std::io::Error| Error::Index(format!("cannot write {}: {e}", path.display()));
    if failures.is_empty() {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
            _ => Ok(()),
        };
    }
    let list: Vec<&Failure> = failures.values().collect();
    let json = serde_json::to_vec_pretty(&list).map_err(|e| Error::Index(e.to_string()))?;
    let temporary = dir.join(format!(".{FILE}.tmp"));
    std::fs::write(&temporary, json).map_err(io)?;
    std::fs::rename(&temporary, &path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_clears() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(load(dir.path()).expect("load").is_empty());
        let failure =
            Failure { path: "/a.pdf".into(), sha256: None, reason: "empty file".into(), at: "x".into() };
        let map = BTreeMap::from([(failure.path.clone(), failure.clone())]);
        save(dir.path(), &map).expect("save");
        assert_eq!(load(dir.path()).expect("load"), map);
        save(dir.path(), &BTreeMap::new()).expect("clear");
        assert!(!dir.path().join(FILE).exists());
    }
}

//! Saved web pages: the article only.
use super::{Document, SourceFormat};

pub(super) fn extract(_html: &str) -> Document {
    Document {
        format: SourceFormat::Html,
        pages: Vec::new(),
        pages_without_text: Vec::new(),
        warnings: Vec::new(),
    }
}

//! arkiv turns SKL/SKR circulars, result reports and web pages into structured records and a Swedish
//! full-text archive.
//!
//! The pipeline is the architecture, and data flows one way:
//!
//! ```text
//! extract (PDF, HTML, text → clean text with layout hints)
//!   → segment (metadata, sections, goals, activities)
//!   → records (ids, provenance)
//!   → index (tantivy, Swedish analysis) → search / follow (commitments across years) → export / serve
//! ```
//!
//! [`ingest`] runs the whole chain over a batch of files, [`serve`] puts search on a web page, and
//! [`bench`] measures the speed of extraction, ingest and search; the `arkiv` binary is a thin layer
//! over them.

pub mod batch;
pub mod bench;
pub mod error;
pub mod export;
pub mod extract;
pub mod follow;
pub mod index;
pub mod ingest;
pub mod load;
pub mod records;
pub mod segment;
pub mod serve;

pub use error::Error;

/// The version of what extraction and segmentation make of a file. Bump it whenever a change to
/// either gives other records for the same bytes: each document stores the version that read it, and
/// `arkiv reindex --reparse` reads again the documents made by another.
pub const PIPELINE_VERSION: u32 = 1;

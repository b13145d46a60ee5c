//! Stage 1: turn a source file into clean text, page by page.
//!
//! The output is a [`Document`]: pages of blocks of lines, each line carrying the font size and weight it
//! was set in (the segmenter needs them to find headings). Running headers, footers and page numbers are
//! already removed, words hyphenated at line ends are joined, ligatures are expanded and the text is NFC.
//!
//! This module never interprets the text (no metadata, sections or goals: that is `segment`), and never
//! fails a whole document for a problem on one page: such problems become [`Document::warnings`]. What
//! one file may cost is bounded (see `pdf::budget` and [`Options::timeout`]). It catches panics only in
//! the third-party PDF parser, never in its own code.

mod clean;
mod html;
mod layers;
pub mod layout;
pub mod ocr;
pub mod pdf;
mod plain;

use std::path::Path;

use crate::error::Error;

/// The kind of source a [`Document`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Pdf,
    Html,
    Text,
    Markdown,
}

impl SourceFormat {
    /// The format for a file name, from its extension; `None` for files arkiv does not read.
    pub fn from_path(path: &Path) -> Option<SourceFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(SourceFormat::Pdf),
            "html" | "htm" => Some(SourceFormat::Html),
            "txt" => Some(SourceFormat::Text),
            "md" | "markdown" => Some(SourceFormat::Markdown),
            _ => None,
        }
    }
}

/// What a block is, as far as the source says. PDFs say little (paragraphs and list items; headings are
/// found later from [`Line::size`] and [`Line::bold`]); HTML and Markdown say exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Paragraph,
    /// A heading from markup: `<h1>` is level 1.
    Heading(u8),
    ListItem,
    /// One table row, cells separated by a tab.
    TableRow,
}

/// One printed line (PDF) or one logical line (HTML, text).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Font size in points (PDF); for other sources a nominal size (headings larger).
    pub size: f32,
    pub bold: bool,
}

/// A paragraph, heading, list item or table row: lines that belong together.
///
/// Invariant: joining the lines' texts with a single space gives the block's text (line-end hyphens
/// that split a word are already resolved).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub role: Role,
    pub lines: Vec<Line>,
}

impl Block {
    /// The block's text on one line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            if !out.is_empty() && !line.text.is_empty() {
                out.push(if self.role == Role::TableRow { '\n' } else { ' ' });
            }
            out.push_str(&line.text);
        }
        out
    }

    /// The largest font size in the block.
    pub fn size(&self) -> f32 {
        self.lines.iter().map(|l| l.size).fold(0.0, f32::max)
    }

    /// True when every non-empty line is bold.
    pub fn bold(&self) -> bool {
        self.lines.iter().filter(|l| !l.text.trim().is_empty()).all(|l| l.bold)
    }
}

/// One page (PDF) or the whole text (other sources, one page).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    pub blocks: Vec<Block>,
}

/// A page whose text was read by OCR.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrPage {
    /// 1-based.
    pub number: u32,
    pub words: usize,
    /// The mean of the words' confidences, 0–100.
    pub mean_confidence: f32,
}

/// A document's clean text and what went wrong on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub format: SourceFormat,
    pub pages: Vec<Page>,
    /// Pages that have no text layer (1-based), read by OCR or not.
    pub pages_without_text: Vec<u32>,
    /// Pages read by OCR, in page order.
    pub ocr_pages: Vec<OcrPage>,
    /// The OCR engine and model that read them ("tesseract 5.3.0, swe").
    pub ocr_engine: Option<String>,
    /// Problems that did not stop extraction ("xref rebuilt", "page 3: font F2: 4 unmapped glyphs").
    pub warnings: Vec<String>,
}

impl Document {
    /// The plain text: each line on a line of its own, blocks separated by a blank line, pages by a form feed.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for (i, page) in self.pages.iter().enumerate() {
            if i > 0 {
                out.push('\u{c}');
            }
            for (j, block) in page.blocks.iter().enumerate() {
                if j > 0 {
                    out.push_str("\n\n");
                }
                let lines = block.lines.iter().filter(|l| !l.text.is_empty());
                for (k, line) in lines.enumerate() {
                    if k > 0 {
                        out.push('\n');
                    }
                    out.push_str(&line.text);
                }
            }
            out.push('\n');
        }
        out
    }

    /// A document of `pages` (each a list of blocks, numbered from 1), with no warnings.
    pub fn from_pages(format: SourceFormat, pages: Vec<Vec<Block>>) -> Document {
        Document {
            format,
            pages: pages.into_iter().zip(1..).map(|(blocks, number)| Page { number, blocks }).collect(),
            pages_without_text: Vec::new(),
            ocr_pages: Vec::new(),
            ocr_engine: None,
            warnings: Vec::new(),
        }
    }

    /// Pages without a text layer that OCR did not read: scans whose text is missing.
    pub fn pages_needing_ocr(&self) -> Vec<u32> {
        let read = |p: &u32| self.ocr_pages.iter().any(|o| o.number == *p);
        self.pages_without_text.iter().copied().filter(|p| !read(p)).collect()
    }

    /// Number of pages (1 for sources without pages).
    pub fn page_count(&self) -> u32 {
        self.pages.len() as u32
    }
}

/// Options that change how a file is read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The password of an encrypted PDF: the user or the owner password.
    pub password: Option<String>,
    /// Wall-clock limit for one file; reading stops with [`Error::Timeout`] once it is spent.
    pub timeout: Option<std::time::Duration>,
    /// Which pages are read by OCR.
    pub ocr: ocr::OcrMode,
}

/// Read `bytes` (the content of `path`) as `format`.
pub fn extract_bytes(bytes: &[u8], format: SourceFormat, options: &Options) -> Result<Document, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let doc = match format {
        // Panics in lopdf are caught inside `pdf` (and become `Damaged`); a panic in arkiv's own code is
        // a bug and is not caught here: the caller (ingest) reports it per file as an internal error.
        SourceFormat::Pdf => pdf::extract(bytes, options)?,
        SourceFormat::Html => html::extract(&decode_utf8(bytes)),
        SourceFormat::Text => plain::extract(&decode_utf8(bytes), false),
        SourceFormat::Markdown => plain::extract(&decode_utf8(bytes), true),
    };
    Ok(doc)
}

/// Read the file at `path`, choosing the reader from its extension.
pub fn extract_file(path: &Path, options: &Options) -> Result<Document, Error> {
    let format = SourceFormat::from_path(path).ok_or(Error::UnsupportedFormat)?;
    let bytes = std::fs::read(path)?;
    extract_bytes(&bytes, format, options)
}

/// Text files are UTF-8; anything else is read as Windows-1252, which every byte decodes in, so no
/// input is refused for its encoding.
fn decode_utf8(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| pdf::encoding::WIN_ANSI[b as usize].unwrap_or('\u{fffd}')).collect(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use lopdf::{dictionary, Document as PdfDocument, Object, Stream};

    /// A one-page PDF whose only text is `actual` (as the /ActualText of a marked span, which the
    /// interpreter turns into one glyph carrying it).
    pub(crate) fn pdf_with_actual_text(actual: &str) -> Vec<u8> {
        let mut doc = PdfDocument::with_version("1.5");
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        });
        let content = format!("BT /F1 12 Tf 72 700 Td /Span <</ActualText ({actual})>> BDC (x) Tj EMC ET");
        let contents = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => contents,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    #[test]
    fn plain_text_prints_the_printed_lines_and_blocks_apart() {
        let line = |text: &str| Line { text: text.into(), size: 10.0, bold: false };
        let paragraph = Block {
            role: Role::Paragraph,
            lines: vec![line("Det första"), line(""), line("och det andra.")],
        };
        let heading = Block { role: Role::Heading(1), lines: vec![line("Mål")] };
        let doc = Document::from_pages(SourceFormat::Pdf, vec![vec![heading, paragraph], vec![]]);
        assert_eq!(doc.plain_text(), "Mål\n\nDet första\noch det andra.\n\u{c}\n");
        // Records read a paragraph as one text.
        assert_eq!(doc.pages[0].blocks[1].text(), "Det första och det andra.");
    }

    #[test]
    fn the_trigger_pdf_reads_normally_without_the_trigger() {
        let doc = extract_bytes(&pdf_with_actual_text("vanlig text"), SourceFormat::Pdf, &Options::default())
            .expect("text");
        assert_eq!(doc.plain_text().trim(), "vanlig text");
    }

    #[test]
    fn a_panic_in_our_layout_code_is_not_reported_as_a_damaged_file() {
        let pdf = pdf_with_actual_text(layout::PANIC_TRIGGER);
        let caught = std::panic::catch_unwind(|| extract_bytes(&pdf, SourceFormat::Pdf, &Options::default()));
        match caught {
            Err(panic) => {
                let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
                assert_eq!(message, "injected panic in layout_page");
            }
            Ok(result) => {
                panic!("the panic was caught inside extract_bytes: {:?}", result.map(|d| d.plain_text()))
            }
        }
    }
}

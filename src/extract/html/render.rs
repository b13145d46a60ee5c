//! Render the kept elements of an article as blocks: headings, paragraphs, list items and table rows,
//! one logical line per `<br>`.
//!
//! Rendering follows what a browser shows: a block element starts a new block, inline elements run
//! together ("<b>jäm</b>ställd" is one word), whitespace collapses, `<br>` breaks the line and two
//! `<br>` in a row break the paragraph. Every line goes through [`clean::normalize`].
//!
//! This module asks `chrome` what to skip and never decides that itself; it never reorders content.

use scraper::{ElementRef, Node};

use super::chrome;
use crate::extract::{clean, Block, Line, Role};

/// Nominal sizes, so that the segmenter can compare headings with body text as it does in a PDF.
const BODY_SIZE: f32 = 11.0;
const HEADING_SIZES: [f32; 6] = [24.0, 18.0, 14.0, 13.0, 12.0, 11.5];

/// Markup nested deeper than this is read as plain text, so that hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 256;

/// Elements that start and end a block (lists, list items, headings, tables and `<pre>` are handled on
/// their own).
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "main",
    "p",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
];

/// The blocks of everything inside `root` that is not chrome.
pub(super) fn render(root: ElementRef<'_>) -> Vec<Block> {
    let mut renderer = Renderer::default();
    renderer.children(root, 0);
    renderer.end_block();
    renderer.blocks
}

/// The blocks of `el` itself (a heading stays a heading), or none when it is chrome.
pub(super) fn render_element(el: ElementRef<'_>) -> Vec<Block> {
    let mut renderer = Renderer::default();
    renderer.element(el, 0);
    renderer.end_block();
    renderer.blocks
}

#[derive(Default)]
struct Renderer {
    blocks: Vec<Block>,
    /// Finished lines of the open block, each with whether all its text was bold.
    lines: Vec<(String, bool)>,
    /// The line being filled, raw: it is normalised and its whitespace collapsed when it ends.
    line: String,
    line_has_text: bool,
    line_bold: bool,
    /// How many `<b>`, `<strong>` or `<th>` enclose the current text.
    bold: usize,
    /// How many `<pre>` enclose the current text: there a newline breaks the line.
    pre: usize,
    /// Headings and list items around the current text, innermost last; the block takes its role.
    roles: Vec<Role>,
    /// The marker ("• ", "3. ") still to be put before the first text of the current list item.
    marker: Option<String>,
    /// One entry per open list: the next number of an `<ol>`, `None` for bullets.
    lists: Vec<Option<i64>>,
}

impl Renderer {
    fn children(&mut self, el: ElementRef<'_>, depth: usize) {
        for child in el.children() {
            match child.value() {
                Node::Text(text) => self.text(text),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.element(child, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef<'_>, depth: usize) {
        if chrome::is_chrome(el) {
            return;
        }
        if depth > MAX_DEPTH {
            for text in el.text() {
                self.text(text);
            }
            return;
        }
        if let Some(level) = heading_level(el) {
            self.end_block();
            self.roles.push(Role::Heading(level));
            self.children(el, depth);
            self.end_block();
            self.roles.pop();
            return;
        }
        match el.value().name() {
            "br" => self.line_break(),
            "b" | "strong" => {
                self.bold += 1;
                self.children(el, depth);
                self.bold -= 1;
            }
            "ul" | "ol" | "menu" | "dir" => self.list(el, depth),
            "li" => self.list_item(el, depth),
            "table" if !is_layout_table(el) => self.table(el, depth),
            "pre" | "listing" | "xmp" | "plaintext" => {
                self.end_block();
                self.pre += 1;
                self.children(el, depth);
                self.end_block();
                self.pre -= 1;
            }
            name if BLOCK_ELEMENTS.contains(&name) => {
                self.end_block();
                self.children(el, depth);
                self.end_block();
            }
            _ => self.children(el, depth),
        }
    }

    fn list(&mut self, list: ElementRef<'_>, depth: usize) {
        self.end_block();
        let start = (list.value().name() == "ol").then(|| number_attr(list, "start").unwrap_or(1));
        self.lists.push(start);
        self.children(list, depth);
        self.lists.pop();
        self.end_block();
    }

    fn list_item(&mut self, item: ElementRef<'_>, depth: usize) {
        self.end_block();
        let marker = match self.lists.last_mut() {
            Some(Some(next)) => {
                let n = number_attr(item, "value").unwrap_or(*next);
                *next = n.saturating_add(1);
                format!("{n}. ")
            }
            _ => "• ".to_string(),
        };
        self.marker = Some(marker);
        self.roles.push(Role::ListItem);
        self.children(item, depth);
        self.end_block();
        self.roles.pop();
        self.marker = None;
    }

    /// A data table: one block per row, cells joined by a tab, the caption as a paragraph.
    fn table(&mut self, table: ElementRef<'_>, depth: usize) {
        self.end_block();
        // A data table has no nested table (see `is_layout_table`), so every row below is its own.
        for el in table.descendent_elements() {
            match el.value().name() {
                "caption" => self.element(el, depth + 1),
                "tr" if !chrome::is_chrome(el) => self.row(el, depth + 1),
                _ => {}
            }
        }
    }

    fn row(&mut self, row: ElementRef<'_>, depth: usize) {
        let mut cells = Vec::new();
        let mut bold = true;
        for cell in row.child_elements() {
            let name = cell.value().name();
            if !matches!(name, "td" | "th") || chrome::is_chrome(cell) {
                continue;
            }
            // A cell is rendered on its own and flattened: paragraphs and breaks inside it become spaces.
            let mut inner = Renderer { bold: usize::from(name == "th"), ..Renderer::default() };
            inner.children(cell, depth);
            inner.end_block();
            let lines: Vec<&Line> = inner.blocks.iter().flat_map(|b| &b.lines).collect();
            bold &= lines.iter().all(|l| l.bold);
            cells.push(lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "));
        }
        if cells.iter().all(|c| c.is_empty()) {
            return;
        }
        let line = Line { text: cells.join("\t"), size: BODY_SIZE, bold };
        self.blocks.push(Block { role: Role::TableRow, lines: vec![line] });
    }

    fn text(&mut self, text: &str) {
        if self.pre == 0 {
            return self.inline_text(text);
        }
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                self.line_break();
            }
            self.inline_text(part);
        }
    }

    fn inline_text(&mut self, text: &str) {
        if text.trim().is_empty() {
            // Whitespace between inline elements still separates words; at a line start it is nothing.
            if self.line_has_text {
                self.line.push(' ');
            }
            return;
        }
        if !self.line_has_text {
            if self.lines.is_empty() {
                // A list item that opens with a heading keeps the heading clean; the marker is spent.
                if let Some(marker) = self.marker.take().filter(|_| self.role() == Role::ListItem) {
                    self.line.push_str(&marker);
                }
            }
            self.line_has_text = true;
            self.line_bold = true;
        }
        self.line_bold &= self.bold > 0;
        self.line.push_str(text);
    }

    fn line_break(&mut self) {
        if self.line_has_text {
            self.end_line();
        } else if !self.lines.is_empty() {
            // A break on an empty line is a blank line: old pages separate paragraphs with <br><br>.
            self.end_block();
        }
        self.line.clear();
    }

    fn end_line(&mut self) {
        let raw = std::mem::take(&mut self.line);
        if !std::mem::take(&mut self.line_has_text) {
            return;
        }
        let text = collapse_whitespace(&clean::normalize(&raw));
        if !text.is_empty() {
            self.lines.push((text, self.line_bold));
        }
    }

    fn end_block(&mut self) {
        self.end_line();
        if self.lines.is_empty() {
            return;
        }
        let role = self.role();
        let (size, heading) = match role {
            Role::Heading(level) => {
                let size = HEADING_SIZES.get(usize::from(level).saturating_sub(1)).copied();
                (size.unwrap_or(BODY_SIZE), true)
            }
            _ => (BODY_SIZE, false),
        };
        let lines = self.lines.drain(..).map(|(text, bold)| Line { text, size, bold: bold || heading });
        self.blocks.push(Block { role, lines: lines.collect() });
    }

    fn role(&self) -> Role {
        self.roles.last().copied().unwrap_or(Role::Paragraph)
    }
}

/// The level of `<h1>`…`<h6>`, or of an element with `role="heading"` (`aria-level`, 2 by default as
/// in ARIA).
fn heading_level(el: ElementRef<'_>) -> Option<u8> {
    let name = el.value().name();
    if let Some(digit) = name.strip_prefix('h').filter(|d| d.len() == 1) {
        return digit.parse().ok().filter(|level| (1..=6).contains(level));
    }
    if !chrome::has_role(el, &["heading"]) {
        return None;
    }
    let level = el.value().attr("aria-level").and_then(|l| l.trim().parse::<u8>().ok());
    Some(level.unwrap_or(2).clamp(1, 6))
}

/// True when a `<table>` lays out the page rather than holding data: it says so with
/// `role="presentation"`, it holds a table or a heading, or no row has two cells.
fn is_layout_table(table: ElementRef<'_>) -> bool {
    if chrome::has_role(table, &["presentation", "none"]) {
        return true;
    }
    let mut widest_row = 0;
    for el in table.descendent_elements().skip(1) {
        match el.value().name() {
            "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "main" | "article" => return true,
            "tr" => {
                let cells = el.child_elements().filter(|c| matches!(c.value().name(), "td" | "th")).count();
                widest_row = widest_row.max(cells);
            }
            _ => {}
        }
    }
    widest_row < 2
}

fn number_attr(el: ElementRef<'_>, attr: &str) -> Option<i64> {
    el.value().attr(attr)?.trim().parse().ok()
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

//! Plain text and Markdown: paragraphs are separated by blank lines; in Markdown, `#` headings, list
//! items and table rows keep their role and the inline markup is removed.

use super::{Block, Document, Line, Role, SourceFormat};

/// Nominal sizes, so that the segmenter can compare headings with body text as it does in a PDF.
const BODY_SIZE: f32 = 11.0;

pub(super) fn extract(text: &str, markdown: bool) -> Document {
    let text = super::clean::normalize(&text.replace("\r\n", "\n"));
    let mut blocks: Vec<Block> = Vec::new();
    let mut paragraph: Vec<Line> = Vec::new();
    let flush = |paragraph: &mut Vec<Line>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block { role: Role::Paragraph, lines: std::mem::take(paragraph) });
        }
    };
    for raw in text.lines() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        if let Some((role, content)) = classify(line, markdown) {
            flush(&mut paragraph, &mut blocks);
            let content = if markdown { strip_inline_markup(content) } else { content.to_string() };
            if content.trim().is_empty() {
                continue;
            }
            let size = match role {
                Role::Heading(level) => BODY_SIZE + 2.0 * (7 - level.min(6)) as f32,
                _ => BODY_SIZE,
            };
            let bold = matches!(role, Role::Heading(_));
            blocks.push(Block { role, lines: vec![Line { text: content, size, bold }] });
            continue;
        }
        let content = if markdown { strip_inline_markup(line.trim()) } else { line.trim().to_string() };
        paragraph.push(Line { text: content, size: BODY_SIZE, bold: false });
    }
    flush(&mut paragraph, &mut blocks);
    Document::from_pages(if markdown { SourceFormat::Markdown } else { SourceFormat::Text }, vec![blocks])
}

/// A line that is a block of its own: a list item, a table row, or (Markdown) a heading.
fn classify(line: &str, markdown: bool) -> Option<(Role, &str)> {
    let trimmed = line.trim_start();
    if trimmed.starts_with("• ") {
        return Some((Role::ListItem, trimmed));
    }
    if line.contains('\t') {
        return Some((Role::TableRow, line));
    }
    if !markdown {
        return None;
    }
    if let Some(rest) = trimmed.strip_prefix('#') {
        let hashes = 1 + rest.chars().take_while(|&c| c == '#').count();
        let content = trimmed[hashes..].trim();
        if trimmed[hashes..].starts_with(' ') && hashes <= 6 {
            return Some((Role::Heading(hashes as u8), content));
        }
    }
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = trimmed.strip_prefix(marker) {
            return Some((Role::ListItem, rest));
        }
    }
    if trimmed.starts_with('|') {
        return Some((Role::TableRow, trimmed));
    }
    if trimmed.chars().all(|c| matches!(c, '-' | '*' | '_' | ' ')) {
        return Some((Role::Paragraph, ""));
    }
    None
}

/// Remove emphasis, inline HTML and link targets; turn a Markdown table row into tab-separated cells.
fn strip_inline_markup(s: &str) -> String {
    let mut s = s.to_string();
    if s.starts_with('|') {
        let cells: Vec<&str> = s.trim_matches('|').split('|').map(str::trim).collect();
        if cells.iter().all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))) {
            return String::new();
        }
        s = cells.join("\t");
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' if chars.peek().is_some_and(|&n| n == c) => {
                chars.next();
            }
            '*' => {}
            '<' => {
                // Inline HTML such as <sup>1</sup>: keep the text, drop the tag.
                for n in chars.by_ref() {
                    if n == '>' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_roles_and_drops_markup() {
        let doc = extract("# Titel\n\nEn **fet** rad\nsom fortsätter.\n\n- punkt ett\n- punkt två\n", true);
        let blocks = &doc.pages[0].blocks;
        assert_eq!(blocks[0].role, Role::Heading(1));
        assert_eq!(blocks[0].text(), "Titel");
        assert_eq!(blocks[1].text(), "En fet rad som fortsätter.");
        assert_eq!(blocks[2].role, Role::ListItem);
        assert_eq!(blocks[3].text(), "punkt två");
    }

    #[test]
    fn text_paragraphs_split_on_blank_lines() {
        let doc = extract("Ett stycke\npå två rader.\n\n• en punkt\n", false);
        let blocks = &doc.pages[0].blocks;
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].text(), "Ett stycke på två rader.");
        assert_eq!(blocks[1].role, Role::ListItem);
    }
}

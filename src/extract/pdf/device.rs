//! The one interface between the content-stream interpreter and what is done with a page's text: the
//! interpreter pushes what it finds into a [`Device`] (as hayro's `Device` or ripgrep's `Sink`), and
//! [`PageGlyphs`] is the device that collects a page's glyphs for the layout stage.
//!
//! Invariants the interpreter keeps, which every device may rely on:
//! - glyphs arrive in the order the content shows them: the page's content first, then the appearance
//!   streams of its annotations (forms, FreeText) in the order of `/Annots`, then the values of
//!   fields that have no appearance;
//! - every glyph is placed in page output space: origin at the crop box's lower left corner, the page
//!   turned upright by `/Rotate`, y growing upwards, units in points;
//! - [`Device::begin_actual_text`] is never called while a span is open, and
//!   [`Device::end_actual_text`] only while one is; a span still open when a content stream ends is
//!   closed by the interpreter before the next stream begins;
//! - after a method returns `Err`, the interpreter calls nothing else on the device for that page and
//!   returns the same [`Stop`].
//!
//! A device never reads PDF objects and never decides about words or lines (that is the layout's job);
//! budgets that count shown glyphs live here, so that every source of text (content, forms,
//! annotations) spends the same page budget.

use super::budget::{Stop, MAX_PAGE_GLYPHS};
use super::images::PlacedImage;
use crate::extract::layout::Glyph;

/// Receives what the interpreter finds on a page.
pub(crate) trait Device {
    /// A shown glyph with its text. `Err` stops the page.
    fn glyph(&mut self, glyph: Glyph) -> Result<(), Stop>;

    /// A shown code that is not part of the page's text (inside `/Artifact` marked content): counted
    /// against the budget like any glyph, never kept.
    fn hidden_glyph(&mut self) -> Result<(), Stop> {
        Ok(())
    }

    /// An image was painted: an Image XObject (`Some`, with where it lies) or an inline image.
    fn image(&mut self, _placed: Option<PlacedImage>) {}

    /// Marked content with `/ActualText` begins: the glyphs shown until [`Device::end_actual_text`]
    /// stand for `text`.
    fn begin_actual_text(&mut self, _text: String) {}

    /// The `/ActualText` span opened last ends.
    fn end_actual_text(&mut self) {}
}

/// Images of a page kept for OCR; a page of more is a mosaic no scanner makes.
const MAX_PAGE_IMAGES: usize = 64;

/// The page's glyphs, for the layout stage, within [`MAX_PAGE_GLYPHS`].
#[derive(Debug, Default)]
pub(crate) struct PageGlyphs {
    pub glyphs: Vec<Glyph>,
    /// Images painted (to tell a scanned page from an empty one).
    pub images: usize,
    /// The first [`MAX_PAGE_IMAGES`] image XObjects painted, for OCR.
    pub placed: Vec<PlacedImage>,
    /// Codes shown, kept or hidden: the work done, against the page's glyph budget.
    shown: usize,
    /// The open `/ActualText` span: its text and the index of its first glyph.
    actual: Option<(String, usize)>,
}

impl PageGlyphs {
    fn count(&mut self) -> Result<(), Stop> {
        self.shown += 1;
        if self.shown > MAX_PAGE_GLYPHS {
            return Err(Stop::Glyphs);
        }
        Ok(())
    }
}

impl Device for PageGlyphs {
    fn glyph(&mut self, glyph: Glyph) -> Result<(), Stop> {
        self.count()?;
        self.glyphs.push(glyph);
        Ok(())
    }

    fn hidden_glyph(&mut self) -> Result<(), Stop> {
        self.count()
    }

    fn image(&mut self, placed: Option<PlacedImage>) {
        self.images += 1;
        if let Some(placed) = placed.filter(|_| self.placed.len() < MAX_PAGE_IMAGES) {
            self.placed.push(placed);
        }
    }

    fn begin_actual_text(&mut self, text: String) {
        self.actual = Some((text, self.glyphs.len()));
    }

    fn end_actual_text(&mut self) {
        if let Some((text, first)) = self.actual.take() {
            replace_with_actual_text(&mut self.glyphs, first, &text);
        }
    }
}

/// Replace the glyphs drawn since `first` by one glyph carrying the span's /ActualText (what the producer
/// says the glyphs stand for: a ligature's letters, a hyphen that is not one), spanning their extent.
fn replace_with_actual_text(glyphs: &mut Vec<Glyph>, first: usize, text: &str) {
    let Some(start) = glyphs.get(first).cloned() else { return };
    let end = glyphs.iter().skip(first).map(|g| g.x + g.width).fold(start.x, f32::max);
    glyphs.truncate(first);
    let text = text.trim();
    if !text.is_empty() {
        glyphs.push(Glyph { text: text.into(), width: end - start.x, ..start });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f32) -> Glyph {
        Glyph {
            text: text.into(),
            x,
            y: 700.0,
            width: 6.0,
            size: 12.0,
            bold: false,
            rotation: 0,
            skew: 0.0,
            order: 0,
        }
    }

    #[test]
    fn actual_text_replaces_the_span_with_one_glyph_over_its_extent() {
        let mut page = PageGlyphs::default();
        page.glyph(glyph("a", 0.0)).unwrap();
        page.begin_actual_text("fi".into());
        page.glyph(glyph("\u{fffd}", 6.0)).unwrap();
        page.glyph(glyph("\u{fffd}", 12.0)).unwrap();
        page.end_actual_text();
        let texts: Vec<_> = page.glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(texts, ["a", "fi"]);
        assert_eq!(page.glyphs[1].width, 12.0);
    }

    #[test]
    fn hidden_glyphs_spend_the_budget_but_are_not_kept() {
        let mut page = PageGlyphs::default();
        for _ in 0..MAX_PAGE_GLYPHS {
            page.hidden_glyph().unwrap();
        }
        assert!(page.glyphs.is_empty());
        assert_eq!(page.glyph(glyph("a", 0.0)), Err(Stop::Glyphs));
    }
}

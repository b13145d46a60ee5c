//! Tesseract's TSV output → recognised words → glyphs placed on the page.
//!
//! Tesseract gives each word an upright box in image pixels and says which line it belongs to; the
//! layout stage wants a glyph per word on a baseline, with a font size. The baseline of a line is
//! fitted here: its slope is the page's (a scan is skewed as a whole, so the median over lines with
//! several words is robust), its height the words' bottoms less their descenders. Sizes come from box
//! heights, corrected for which of ascenders and descenders a word's letters have.
//!
//! Nothing here runs the engine or reads PDF objects.

use compact_str::CompactString;

use super::GrayImage;
use crate::extract::layout::{Affine, Glyph};

/// One recognised word, in the pixels of the image Tesseract was given (y down).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// (block, paragraph, line): words with the same key are on one line.
    pub line: (u32, u32, u32),
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    /// 0–100.
    pub confidence: f32,
    pub text: String,
}

/// The words of Tesseract's TSV (level 5 rows with text), skipping rows it cannot have written.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut words = Vec::new();
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let int = |i: usize| cols[i].trim().parse::<u32>().ok();
        let num = |i: usize| cols[i].trim().parse::<f32>().ok().filter(|v| v.is_finite());
        let text = without_rules(cols[11].trim());
        let (Some(block), Some(par), Some(line)) = (int(2), int(3), int(4)) else { continue };
        let (Some(left), Some(top), Some(width), Some(height), Some(confidence)) =
            (num(6), num(7), num(8), num(9), num(10))
        else {
            continue;
        };
        if text.is_empty() || width <= 0.0 || height <= 0.0 || confidence < 0.0 {
            continue;
        }
        words.push(Word {
            line: (block, par, line),
            left,
            top,
            width,
            height,
            confidence,
            text: text.into(),
        });
    }
    words
}

/// Specks, smudges and table rules read as text: a word the engine barely believes, a lone mark of
/// low confidence with no letter or digit, or a few capitals of low confidence (Tesseract reads speckle
/// and the ends of rules as "SE", "NA", "ER"; a real acronym on a scan is read with confidence).
fn is_noise(word: &Word) -> bool {
    let letters = word.text.chars().count();
    word.confidence < JUNK_CONFIDENCE
        || (word.confidence < NOISE_CONFIDENCE && !word.text.chars().any(char::is_alphanumeric))
        || (word.confidence < CAPITALS_CONFIDENCE
            && letters <= 3
            && word.text.chars().all(char::is_uppercase))
}

/// Below this, a word of marks only is taken for noise on the scan.
const NOISE_CONFIDENCE: f32 = 40.0;
/// Below this, any word is: on a scan's rules and noise Tesseract reads letters ("SE", "FREE") at
/// confidences under 20, and the words it does read right there are few.
const JUNK_CONFIDENCE: f32 = 20.0;
/// Below this, one to three capitals alone are noise.
const CAPITALS_CONFIDENCE: f32 = 50.0;

/// The characters Tesseract reads a table's ruled lines as; a word of nothing else is a rule, and
/// bars at a word's ends are the rule beside it ("|Vård").
const RULE_MARKS: &[char] = &['|', '¦', '='];

/// A word's text without the rules read into it; empty when it is all rule.
fn without_rules(text: &str) -> &str {
    if text.chars().all(|c| RULE_MARKS.contains(&c) || c == '_') {
        return "";
    }
    text.trim_matches(|c| c == '|' || c == '¦')
}

/// Which parts of the line's height a word's letters reach: the box height is this share of the em.
fn height_share(text: &str) -> f32 {
    let ascends = text
        .chars()
        .any(|c| c.is_uppercase() || c.is_ascii_digit() || "bdfhklt|()[]{}/\\!?&%§åäöÅÄÖéüij".contains(c));
    let descends = text.chars().any(|c| "gjpqy,;()[]{}|".contains(c));
    match (ascends, descends) {
        (true, true) => 0.94,
        (true, false) => 0.72,
        (false, true) => 0.72,
        (false, false) => 0.50,
    }
}

/// The bottom of a word's box lies this share of its height below the baseline when it descends.
fn descent_share(text: &str) -> f32 {
    if text.chars().any(|c| "gjpqy".contains(c)) {
        0.22 / height_share(text)
    } else {
        0.0
    }
}

/// A line whose strokes are this many times as thick as the page's typical line's is bold (bold
/// type's stems are half again as thick or more; a line of regular type measures within a tenth).
const BOLD_STROKE: f32 = 1.3;

/// How thick a line's strokes are, in em: the median length of the horizontal runs of dark pixels
/// inside its words' boxes, over the median em of its words. A stem is crossed by many rows, so the
/// median run is the stem's width, whatever the letters and their boxes' extent.
fn stroke(line: &[&Word], image: &GrayImage) -> f32 {
    let mut runs: Vec<u32> = Vec::new();
    for word in line {
        let x0 = (word.left.max(0.0) as usize).min(image.width);
        let x1 = ((word.left + word.width).max(0.0) as usize).min(image.width);
        let y0 = (word.top.max(0.0) as usize).min(image.height);
        let y1 = ((word.top + word.height).max(0.0) as usize).min(image.height);
        for y in y0..y1 {
            let mut run = 0u32;
            for &p in &image.pixels[y * image.width + x0..y * image.width + x1] {
                if p < 128 {
                    run += 1;
                } else if run > 0 {
                    runs.push(run);
                    run = 0;
                }
            }
            if run > 0 {
                runs.push(run);
            }
        }
    }
    let mut ems: Vec<f32> = line.iter().map(|w| w.height / height_share(&w.text)).collect();
    ems.sort_by(f32::total_cmp);
    let em = ems.get(ems.len() / 2).copied().unwrap_or(0.0);
    if runs.is_empty() || em <= 0.0 {
        return 0.0;
    }
    runs.sort_unstable();
    runs[runs.len() / 2] as f32 / em
}

/// A short line whose measured size is within this share of the line above it, and whose baseline is
/// within [`WRAPPED_LEADING`] of that line's em below it, takes that line's size.
const WRAPPED_SIZE_SPREAD: f32 = 0.2;
const WRAPPED_LEADING: f32 = 1.6;

/// Whether most words of four letters or more stand taller than wide: text running up or down the
/// image (a page fed sideways), which Tesseract reads but boxes across its lines.
pub fn sideways(words: &[Word]) -> bool {
    let long: Vec<&Word> = words.iter().filter(|w| w.text.chars().count() >= 4).collect();
    let upright = long.iter().filter(|w| w.height > 1.5 * w.width).count();
    long.len() >= 5 && upright * 2 > long.len()
}

/// A bullet for the line opened by `first`, when a bullet read elsewhere on the page (`marks`: each
/// with where its item's text starts) stands at the left of text starting where `first` does, and
/// the image there holds about as much ink as that bullet.
fn dropped_bullet(first: &Word, marks: &[(&Word, f32)], image: &GrayImage) -> Option<Word> {
    let (mark, _) = marks.iter().find(|(mark, text_left)| {
        (first.left - text_left).abs() < 0.5 * first.height && mark.left + mark.width < first.left
    })?;
    let x0 = (mark.left.max(0.0) as usize).min(image.width);
    let x1 = ((mark.left + mark.width).max(0.0) as usize).min(image.width);
    let y0 = (first.top.max(0.0) as usize).min(image.height);
    let y1 = ((first.top + first.height).max(0.0) as usize).min(image.height);
    let dark: usize = (y0..y1)
        .map(|y| {
            image.pixels[y * image.width + x0..y * image.width + x1].iter().filter(|&&p| p < 128).count()
        })
        .sum();
    let bullet_area = mark.width * mark.height;
    (dark as f32 >= DROPPED_BULLET_INK * bullet_area).then(|| Word {
        line: first.line,
        left: mark.left,
        top: first.top + (first.height - mark.height) / 2.0,
        width: mark.width,
        height: mark.height,
        // Not the engine's reading: it adds nothing to the page's confidence.
        confidence: 0.0,
        text: "•".into(),
    })
}

/// The share of a read bullet's box that must be dark where a dropped one is looked for.
const DROPPED_BULLET_INK: f32 = 0.3;

/// What Tesseract reads a list bullet as: a dot, a ring, a star or a guillemet.
const BULLET_LOOKALIKES: &[&str] = &[".", "·", "°", "*", "«", "»", "e", "o", "¢", "©", "®", "-"];

/// A line opened by a small, squat mark that Tesseract read as one of [`BULLET_LOOKALIKES`], set
/// apart from the next word: a list bullet ("•"), which the segmenter needs to see list items.
fn starts_with_bullet(line: &[&Word]) -> bool {
    let (Some(first), Some(next)) = (line.first(), line.get(1)) else { return false };
    let mut heights: Vec<f32> = line[1..].iter().map(|w| w.height).collect();
    heights.sort_by(f32::total_cmp);
    let typical = heights[heights.len() / 2];
    let squat = first.width <= 2.0 * first.height && first.height <= first.width * 2.0;
    BULLET_LOOKALIKES.contains(&first.text.as_str())
        && squat
        && first.height <= 0.6 * typical
        && next.left - (first.left + first.width) >= first.width
}

/// The slope (dy/dx in pixels) of the page's lines: the median over lines with three words or more
/// of the slope through their first and last baseline points; 0 when no line has enough.
fn page_slope(lines: &[Vec<&Word>]) -> f32 {
    let mut slopes: Vec<f32> = lines
        .iter()
        .filter(|l| l.len() >= 3)
        .filter_map(|l| {
            let base = |w: &Word| w.top + w.height * (1.0 - descent_share(&w.text));
            let (first, last) = (l.first()?, l.last()?);
            let dx = (last.left + last.width / 2.0) - (first.left + first.width / 2.0);
            (dx > 0.0).then(|| (base(last) - base(first)) / dx)
        })
        .filter(|s| s.abs() < 0.2)
        .collect();
    if slopes.is_empty() {
        return 0.0;
    }
    slopes.sort_by(f32::total_cmp);
    slopes[slopes.len() / 2]
}

/// The recognised words as glyphs on the page: `to_page` maps the image's pixels (y down) to page
/// output space (points, y up). Returns the glyphs (one per letter), the words kept and the sum of
/// their confidences.
pub fn glyphs(words: &[Word], image: &GrayImage, to_page: &Affine) -> (Vec<Glyph>, usize, f64) {
    let kept: Vec<&Word> = words.iter().filter(|w| !is_noise(w)).collect();
    // Lines in the order Tesseract gives them; the layout stage decides the reading order.
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    for word in kept.iter().copied() {
        match lines.last_mut() {
            Some(line) if line[0].line == word.line => line.push(word),
            _ => lines.push(vec![word]),
        }
    }
    let slope = page_slope(&lines);
    let read_bullets: Vec<bool> = lines.iter().map(|line| starts_with_bullet(line)).collect();
    // Bullets Tesseract dropped: a line starting where the bulleted items' text starts, with a blot
    // of ink where their bullets stand, is an item too (its continuation lines have paper there).
    let marks: Vec<(&Word, f32)> = lines
        .iter()
        .zip(&read_bullets)
        .filter(|(_, &b)| b)
        .filter_map(|(line, _)| Some((line[0], line.get(1)?.left)))
        .collect();
    let dropped: Vec<Word> = lines
        .iter()
        .zip(&read_bullets)
        .filter(|(_, &b)| !b)
        .filter_map(|(line, _)| dropped_bullet(line[0], &marks, image))
        .collect();
    let mut bullets = read_bullets;
    for mark in &dropped {
        if let Some(k) = lines.iter().position(|l| l[0].line == mark.line) {
            lines[k].insert(0, mark);
            bullets[k] = true;
        }
    }
    // Points per pixel, from the map's scale along x.
    let (ox, oy) = to_page.apply(0.0, 0.0);
    let (px, py) = to_page.apply(1.0, 0.0);
    let scale = (px - ox).hypot(py - oy);
    let mut out = Vec::with_capacity(kept.len());
    let mut confidence = 0.0f64;
    // Bold type has stems half again as thick: a line whose strokes are far thicker than the page's
    // typical line's is set in bold, as the segmenter needs to see headings.
    let strokes: Vec<f32> = lines.iter().map(|line| stroke(line, image)).collect();
    let typical = {
        let mut all: Vec<f32> = strokes.iter().copied().filter(|s| *s > 0.0).collect();
        all.sort_by(f32::total_cmp);
        all.get(all.len() / 2).copied().unwrap_or(0.0)
    };
    // The previous line's size (pixels), bold and baseline, for the wrapped line that continues it.
    let mut previous: Option<(f32, bool, f32)> = None;
    for ((line, bullet), line_stroke) in lines.iter().zip(bullets).zip(strokes) {
        let bold = typical > 0.0 && line_stroke > BOLD_STROKE * typical;
        // The line's baseline: y = intercept + slope·x, from the median of its words' baseline points.
        let mut intercepts: Vec<f32> = line
            .iter()
            .map(|w| w.top + w.height * (1.0 - descent_share(&w.text)) - slope * (w.left + w.width / 2.0))
            .collect();
        intercepts.sort_by(f32::total_cmp);
        let intercept = intercepts[intercepts.len() / 2];
        let mut sizes: Vec<f32> = line.iter().map(|w| w.height / height_share(&w.text)).collect();
        sizes.sort_by(f32::total_cmp);
        let mut em = sizes[sizes.len() / 2];
        let baseline = intercept + slope * line[0].left;
        // A line of one or two words measures its size from too few boxes to trust; when it sits right
        // under a line of about its size and weight, it is that line wrapped (a heading's last word).
        if let Some((above, above_bold, above_base)) = previous {
            let continues = line.len() < 3
                && above_bold == bold
                && (em / above - 1.0).abs() < WRAPPED_SIZE_SPREAD
                && baseline > above_base
                && baseline - above_base < WRAPPED_LEADING * above;
            if continues {
                em = above;
            }
        }
        previous = Some((em, bold, baseline));
        // Half-point steps, so that the lines of one paragraph share a size as set lines do.
        let size = (em * scale * 2.0).round() / 2.0;
        for (k, w) in line.iter().enumerate() {
            let text = if bullet && k == 0 { "•" } else { w.text.as_str() };
            let (x0, x1) = (w.left, w.left + w.width);
            let start = to_page.apply(x0, intercept + slope * x0);
            let end = to_page.apply(x1, intercept + slope * x1);
            let angle = (end.1 - start.1).atan2(end.0 - start.0);
            let quarters = (angle / std::f32::consts::FRAC_PI_2).round();
            // A glyph per letter, spread evenly over the word's box: the layout stage parts words by
            // the gaps between glyphs, as it does for a PDF's letters.
            let letters = text.chars().count().max(1) as f32;
            let step = ((end.0 - start.0) / letters, (end.1 - start.1) / letters);
            for (i, c) in text.chars().enumerate() {
                out.push(Glyph {
                    text: CompactString::from(c.encode_utf8(&mut [0; 4]) as &str),
                    x: start.0 + step.0 * i as f32,
                    y: start.1 + step.1 * i as f32,
                    width: step.0.hypot(step.1),
                    size: size.max(1.0),
                    bold,
                    rotation: (quarters as i32).rem_euclid(4) as u8,
                    skew: angle - quarters * std::f32::consts::FRAC_PI_2,
                    order: 0,
                });
            }
            confidence += f64::from(w.confidence);
        }
    }
    (out, kept.len(), confidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n";

    fn row(line: u32, word: u32, [left, top, width, height]: [f32; 4], conf: f32, text: &str) -> String {
        format!("5\t1\t1\t1\t{line}\t{word}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}\n")
    }

    fn blank() -> GrayImage {
        GrayImage::new(2480, 3508, vec![255; 2480 * 3508]).expect("size matches")
    }

    /// Pixels of a 300 dpi image on an A4 page: 72/300 points each, y flipped.
    fn a4_at_300dpi() -> Affine {
        let s = 72.0 / 300.0;
        Affine([s, 0.0, 0.0, -s, 0.0, 842.0])
    }

    #[test]
    fn reads_words_and_skips_other_levels_and_empty_rows() {
        let tsv = format!(
            "{HEADER}4\t1\t1\t1\t1\t0\t10\t10\t500\t40\t-1\t\n{}{}5\t1\t1\t1\t1\t3\t300\t10\t40\t40\t95\t \n5\tx\n",
            row(1, 1, [10.0, 10.0, 120.0, 40.0], 96.5, "Jämställdhet"),
            row(1, 2, [140.0, 10.0, 60.0, 30.0], 91.0, "och"),
        );
        let words = parse_tsv(&tsv);
        assert_eq!(words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["Jämställdhet", "och"]);
        assert_eq!(words[0].line, (1, 1, 1));
        assert_eq!(words[0].confidence, 96.5);
    }

    #[test]
    fn words_of_a_line_share_a_baseline_and_size_whatever_their_letters() {
        // An em of 50 px: x-height 25, ascenders 11 above it, descenders 11 below the baseline at 147.
        let tsv = format!(
            "{HEADER}{}{}{}{}",
            row(1, 1, [100.0, 111.0, 80.0, 36.0], 95.0, "Stöd"),
            row(1, 2, [200.0, 122.0, 60.0, 25.0], 95.0, "mer"),
            row(1, 3, [280.0, 111.0, 120.0, 47.0], 95.0, "gjorde"),
            row(1, 4, [420.0, 122.0, 60.0, 36.0], 95.0, "par"),
        );
        let (placed, kept, confidence) = glyphs(&parse_tsv(&tsv), &blank(), &a4_at_300dpi());
        let glyphs = placed;
        assert_eq!(kept, 4);
        assert_eq!(confidence, 380.0);
        let ys: Vec<f32> = glyphs.iter().map(|g| g.y).collect();
        assert!(ys.iter().all(|y| (y - ys[0]).abs() < 0.01), "{ys:?}");
        // Baseline at pixel 147: 842 - 147 × 0.24.
        assert!((ys[0] - (842.0 - 147.0 * 0.24)).abs() < 0.6, "{ys:?}");
        // An em of 50 px is 12 points.
        assert!(glyphs.iter().all(|g| g.size == glyphs[0].size));
        assert!((glyphs[0].size - 12.0).abs() <= 0.5, "{}", glyphs[0].size);
        // "mer": three letters over 60 px from pixel 200.
        let mer: Vec<&Glyph> = glyphs.iter().skip(4).take(3).collect();
        assert_eq!(mer.iter().map(|g| g.text.as_str()).collect::<String>(), "mer");
        assert!(
            (mer[0].x - 48.0).abs() < 0.01
                && (mer[2].x - 57.6).abs() < 0.01
                && (mer[0].width - 4.8).abs() < 0.01
        );
        assert!(glyphs.iter().all(|g| g.rotation == 0 && g.skew.abs() < 1e-4));
    }

    #[test]
    fn a_skewed_scan_gives_the_skew_and_a_sideways_image_the_quarter_turn() {
        // A line falling 1 px per 50 (about 1.15°) to the right in the image (y down).
        let tsv = format!(
            "{HEADER}{}{}{}",
            row(1, 1, [100.0, 100.0, 100.0, 25.0], 90.0, "ett"),
            row(1, 2, [300.0, 104.0, 100.0, 25.0], 90.0, "tre"),
            row(1, 3, [500.0, 108.0, 100.0, 25.0], 90.0, "fem"),
        );
        let words = parse_tsv(&tsv);
        let (upright, ..) = glyphs(&words, &blank(), &a4_at_300dpi());
        let expected = -(1.0f32 / 50.0).atan();
        assert!(upright.iter().all(|g| g.rotation == 0 && (g.skew - expected).abs() < 1e-3), "{upright:?}");
        // The same image drawn turned a quarter anticlockwise on the page.
        let turned = a4_at_300dpi().then(&Affine([0.0, 1.0, -1.0, 0.0, 842.0, 0.0]));
        let (sideways, ..) = glyphs(&words, &blank(), &turned);
        assert!(sideways.iter().all(|g| g.rotation == 1 && (g.skew - expected).abs() < 1e-3), "{sideways:?}");
    }

    #[test]
    fn a_small_mark_opening_a_line_is_a_bullet_but_a_word_is_not() {
        let tsv = format!(
            "{HEADER}{}{}{}{}{}",
            row(1, 1, [100.0, 112.0, 12.0, 12.0], 60.0, "."),
            row(1, 2, [150.0, 100.0, 120.0, 36.0], 95.0, "Utbildning"),
            row(2, 1, [100.0, 200.0, 25.0, 25.0], 90.0, "e"),
            row(2, 2, [135.0, 189.0, 120.0, 36.0], 95.0, "Stödet"),
            row(3, 1, [100.0, 300.0, 80.0, 36.0], 95.0, "Sedan"),
        );
        let (placed, ..) = glyphs(&parse_tsv(&tsv), &blank(), &a4_at_300dpi());
        let text: String = placed.iter().map(|g| g.text.as_str()).collect();
        // The dot, far from its word, is a bullet; the "e" set close to "Stödet" is a letter.
        assert_eq!(text, "•UtbildningeStödetSedan");
    }

    #[test]
    fn words_standing_taller_than_wide_are_a_sideways_page() {
        let line = |boxes: [[f32; 4]; 6]| {
            let rows: String =
                boxes.iter().enumerate().map(|(k, b)| row(1, k as u32 + 1, *b, 90.0, "ordet")).collect();
            parse_tsv(&format!("{HEADER}{rows}"))
        };
        let across = [[100.0, 100.0, 120.0, 30.0]; 6];
        let down = [[100.0, 100.0, 30.0, 120.0]; 6];
        assert!(!sideways(&line(across)));
        assert!(sideways(&line(down)));
    }

    #[test]
    fn a_line_with_far_thicker_strokes_than_the_page_is_bold() {
        let mut image = GrayImage::new(1000, 400, vec![255; 400_000]).expect("size matches");
        // Stems every 12 px: 2 px wide on lines 1 and 3, 4 px on line 2.
        for (top, stem) in [(100usize, 2usize), (200, 4), (300, 2)] {
            for y in top..top + 25 {
                for x in (0..1000).step_by(12) {
                    for dx in 0..stem {
                        image.pixels[y * 1000 + x + dx] = 0;
                    }
                }
            }
        }
        let tsv = format!(
            "{HEADER}{}{}{}{}{}",
            row(1, 1, [100.0, 100.0, 200.0, 25.0], 95.0, "vanlig"),
            row(1, 2, [320.0, 100.0, 200.0, 25.0], 95.0, "mera"),
            row(1, 3, [540.0, 100.0, 200.0, 25.0], 95.0, "vare"),
            row(2, 1, [100.0, 200.0, 200.0, 25.0], 95.0, "mrssom"),
            row(3, 1, [100.0, 300.0, 200.0, 25.0], 95.0, "mer"),
        );
        let (placed, ..) = glyphs(&parse_tsv(&tsv), &image, &a4_at_300dpi());
        let bold: String = placed.iter().filter(|g| g.bold).map(|g| g.text.as_str()).collect();
        assert_eq!(bold, "mrssom");
    }

    #[test]
    fn the_wrapped_last_word_of_a_heading_takes_the_headings_size() {
        // A heading of em 60 px whose last word measures 68; then body text (em 44) far below.
        let tsv = format!(
            "{HEADER}{}{}{}{}{}",
            row(1, 1, [100.0, 100.0, 200.0, 43.2], 95.0, "Stärka"),
            row(1, 2, [320.0, 100.0, 200.0, 43.2], 95.0, "Bättre"),
            row(1, 3, [540.0, 100.0, 200.0, 43.2], 95.0, "Samverkan"),
            row(2, 1, [100.0, 170.0, 200.0, 49.0], 95.0, "området"),
            row(3, 1, [100.0, 400.0, 200.0, 31.7], 95.0, "Målet"),
        );
        let (placed, ..) = glyphs(&parse_tsv(&tsv), &blank(), &a4_at_300dpi());
        let size_of = |first: &str| placed.iter().find(|g| g.text == first).map(|g| g.size);
        assert_eq!(size_of("o"), size_of("S"));
        assert!(size_of("M") < size_of("S"), "body text far below keeps its own size");
    }

    #[test]
    fn table_rules_read_as_bars_are_dropped_and_stripped() {
        assert_eq!(without_rules("|"), "");
        assert_eq!(without_rules("=="), "");
        assert_eq!(without_rules("|Vård"), "Vård");
        assert_eq!(without_rules("4-5|"), "4-5");
        assert_eq!(without_rules("a=b"), "a=b");
        let tsv = format!(
            "{HEADER}{}{}{}",
            row(1, 1, [10.0, 10.0, 5.0, 40.0], 90.0, "|"),
            row(1, 2, [30.0, 10.0, 80.0, 25.0], 42.0, "NE"),
            row(1, 3, [130.0, 10.0, 80.0, 25.0], 93.0, "SKL"),
        );
        let (placed, kept, _) = glyphs(&parse_tsv(&tsv), &blank(), &a4_at_300dpi());
        assert_eq!(kept, 1);
        assert_eq!(placed.iter().map(|g| g.text.as_str()).collect::<String>(), "SKL");
    }

    #[test]
    fn a_bullet_the_engine_dropped_is_found_by_its_ink_but_a_continuation_line_has_none() {
        let mut image = GrayImage::new(1000, 600, vec![255; 600_000]).expect("size matches");
        // Bullets drawn at x 100–112 on the lines at y 100 (read) and 300 (dropped by the engine).
        for top in [110usize, 310] {
            for y in top..top + 12 {
                for x in 100..112 {
                    image.pixels[y * 1000 + x] = 0;
                }
            }
        }
        let tsv = format!(
            "{HEADER}{}{}{}{}",
            row(1, 1, [100.0, 110.0, 12.0, 12.0], 60.0, "."),
            row(1, 2, [150.0, 100.0, 200.0, 36.0], 95.0, "Stärka"),
            row(2, 1, [150.0, 200.0, 200.0, 36.0], 95.0, "kommuner"),
            row(3, 1, [150.0, 300.0, 200.0, 36.0], 95.0, "Utveckla"),
        );
        let (placed, kept, _) = glyphs(&parse_tsv(&tsv), &image, &a4_at_300dpi());
        let text: String = placed.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text, "•Stärkakommuner•Utveckla");
        assert_eq!(kept, 4, "the found bullet is not a word read");
    }

    #[test]
    fn lone_marks_and_words_barely_believed_are_noise_but_words_are_kept() {
        let tsv = format!(
            "{HEADER}{}{}{}{}",
            row(1, 1, [10.0, 10.0, 5.0, 5.0], 12.0, "|"),
            row(1, 2, [30.0, 10.0, 80.0, 25.0], 25.0, "mål"),
            row(1, 4, [330.0, 10.0, 80.0, 25.0], 8.0, "FREE"),
            row(1, 3, [130.0, 10.0, 15.0, 4.0], 92.0, "—"),
        );
        let (placed, kept, _) = glyphs(&parse_tsv(&tsv), &blank(), &a4_at_300dpi());
        let glyphs = placed;
        assert_eq!(kept, 2);
        assert_eq!(glyphs.iter().map(|g| g.text.as_str()).collect::<String>(), "mål—");
    }
}

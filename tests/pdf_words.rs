//! Where words begin and end on small PDFs built here with lopdf: letter-spaced headings, glyphs set one
//! to a table cell, leader dots and formulas, single-letter words.

mod common;

use arkiv::extract::{extract_bytes, Options, SourceFormat};
use lopdf::{dictionary, Stream};

/// A one-page PDF with Helvetica as /F1 and Courier as /F2, showing `content`.
fn pdf(content: &str) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.7");
    let font = |name: &str| {
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => name, "Encoding" => "WinAnsiEncoding" }
    };
    let helvetica = doc.add_object(font("Helvetica"));
    let courier = doc.add_object(font("Courier"));
    let resources = dictionary! { "Font" => dictionary! { "F1" => helvetica, "F2" => courier } };
    let content = Stream::new(dictionary! {}, content.as_bytes().to_vec());
    common::one_page(&mut doc, content, resources, &lopdf::Dictionary::new());
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("write PDF");
    out
}

/// The page's words, in reading order.
fn words(content: &str) -> Vec<String> {
    let doc = extract_bytes(&pdf(content), SourceFormat::Pdf, &Options::default()).expect("extract");
    doc.plain_text().split_whitespace().map(str::to_string).collect()
}

/// One line of glyphs, each placed by its own `Td` at the given x (a grid's computed positions).
fn placed(font: &str, size: f32, y: f32, glyphs: &[(char, f32)]) -> String {
    let mut out = String::new();
    for &(c, x) in glyphs {
        out.push_str(&format!("BT /{font} {size} Tf {x} {y} Td ({c}) Tj ET\n"));
    }
    out
}

/// A TJ array setting `words` letter-spaced: `tracking` thousandths of an em between letters, a further
/// `space` between words (no space characters, as a layout program positions them).
fn tracked(words: &[&str], tracking: i32, space: i32) -> String {
    let mut out = String::from("[");
    for (w, word) in words.iter().enumerate() {
        if w > 0 {
            out.push_str(&format!(" {}", -(tracking + space)));
        }
        for (k, c) in word.chars().enumerate() {
            if k > 0 {
                out.push_str(&format!(" {}", -tracking));
            }
            // WinAnsi codes for the Swedish letters in octal.
            let code = match c {
                'Å' => "\\305".to_string(),
                'Ö' => "\\326".to_string(),
                'Ä' => "\\304".to_string(),
                _ => c.to_string(),
            };
            out.push_str(&format!(" ({code})"));
        }
    }
    out.push_str(" ] TJ");
    out
}

#[test]
fn a_letter_spaced_heading_keeps_its_words_above_ordinary_text() {
    // A quarter em of tracking, words apart by a further 0.4 em; ordinary text below.
    let content = format!(
        "BT /F1 16 Tf 72 700 Td {} 0 -24 Td {} /F1 10 Tf 0 -20 Td [(Kommunerna) -278 (har) -278 (arbetat) \
         -278 (med) -278 (det) -278 (under) -278 (hela) -278 (\\345ret.)] TJ ET",
        tracked(&["ÅRSRAPPORT", "FÖR", "2021"], 250, 400),
        tracked(&["SAMMANFATTNING", "OCH", "SLUTSATSER"], 250, 400),
    );
    assert_eq!(
        words(&content),
        [
            "ÅRSRAPPORT",
            "FÖR",
            "2021",
            "SAMMANFATTNING",
            "OCH",
            "SLUTSATSER",
            "Kommunerna",
            "har",
            "arbetat",
            "med",
            "det",
            "under",
            "hela",
            "året."
        ]
    );
}

#[test]
fn glyphs_set_one_to_a_cell_of_a_grid_are_words_of_their_own() {
    // Courier letters (0.6 em wide) a pitch of one em apart: the gaps (0.4 em) are narrower than the
    // letters, as tracking would be, but every row's letters stand right under the row above's.
    let rows = ["ABCDEF", "GHIJKL", "MNOPQR"];
    let mut content = String::new();
    for (r, row) in rows.iter().enumerate() {
        let glyphs: Vec<(char, f32)> =
            row.chars().enumerate().map(|(k, c)| (c, 72.0 + 16.0 * k as f32)).collect();
        content.push_str(&placed("F2", 16.0, 700.0 - 28.8 * r as f32, &glyphs));
    }
    let expected: Vec<String> = rows.concat().chars().map(String::from).collect();
    assert_eq!(words(&content), expected);
}

#[test]
fn glyphs_further_apart_than_their_own_width_are_separate() {
    // A comb field's value: one letter to a box, the gaps twice the letters' width.
    let glyphs: Vec<(char, f32)> =
        "ABCDEF".chars().enumerate().map(|(k, c)| (c, 72.0 + 18.0 * k as f32)).collect();
    assert_eq!(words(&placed("F2", 10.0, 700.0, &glyphs)), ["A", "B", "C", "D", "E", "F"]);
}

#[test]
fn leader_dots_and_spaced_operators_leave_the_words_of_their_line_alone() {
    // Dots 0.4 em apart fill most of the line; the words before them keep their ordinary spaces. A
    // formula sets its operators a fifth of an em from the terms.
    let content = format!(
        "BT /F1 10 Tf 72 700 Td [(Research question) -400 {} -400 (12)] TJ ET \
         BT /F1 10 Tf 72 680 Td [(OA) -200 (+) -200 (OB) -200 (+) -200 (OC) -200 (=) -200 (u)] TJ ET",
        ["(.)"; 16].join(" -400 ")
    );
    assert_eq!(
        words(&content),
        [
            "Research", "question", ".", ".", ".", ".", ".", ".", ".", ".", ".", ".", ".", ".", ".", ".",
            ".", ".", "12"
        ]
        .into_iter()
        .chain(["OA", "+", "OB", "+", "OC", "=", "u"])
        .collect::<Vec<_>>()
    );
}

#[test]
fn single_letter_words_keep_the_spaces_of_their_line() {
    // LaTeX style: no space characters, words a third of an em apart.
    let content =
        "BT /F1 10 Tf 72 700 Td [(The) -333 (axes) -333 (x) -333 (y) -333 (z) -333 (w) -333 (meet)] TJ ET";
    assert_eq!(words(content), ["The", "axes", "x", "y", "z", "w", "meet"]);
}

#[test]
fn tightened_type_ends_where_its_glyph_does() {
    // A presentation program sets a word in two runs with a negative Tc (in text space of a unit font
    // scaled by the text matrix): the first run's last glyph is drawn whole, so the word holds.
    let content = "BT -0.131 Tc 48 0 0 48 72 700 Tm /F1 1 Tf (Te) Tj ET \
        BT -0.02 Tc 48 0 0 48 125.3 700 Tm /F1 1 Tf (xt) Tj ET";
    assert_eq!(words(content), ["Text"]);
}

#[test]
fn a_drawn_space_parts_words_however_tight_the_tracking() {
    // Justified by tightening: a negative Tc leaves the space narrower than an ordinary word gap.
    let content = "BT /F1 10 Tf -1 Tc 72 700 Td (verksamhet. Ansvaret vilar) Tj ET";
    assert_eq!(words(content), ["verksamhet.", "Ansvaret", "vilar"]);
}

#[test]
fn character_spacing_of_several_em_is_a_gap_between_cells() {
    // A spreadsheet's row: a Tc of four em sets the cells apart, and a TJ offset inside each cell takes
    // it back between the cell's own glyphs.
    let content = "BT 4.1107 Tc 6 0 0 6 72 700 Tm /F1 1 Tf \
        [ (02) 4125 (,) 4098 (2) 4125 (4) 4125 (81) 4125 (,) 4098 (1) 4125 (3) 4125 (5) ] TJ ET";
    assert_eq!(words(content), ["0", "2,248", "1,135"]);
}

#[test]
fn a_mark_drawn_within_a_letter_is_a_word_of_its_own() {
    // A note mark set raised into the middle of a word, over its "m".
    let content = "BT /F1 9 Tf 28 240 Td (Aaabaaabmaab) Tj ET BT /F1 6 Tf 71 243.96 Td (4) Tj ET";
    assert_eq!(words(content), ["Aaabaaabmaab", "4"]);
    // The LaTeX logo's raised small A only reaches into the L: it stays in the word.
    let logo = "BT /F1 10 Tf 72 700 Td (L) Tj ET BT /F1 7.5 Tf 75.4 702.2 Td (A) Tj ET \
        BT /F1 10 Tf 79.6 700 Td (TeX) Tj ET";
    assert_eq!(words(logo), ["LATeX"]);
}

#[test]
fn text_set_at_45_degrees_either_way_reads_along_its_baseline() {
    let content = "BT /F1 16 Tf 0.7071 0.7071 -0.7071 0.7071 126 519 Tm (Rotation one) Tj ET \
        BT /F1 16 Tf 0.7071 -0.7071 0.7071 0.7071 372 561 Tm (Rotation two) Tj ET";
    // Each is read whole; the one nearer upright first.
    assert_eq!(words(content), ["Rotation", "two", "Rotation", "one"]);
}

#[test]
fn a_row_of_note_marks_joins_the_words_it_follows() {
    // Wikipedia's citation marks, raised and smaller, several along one line: each follows its word.
    let body = [("for", 72.0), ("Android,", 100.0), ("Pale", 163.0), ("Moon", 190.0), ("and", 252.0)];
    let mut content = String::new();
    for (word, x) in body {
        content.push_str(&format!("BT /F1 12 Tf {x} 700 Td ({word}) Tj ET\n"));
    }
    for (marks, x) in [("[15]", 144.9), ("[16][17]", 220.2)] {
        content.push_str(&format!("BT /F1 8.4 Tf {x} 704.5 Td ({marks}) Tj ET\n"));
    }
    assert_eq!(words(&content), ["for", "Android,[15]", "Pale", "Moon[16][17]", "and"]);
}

#[test]
fn kerning_inside_a_letter_spaced_word_keeps_it_whole() {
    // Tracking of 0.13 em, but kerning closes the gaps of "kor" below a word gap.
    let content =
        "BT /F1 10 Tf 72 700 Td [(R) -130 (e) -130 (s) -130 (u) -130 (l) -130 (t) -130 (a) -130 (t) \
        -680 (i) -680 (k) -20 (o) -20 (r) -130 (t) -130 (h) -130 (e) -130 (t)] TJ ET";
    assert_eq!(words(content), ["Resultat", "i", "korthet"]);
}

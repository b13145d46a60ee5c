//! The PDF extractor on small PDFs built here with lopdf, one per encoding path and text-state feature.

mod common;

use arkiv::extract::{extract_bytes, Document, Options, SourceFormat};
use lopdf::{dictionary, Object, Stream};

/// A one-page A4 PDF whose page has `fonts` as /Font resources, `xobjects` as /XObject resources and
/// `content` as its content stream. Objects are given as closures that add themselves to the document.
struct PdfBuilder {
    doc: lopdf::Document,
    fonts: lopdf::Dictionary,
    xobjects: lopdf::Dictionary,
    page_extra: lopdf::Dictionary,
}

impl PdfBuilder {
    fn new() -> Self {
        PdfBuilder {
            doc: lopdf::Document::with_version("1.7"),
            fonts: lopdf::Dictionary::new(),
            xobjects: lopdf::Dictionary::new(),
            page_extra: lopdf::Dictionary::new(),
        }
    }

    fn font(&mut self, name: &str, dict: lopdf::Dictionary) -> &mut Self {
        let id = self.doc.add_object(dict);
        self.fonts.set(name, id);
        self
    }

    fn stream(&mut self, dict: lopdf::Dictionary, data: &[u8]) -> lopdf::ObjectId {
        self.doc.add_object(Stream::new(dict, data.to_vec()))
    }

    fn build(mut self, content: &[u8]) -> Vec<u8> {
        let content = Stream::new(dictionary! {}, content.to_vec());
        let resources = dictionary! { "Font" => self.fonts, "XObject" => self.xobjects };
        common::one_page(&mut self.doc, content, resources, &self.page_extra);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).expect("write PDF");
        out
    }
}

fn extract(pdf: &[u8]) -> Document {
    extract_bytes(pdf, SourceFormat::Pdf, &Options::default()).expect("extract")
}

fn text(pdf: &[u8]) -> String {
    extract(pdf).plain_text().trim().to_string()
}

fn helvetica(encoding: &str) -> lopdf::Dictionary {
    dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => encoding }
}

#[test]
fn win_ansi_standard_font_without_widths() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    let pdf = b.build(b"BT /F1 12 Tf 72 700 Td (K\xe4rlek och v\xe5ld \x96 \xd6rebro) Tj ET");
    assert_eq!(text(&pdf), "Kärlek och våld – Örebro");
}

#[test]
fn mac_roman_encoding() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("MacRomanEncoding"));
    // MacRoman: 0x8A = ä, 0x8C = å, 0x9A = ö.
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td (m\x8an p\x8C \x9A) Tj ET")), "män på ö");
}

#[test]
fn differences_through_glyph_names_and_ligatures() {
    let mut b = PdfBuilder::new();
    let encoding = dictionary! {
        "Type" => "Encoding",
        "BaseEncoding" => "StandardEncoding",
        "Differences" => vec![1.into(), Object::Name(b"adieresis".to_vec()), Object::Name(b"fi".to_vec()),
            Object::Name(b"uni00E5".to_vec())],
    };
    let mut font = helvetica("StandardEncoding");
    font.set("Encoding", encoding);
    b.font("F1", font);
    assert_eq!(
        text(&b.build(b"BT /F1 12 Tf 72 700 Td (j\x01mst\x01lld \x02nns \x03r) Tj ET")),
        "jämställd finns år"
    );
}

const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar <0001> <004B> <0002> <00F6> <0003> <0020> endbfchar
1 beginbfrange <0010> <0012> [<006E> <0073> <FB02>] endbfrange
1 beginbfrange <0020> <0025> <0061> endbfrange
endcmap end end";

#[test]
fn type0_identity_h_with_to_unicode_and_widths() {
    let mut b = PdfBuilder::new();
    let to_unicode = b.stream(dictionary! {}, TO_UNICODE);
    let descendant = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "DejaVuSans",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "DW" => 600,
        "W" => vec![1.into(), vec![700.into(), 600.into(), 300.into()].into(), 16.into(), 18.into(), 550.into()],
    });
    b.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "DejaVuSans", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()], "ToUnicode" => to_unicode,
        },
    );
    // "Kö" space "ab" then codes 0x10..0x12 → "n", "s", "ﬂ" (expanded to "fl").
    let pdf = b.build(b"BT /F1 12 Tf 72 700 Td <000100020003002000210010001100120003> Tj ET");
    assert_eq!(text(&pdf), "Kö abnsfl");
}

#[test]
fn to_unicode_wins_over_the_encoding() {
    let mut b = PdfBuilder::new();
    let cmap = b.stream(
        dictionary! {},
        b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <00C5> endbfchar",
    );
    let mut font = helvetica("WinAnsiEncoding");
    font.set("ToUnicode", cmap);
    b.font("F1", font);
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td (Ar) Tj ET")), "År");
}

#[test]
fn word_gaps_come_from_positions_not_space_characters() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    // LaTeX style: no spaces, a -333 thousandths gap between words, small kerning inside them.
    let pdf = b.build(b"BT /F1 10 Tf 72 700 Td [(Ut) 20 (v) -15 (eckla) -333 (arbetet) -333 (vidare)] TJ ET");
    assert_eq!(text(&pdf), "Utveckla arbetet vidare");
}

#[test]
fn text_state_operators_place_lines() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    let content = b"BT /F1 10 Tf 14 TL 72 700 Td (f\xf6rsta raden) Tj T* (andra raden) Tj \
        0 -14 TD (tredje) Tj (ordet) ' 2 0 (\"fj\xe4rde\") \" 150 Tz 1 Tc 1 0 0 1 72 600 Tm (bred) Tj ET";
    let out = text(&b.build(content));
    assert_eq!(
        out.split_whitespace().collect::<Vec<_>>().join(" "),
        "första raden andra raden tredje ordet \"fjärde\" bred"
    );
}

#[test]
fn justified_lines_stretched_with_word_spacing() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    assert_eq!(text(&b.build(b"BT /F1 10 Tf 8 Tw 72 700 Td (ett tv\xe5 tre) Tj ET")), "ett två tre");
}

#[test]
fn form_xobjects_run_and_a_self_reference_does_not_hang() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    let form_id = b.doc.new_object_id();
    let fonts = b.fonts.clone();
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), (-100).into()],
            "Resources" => dictionary! { "Font" => fonts, "XObject" => dictionary! { "X1" => form_id } },
        },
        b"BT /F1 12 Tf 72 700 Td (i formul\xe4ret) Tj ET /X1 Do".to_vec(),
    );
    b.doc.objects.insert(form_id, Object::Stream(form));
    b.xobjects.set("X1", form_id);
    let doc = extract(&b.build(b"BT /F1 12 Tf 72 760 Td (p\xe5 sidan) Tj ET /X1 Do"));
    assert_eq!(doc.plain_text().split_whitespace().collect::<Vec<_>>(), ["på", "sidan", "i", "formuläret"]);
    assert!(doc.warnings.iter().any(|w| w.contains("cycle")), "{:?}", doc.warnings);
}

#[test]
fn rotated_pages_read_upright() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    b.page_extra.set("Rotate", 90);
    // Text drawn rotated by the same quarter turn reads upright on the displayed page.
    let pdf = b.build(
        b"BT /F1 12 Tf 0 1 -1 0 300 100 Tm (uppr\xe4tt text) Tj 0 1 -1 0 315 100 Tm (rad tv\xe5) Tj ET",
    );
    assert_eq!(text(&pdf).split_whitespace().collect::<Vec<_>>().join(" "), "upprätt text rad två");
}

#[test]
fn type3_fonts_use_their_font_matrix_and_encoding() {
    let mut b = PdfBuilder::new();
    let proc_a = b.stream(dictionary! {}, b"500 0 d0");
    b.font(
        "T3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type3",
            "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
            "FontBBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
            "FirstChar" => 97, "LastChar" => 98, "Widths" => vec![50.into(), 50.into()],
            "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![97.into(),
                Object::Name(b"odieresis".to_vec()), Object::Name(b"k".to_vec())] },
            "CharProcs" => dictionary! { "odieresis" => proc_a, "k" => proc_a },
            "Resources" => dictionary! {},
        },
    );
    assert_eq!(text(&b.build(b"BT /T3 12 Tf 72 700 Td (ab) Tj ET")), "ök");
}

#[test]
fn unmapped_glyphs_are_counted_not_hidden() {
    let mut b = PdfBuilder::new();
    let descendant = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Mystery", "DW" => 500,
    });
    b.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Mystery", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()],
        },
    );
    let doc = extract(&b.build(b"BT /F1 12 Tf 72 700 Td <00410042> Tj ET"));
    assert_eq!(doc.plain_text().trim(), "\u{fffd}\u{fffd}");
    assert!(
        doc.warnings.iter().any(|w| w.contains("2 glyphs have no Unicode mapping")),
        "{:?}",
        doc.warnings
    );
}

// The font fallback chain: the font program's own data, the predefined CID collections, glyph-name
// conventions, and the base encodings each font really has.

/// A descriptor holding `program` under `key` (`FontFile`, `FontFile2`, `FontFile3`).
fn descriptor_with(b: &mut PdfBuilder, name: &str, flags: i64, key: &str, program: &[u8]) -> lopdf::ObjectId {
    let file = b.stream(dictionary! { "Length1" => program.len() as i64 }, program);
    b.doc.add_object(dictionary! {
        "Type" => "FontDescriptor", "FontName" => name, "Flags" => flags,
        "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
        "ItalicAngle" => 0, "Ascent" => 800, "Descent" => -200, "CapHeight" => 700, "StemV" => 80,
        key => file,
    })
}

/// Two glyph names of a font program that the AGL reads as single ASCII letters, with those letters.
fn two_letter_glyphs(program: &[u8]) -> [(String, char); 2] {
    let font = read_fonts::model::Font::new(program.to_vec(), 0).expect("test font parses");
    let letters: Vec<(String, char)> = font
        .glyph_names()
        .filter_map(|(_, n)| {
            let name = n.as_str().to_string();
            let c = name.chars().next().filter(|c| c.is_ascii_alphabetic() && name.len() == 1)?;
            Some((name, c))
        })
        .take(2)
        .collect();
    [letters[0].clone(), letters[1].clone()]
}

#[test]
fn embedded_type1_reads_its_built_in_encoding() {
    // A real Type1 program whose built-in encoding puts two letters at codes 1 and 2: with no
    // /Encoding in the PDF, codes mean what the program says, not StandardEncoding.
    let pfa = font_test_data::type1::NOTO_SERIF_REGULAR_SUBSET_PFA;
    let [(n1, c1), (n2, c2)] = two_letter_glyphs(pfa);
    let encoding = format!(
        "/Encoding 256 array\n0 1 255 {{1 index exch /.notdef put}} for\ndup 1 /{n1} put\ndup 2 /{n2} put\nreadonly def"
    );
    let text_pfa = String::from_utf8_lossy(pfa).into_owned();
    let program = text_pfa.replacen("/Encoding StandardEncoding def", &encoding, 1);
    assert_ne!(program, text_pfa, "the test program has its encoding replaced");
    let mut b = PdfBuilder::new();
    let desc = descriptor_with(&mut b, "NotoSerif-Regular", 4, "FontFile", program.as_bytes());
    b.font("F1", dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "NotoSerif-Regular", "FontDescriptor" => desc,
    });
    // Differences that cover code 1 only: code 2 still comes from the program.
    b.font("F2", dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "NotoSerif-Regular", "FontDescriptor" => desc,
        "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![1.into(), Object::Name(b"adieresis".to_vec())] },
    });
    let pdf = b.build(b"BT /F1 12 Tf 72 700 Td <0102> Tj /F2 12 Tf 0 -20 Td <0102> Tj ET");
    assert_eq!(text(&pdf), format!("{c1}{c2}\n\u{e4}{c2}"));
}

#[test]
fn type1_cleartext_encoding_survives_a_damaged_program() {
    // The encrypted part is junk, so no parser reads the program; its cleartext encoding still
    // says code 50 is the element sign (TeX's CMSY puts it there, where StandardEncoding has "2").
    let program = b"%!FontType1-1.0: CMSY10\n/FontName /CMSY10 def\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 50 /element put\ndup 12 /fi put\nreadonly def\ncurrentdict end\ncurrentfile eexec\n\x8f\x01\x02\x03";
    let mut b = PdfBuilder::new();
    let desc = descriptor_with(&mut b, "CMSY10", 4, "FontFile", program);
    b.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "CMSY10", "FontDescriptor" => desc,
            "FirstChar" => 12, "LastChar" => 50, "Widths" => vec![500.into(); 39],
        },
    );
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td (2\x0cnd) Tj ET")), "\u{2208}find");
}

/// The glyph ids of `chars` in a TrueType program's Unicode cmap.
fn glyph_ids(program: &[u8], chars: &str) -> Vec<u16> {
    let font = read_fonts::model::Font::new(program.to_vec(), 0).expect("test font parses");
    chars
        .chars()
        .map(|c| font.charmap().map_unicode(c).map(|g| g.to_u32() as u16).expect("glyph in the test font"))
        .collect()
}

/// How far `glyphs` of a TrueType program advance at 12 pt, by its hmtx.
fn advance_at_12pt(program: &[u8], glyphs: &[u16]) -> f32 {
    let font = read_fonts::model::Font::new(program.to_vec(), 0).expect("test font parses");
    let upem = font.units_per_em() as f32;
    let metrics = font.glyph_metrics();
    glyphs.iter().map(|&g| metrics.h_advance(read_fonts::types::GlyphId::new(g as u32)) / upem * 12.0).sum()
}

#[test]
fn identity_h_without_to_unicode_reads_the_programs_cmap() {
    // A CIDFontType2 with Identity-H, a ToUnicode that is only the name /Identity-H (no map), no /W:
    // CIDs are glyph ids, whose characters come from the program's Unicode cmap, and whose advances
    // come from its hmtx.
    let ttf = font_test_data::TINOS_SUBSET;
    let mut b = PdfBuilder::new();
    let desc = descriptor_with(&mut b, "Tinos", 4, "FontFile2", ttf);
    let descendant = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Tinos", "FontDescriptor" => desc,
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "CIDToGIDMap" => "Identity",
    });
    b.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Tinos", "Encoding" => "Identity-H",
            "ToUnicode" => "Identity-H", "DescendantFonts" => vec![descendant.into()],
        },
    );
    let gids = glyph_ids(ttf, "BaAb");
    let hex: String = gids.iter().map(|g| format!("{g:04X}")).collect();
    // A second word placed where the real advances end the first, plus a space's width: with the
    // default width of 1000 per glyph the words would run into each other.
    let content =
        format!("BT /F1 12 Tf 72 700 Td <{hex}> Tj {} 0 Td <{hex}> Tj ET", advance_at_12pt(ttf, &gids) + 4.0);
    let doc = extract(&b.build(content.as_bytes()));
    assert_eq!(doc.plain_text().trim(), "BaAb BaAb");
    assert!(doc.warnings.iter().all(|w| !w.contains("no Unicode mapping")), "{:?}", doc.warnings);
}

#[test]
fn simple_fonts_without_widths_use_the_programs_advances() {
    // A TrueType font with no /Widths: glyphs advance by the program's hmtx, so a second word set
    // one space after the first stays a word of its own (at 500 per glyph it would overlap).
    let ttf = font_test_data::TINOS_SUBSET;
    let mut b = PdfBuilder::new();
    let desc = descriptor_with(&mut b, "Tinos", 32, "FontFile2", ttf);
    b.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Tinos", "FontDescriptor" => desc,
            "Encoding" => "WinAnsiEncoding",
        },
    );
    let advance = advance_at_12pt(ttf, &glyph_ids(ttf, "BBBB"));
    let content = format!("BT /F1 12 Tf 72 700 Td (BBBB) Tj {} 0 Td (BBBB) Tj ET", advance + 4.0);
    assert_eq!(text(&b.build(content.as_bytes())), "BBBB BBBB");
}

#[test]
fn glyph_index_names_resolve_through_the_program() {
    // A TrueType font whose Differences name glyphs by index (`g36`): the program's cmap says which
    // character that glyph is.
    let ttf = font_test_data::TINOS_SUBSET;
    let gids = glyph_ids(ttf, "Ab");
    let mut b = PdfBuilder::new();
    let desc = descriptor_with(&mut b, "Tinos", 32, "FontFile2", ttf);
    b.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Tinos", "FontDescriptor" => desc,
            "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![1.into(), Object::Name(format!("g{}", gids[0]).into_bytes()),
                    Object::Name(format!("glyph{}", gids[1]).into_bytes())] },
        },
    );
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td <0102> Tj ET")), "Ab");
}

/// A Type0 font with a non-embedded CIDFont of `ordering` and the predefined `encoding`.
fn cid_collection_font(b: &mut PdfBuilder, encoding: &str, ordering: &str) {
    let descendant = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "Someone-Light",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal(ordering), "Supplement" => 2 },
    });
    b.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Someone-Light", "Encoding" => encoding,
            "DescendantFonts" => vec![descendant.into()],
        },
    );
}

#[test]
fn predefined_cmaps_and_cid_collections() {
    // GBK bytes through GBK-EUC-H to Adobe-GB1 CIDs, then to Unicode; ASCII bytes are one byte each.
    let mut b = PdfBuilder::new();
    cid_collection_font(&mut b, "GBK-EUC-H", "GB1");
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td (\xd6\xd0\xce\xc4 A) Tj ET")), "中文 A");
    // Shift-JIS through 90ms-RKSJ-H to Adobe-Japan1.
    let mut b = PdfBuilder::new();
    cid_collection_font(&mut b, "90ms-RKSJ-H", "Japan1");
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td (\x82\xa0\x82\xa2) Tj ET")), "あい");
    // Identity-H: the codes are CIDs of the font's collection (Adobe-Japan1 CID 34 is "A").
    let mut b = PdfBuilder::new();
    cid_collection_font(&mut b, "Identity-H", "Japan1");
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td <00220023> Tj ET")), "AB");
}

#[test]
fn an_embedded_cmap_builds_on_the_predefined_one_it_uses() {
    // The embedded encoding maps one code itself (0x41 to CID 35, "B" in Adobe-Japan1) and leaves the
    // rest to 90ms-RKSJ-H, which it names with usecmap.
    let mut b = PdfBuilder::new();
    let cmap = b.stream(
        dictionary! { "Type" => "CMap", "CMapName" => "Custom-RKSJ-H" },
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Custom-RKSJ-H def\n\
          /90ms-RKSJ-H usecmap\n1 begincidchar <41> 35 endcidchar\nendcmap CMapName currentdict /CMap defineresource pop end end",
    );
    let descendant = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "Someone-Light",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Japan1"), "Supplement" => 2 },
    });
    b.font(
        "F1",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Someone-Light", "Encoding" => cmap,
            "DescendantFonts" => vec![descendant.into()],
        },
    );
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td (\x82\xa0A\x82\xa2) Tj ET")), "あBい");
}

#[test]
fn type3_glyph_names_by_their_numbering_conventions() {
    // dvips names bitmap glyphs after their codes (`a65`), Ghostscript `C65`-style: both are the
    // character of that code. An unknown name stays unmapped.
    let mut b = PdfBuilder::new();
    let proc_a = b.stream(dictionary! {}, b"500 0 d0");
    let names = ["a72", "a105", "C33", "zzz"];
    let mut diffs: Vec<Object> = vec![1.into()];
    diffs.extend(names.iter().map(|n| Object::Name(n.as_bytes().to_vec())));
    let procs: lopdf::Dictionary =
        names.iter().map(|n| (n.as_bytes().to_vec(), Object::Reference(proc_a))).collect();
    b.font(
        "T3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type3",
            "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
            "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
            "FirstChar" => 1, "LastChar" => 4, "Widths" => vec![500.into(); 4],
            "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => diffs },
            "CharProcs" => procs, "Resources" => dictionary! {},
        },
    );
    let doc = extract(&b.build(b"BT /T3 12 Tf 72 700 Td <010203> Tj 0 -20 Td <04> Tj ET"));
    assert_eq!(doc.plain_text().trim(), "Hi!\n\u{fffd}");
    assert!(
        doc.warnings.iter().any(|w| w.contains("1 glyphs have no Unicode mapping")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn mac_expert_and_zapf_dingbats_are_their_own_encodings() {
    let mut b = PdfBuilder::new();
    b.font("F1", dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "ZapfDingbats" });
    b.font("F2", dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman", "Encoding" => "MacExpertEncoding",
    });
    // ZapfDingbats 0x33 is the check mark (Symbol's 0x33 is "3"); MacExpert 0x56 is the ff ligature
    // (MacRoman's is "V"), which clean-up spells out.
    let pdf = b.build(b"BT /F1 12 Tf 72 700 Td (3) Tj /F2 12 Tf 0 -20 Td (\x56) Tj ET");
    assert_eq!(text(&pdf), "\u{2713}\nff");
}

#[test]
fn accents_drawn_apart_recompose() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    // "a", then a dieresis (0xA8) moved back over it by a TJ adjustment, then "r".
    let pdf = b.build(b"BT /F1 12 Tf 72 700 Td [(a) 556 (\xa8) 0 (r)] TJ ET");
    assert_eq!(text(&pdf), "är");
}

#[test]
fn artifacts_are_not_content() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    let pdf = b.build(b"/Artifact <</Type /Pagination>> BDC BT /F1 9 Tf 72 30 Td (Sida 1 av 9) Tj ET EMC BT /F1 12 Tf 72 700 Td (Inneh\xe5ll) Tj ET");
    assert_eq!(text(&pdf), "Innehåll");
}

#[test]
fn soft_hyphens_and_line_end_hyphens() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    let pdf = b.build(b"BT /F1 10 Tf 12 TL 72 700 Td (arbetet med j\xe4mst\xe4lld\xadhets-) Tj T* (integrering och h\xe4lso-) Tj T* (och sjukv\xe5rd) Tj ET");
    assert_eq!(
        text(&pdf).split_whitespace().collect::<Vec<_>>().join(" "),
        "arbetet med jämställdhetsintegrering och hälso- och sjukvård"
    );
}

#[test]
fn actual_text_replaces_the_glyphs_it_spans() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    let pdf =
        b.build(b"BT /F1 12 Tf 72 700 Td /Span <</ActualText (fi)>> BDC (\x01) Tj EMC (nns h\xe4r) Tj ET");
    assert_eq!(text(&pdf), "finns här");
}

#[test]
fn text_outside_the_crop_box_is_dropped() {
    let mut b = PdfBuilder::new();
    b.font("F1", helvetica("WinAnsiEncoding"));
    b.page_extra.set("CropBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
    let pdf = b.build(b"BT /F1 12 Tf 72 700 Td (synlig) Tj 900 0 Td (dold) Tj ET");
    assert_eq!(text(&pdf), "synlig");
}

/// A non-embedded simple Type1 font named `base_font` whose `/Differences` give codes 1, 2, ... the `names`.
fn font_with_names(base_font: &str, names: &[&str]) -> lopdf::Dictionary {
    let mut diffs: Vec<Object> = vec![1.into()];
    diffs.extend(names.iter().map(|n| Object::Name(n.as_bytes().to_vec())));
    dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base_font,
        "FirstChar" => 1, "LastChar" => names.len() as i64, "Widths" => vec![500.into(); names.len()],
        "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => diffs },
    }
}

#[test]
fn tex_extension_font_glyph_names() {
    // CMEX draws large operators and delimiters by names the AGL lacks: each reads as the character it
    // builds, an n-ary operator as the n-ary one.
    let mut b = PdfBuilder::new();
    b.font(
        "F1",
        font_with_names(
            "CMEX10",
            &[
                "uniondisplay",
                "vextendsingle",
                "bracehtipupleft",
                "parenleftBig",
                "tildewide",
                "summationtext",
            ],
        ),
    );
    let doc = extract(&b.build(b"BT /F1 12 Tf 72 700 Td <010203040506> Tj ET"));
    assert_eq!(doc.plain_text().trim(), "\u{22c3}\u{2223}\u{fe38}(\u{2dc}\u{2211}");
    assert!(doc.warnings.iter().all(|w| !w.contains("no Unicode mapping")), "{:?}", doc.warnings);
}

#[test]
fn glyph_id_names_in_a_font_named_as_a_core_font() {
    // A Type1 converted from Times New Roman names its glyphs by their ids there (G71 is `d`); in a font
    // that names no core font, G41 keeps its hexadecimal reading.
    let mut b = PdfBuilder::new();
    b.font("F1", font_with_names("ABCDEF+Times.New.Roman.Kursiv0104", &["G71", "G72", "G79", "G86", "g3"]));
    b.font("F2", font_with_names("Mystery", &["G41"]));
    assert_eq!(text(&b.build(b"BT /F1 12 Tf 72 700 Td <0102030405> Tj /F2 12 Tf <01> Tj ET")), "dels A");
}

#[test]
fn non_embedded_identity_truetype_core_font_reads_its_glyph_order() {
    // Identity-H codes of a CIDFontType2 with no program and no ToUnicode are glyph ids of the font it names:
    // for Times New Roman and the other core fonts those are known (3 space, 36 A, 68 a, 112 é).
    let mut b = PdfBuilder::new();
    for (name, base_font) in [("F1", "TimesNewRoman,Italic"), ("F2", "Mystery")] {
        let descriptor = b.doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontName" => base_font, "Flags" => 32,
        });
        let descendant = b.doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => base_font, "DW" => 500,
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "FontDescriptor" => descriptor,
        });
        b.font(
            name,
            dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "BaseFont" => base_font, "Encoding" => "Identity-H",
                "DescendantFonts" => vec![descendant.into()],
            },
        );
    }
    let doc = extract(
        &b.build(b"BT /F1 12 Tf 72 700 Td <002400440003007000440050> Tj 0 -20 Td /F2 12 Tf <0024> Tj ET"),
    );
    let words: Vec<String> = doc.plain_text().split_whitespace().map(String::from).collect();
    assert_eq!(words, ["Aa", "\u{e9}am", "\u{fffd}"]);
}

#[test]
fn type3_glyph_names_without_meaning_read_as_their_codes() {
    // A Type3 font's glyph names are keys of its procedures: `Bullet` (not the AGL's `bullet`) at code 98
    // reads as the code's character, as MuPDF, Poppler and PDFBox read it; control codes stay unmapped.
    let mut b = PdfBuilder::new();
    let proc_a = b.stream(dictionary! {}, b"500 0 d0");
    b.font(
        "T3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type3",
            "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
            "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
            "FirstChar" => 4, "LastChar" => 98, "Widths" => vec![500.into(); 95],
            "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![4.into(),
                Object::Name(b"Mark".to_vec()), 98.into(), Object::Name(b"Bullet".to_vec())] },
            "CharProcs" => dictionary! { "Bullet" => proc_a, "Mark" => proc_a }, "Resources" => dictionary! {},
        },
    );
    let text = text(&b.build(b"BT /T3 12 Tf 72 700 Td (bb) Tj 0 -20 Td <04> Tj ET"));
    assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["bb", "\u{fffd}"]);
}

#[test]
fn numbered_glyph_names_without_a_base_encoding_read_as_latin_1() {
    // dvips numbers a T1-encoded TeX font's bitmap glyphs by code: a225 at code 225 is `á` (Latin-1), not
    // StandardEncoding's `Æ`; with a base encoding named, the code reads in that encoding.
    let mut b = PdfBuilder::new();
    let proc_a = b.stream(dictionary! {}, b"500 0 d0");
    for (name, base) in [("T3", None), ("T4", Some("MacRomanEncoding"))] {
        let mut encoding = dictionary! { "Type" => "Encoding", "Differences" => vec![138.into(),
        Object::Name(b"a138".to_vec()), 225.into(), Object::Name(b"a225".to_vec())] };
        if let Some(base) = base {
            encoding.set("BaseEncoding", base);
        }
        b.font(
            name,
            dictionary! {
                "Type" => "Font", "Subtype" => "Type3",
                "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
                "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
                "FirstChar" => 138, "LastChar" => 225, "Widths" => vec![500.into(); 88],
                "Encoding" => encoding,
                "CharProcs" => dictionary! { "a138" => proc_a, "a225" => proc_a }, "Resources" => dictionary! {},
            },
        );
    }
    let text = text(&b.build(b"BT /T3 12 Tf 72 700 Td (V\xe1) Tj 0 -20 Td /T4 12 Tf (\x8a) Tj ET"));
    assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["V\u{e1}", "\u{e4}"]);
}

#[test]
fn vertical_writing_reads_columns_top_down_right_to_left() {
    // Identity-V: each string runs down its column, one em a glyph; the right column is read first. A
    // horizontal line on the same page stays a line of its own.
    let mut b = PdfBuilder::new();
    let to_unicode = b.stream(dictionary! {}, TO_UNICODE);
    let descendant = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "DejaVuSans",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "DW" => 1000,
    });
    b.font(
        "V",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "DejaVuSans", "Encoding" => "Identity-V",
            "DescendantFonts" => vec![descendant.into()], "ToUnicode" => to_unicode,
        },
    );
    b.font("H", helvetica("WinAnsiEncoding"));
    let pdf = b.build(
        b"BT /H 12 Tf 72 760 Td (Title) Tj ET \
          BT /V 12 Tf 500 700 Td <0020002100220023> Tj ET BT /V 12 Tf 484 700 Td <00240025> Tj ET",
    );
    let text = text(&pdf);
    assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["Title", "abcd", "ef"], "{text:?}");
}

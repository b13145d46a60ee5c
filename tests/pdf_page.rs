//! Text that is on the page outside the plain content stream, and content that used to be lost in
//! silence: form fields and FreeText annotations, indirect filters, lenient TJ arrays, a page whose text
//! yields nothing, and encrypted files (user and owner passwords, a direct /Encrypt dictionary). Each
//! PDF is built here with lopdf.

use std::collections::BTreeMap;
use std::sync::Arc;

mod common;

use arkiv::extract::{extract_bytes, Document, Options, SourceFormat};
use arkiv::Error;
use lopdf::encryption::crypt_filters::{Aes128CryptFilter, Aes256CryptFilter, CryptFilter};
use lopdf::{dictionary, EncryptionState, EncryptionVersion, Object, ObjectId, Permissions, Stream};

/// A one-page A4 document whose page has Helvetica as /F1 and `content` as its content stream; `page`
/// adds entries to the page dictionary (annotations, rotation).
struct Builder {
    doc: lopdf::Document,
    font: ObjectId,
    page: lopdf::Dictionary,
}

impl Builder {
    fn new() -> Self {
        let mut doc = lopdf::Document::with_version("1.7");
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        });
        Builder { doc, font, page: lopdf::Dictionary::new() }
    }

    /// A form stream with Helvetica as /F1 and the given bounding box.
    fn appearance(&mut self, bbox: [i64; 4], content: &str) -> ObjectId {
        let dict = dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => bbox.iter().map(|&v| Object::Integer(v)).collect::<Vec<_>>(),
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => self.font } },
        };
        self.doc.add_object(Stream::new(dict, content.as_bytes().to_vec()))
    }

    fn annots(&mut self, annots: Vec<lopdf::Dictionary>) {
        let ids: Vec<Object> = annots.into_iter().map(|a| self.doc.add_object(a).into()).collect();
        self.page.set("Annots", ids);
    }

    fn finish(mut self, content_stream: Stream) -> lopdf::Document {
        let resources = dictionary! { "Font" => dictionary! { "F1" => self.font } };
        common::one_page(&mut self.doc, content_stream, resources, &self.page);
        let id = Object::string_literal("0123456789abcdef");
        self.doc.trailer.set("ID", vec![id.clone(), id]);
        self.doc
    }

    fn build(self, content: &str) -> Vec<u8> {
        save(self.finish(Stream::new(dictionary! {}, content.as_bytes().to_vec())))
    }
}

fn save(mut doc: lopdf::Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("write PDF");
    out
}

fn extract_with(pdf: &[u8], password: Option<&str>) -> Result<Document, Error> {
    let options = Options { password: password.map(str::to_string), ..Options::default() };
    extract_bytes(pdf, SourceFormat::Pdf, &options)
}

fn extract(pdf: &[u8]) -> Document {
    extract_with(pdf, None).expect("extract")
}

fn text(pdf: &[u8]) -> String {
    extract(pdf).plain_text().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rect(r: [i64; 4]) -> Vec<Object> {
    r.iter().map(|&v| Object::Integer(v)).collect()
}

const LABELS: &str = "BT /F1 12 Tf 72 760 Td (Name:) Tj ET BT /F1 12 Tf 72 700 Td (Signed below.) Tj ET";

#[test]
fn a_widget_appearance_is_read_in_reading_order() {
    let mut b = Builder::new();
    // The appearance has its own coordinates (a 200 x 20 box) and is fitted to the field's /Rect.
    let ap = b.appearance([0, 0, 200, 20], "/Tx BMC BT /F1 10 Tf 2 6 Td (Alice Andersson) Tj ET EMC");
    b.annots(vec![dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "T" => Object::string_literal("name"),
        "Rect" => rect([72, 725, 272, 745]), "AP" => dictionary! { "N" => ap },
        "V" => Object::string_literal("stale value"),
    }]);
    assert_eq!(text(&b.build(LABELS)), "Name: Alice Andersson Signed below.");
}

#[test]
fn a_field_without_appearance_shows_its_inherited_value() {
    let mut b = Builder::new();
    let parent = b.doc.add_object(dictionary! {
        "FT" => "Tx", "T" => Object::string_literal("name"), "V" => Object::string_literal("Bo Berg"),
        "DA" => Object::string_literal("/Helv 11 Tf 0 g"),
    });
    b.annots(vec![dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "Parent" => parent, "Rect" => rect([72, 725, 272, 745]),
    }]);
    assert_eq!(text(&b.build(LABELS)), "Name: Bo Berg Signed below.");
}

#[test]
fn hidden_annotations_popups_and_other_kinds_are_skipped() {
    let mut b = Builder::new();
    let ap = b.appearance([0, 0, 200, 20], "BT /F1 10 Tf 2 6 Td (secret) Tj ET");
    let ap2 = b.appearance([0, 0, 200, 20], "BT /F1 10 Tf 2 6 Td (icon) Tj ET");
    b.annots(vec![
        dictionary! { "Subtype" => "Widget", "F" => 2, "Rect" => rect([72, 725, 272, 745]), "AP" => dictionary! { "N" => ap } },
        dictionary! { "Subtype" => "Popup", "Rect" => rect([72, 725, 272, 745]), "Contents" => Object::string_literal("pop") },
        dictionary! { "Subtype" => "Text", "Rect" => rect([72, 725, 272, 745]), "AP" => dictionary! { "N" => ap2 } },
    ]);
    assert_eq!(text(&b.build(LABELS)), "Name: Signed below.");
}

#[test]
fn a_checkbox_draws_the_state_it_is_in_and_free_text_shows_its_contents() {
    let mut b = Builder::new();
    let on = b.appearance([0, 0, 20, 20], "BT /F1 10 Tf 2 6 Td (Yes) Tj ET");
    let off = b.appearance([0, 0, 20, 20], "BT /F1 10 Tf 2 6 Td (No) Tj ET");
    b.annots(vec![
        dictionary! {
            "Subtype" => "Widget", "FT" => "Btn", "Rect" => rect([72, 725, 92, 745]), "AS" => "On",
            "AP" => dictionary! { "N" => dictionary! { "On" => on, "Off" => off } },
        },
        dictionary! {
            "Subtype" => "FreeText", "Rect" => rect([72, 650, 300, 670]),
            "Contents" => Object::string_literal("A note in the margin"), "DA" => Object::string_literal("/Helv 10 Tf"),
        },
    ]);
    assert_eq!(text(&b.build(LABELS)), "Name: Yes Signed below. A note in the margin");
}

#[test]
fn a_stamp_shows_what_its_appearance_draws_and_never_its_comment() {
    let mut b = Builder::new();
    let ap = b.appearance([0, 0, 100, 20], "BT /F1 14 Tf 2 4 Td (APPROVED) Tj ET");
    b.annots(vec![
        dictionary! {
            "Subtype" => "Stamp", "Rect" => rect([300, 650, 400, 670]), "AP" => dictionary! { "N" => ap },
            "Contents" => Object::string_literal("a reviewer's comment"),
        },
        // A stamp without an appearance draws nothing: its /Contents is a comment.
        dictionary! {
            "Subtype" => "Stamp", "Rect" => rect([300, 600, 400, 620]),
            "Contents" => Object::string_literal("another comment"),
        },
    ]);
    assert_eq!(text(&b.build(LABELS)), "Name: Signed below. APPROVED");
}

#[test]
fn appearances_spend_the_page_budget() {
    // One appearance drawing itself in a cycle stops, with a warning, like a cyclic form on the page.
    let mut b = Builder::new();
    let ap = b.appearance([0, 0, 200, 20], "BT /F1 10 Tf 2 6 Td (once) Tj ET /Me Do");
    if let Ok(Object::Stream(s)) = b.doc.get_object_mut(ap) {
        if let Ok(Object::Dictionary(resources)) = s.dict.get_mut(b"Resources") {
            resources.set("XObject", dictionary! { "Me" => ap });
        }
    }
    b.annots(vec![dictionary! { "Subtype" => "Widget", "Rect" => rect([72, 725, 272, 745]), "AP" => dictionary! { "N" => ap } }]);
    let doc = extract(&b.build(LABELS));
    assert!(doc.plain_text().contains("once"));
    assert!(doc.warnings.iter().any(|w| w.contains("cycle")), "{:?}", doc.warnings);
}

#[test]
fn an_indirect_filter_and_decode_parms_are_read() {
    let b = Builder::new();
    let mut doc = b.finish(Stream::new(dictionary! {}, Vec::new()));
    let raw = b"BT /F1 12 Tf 72 700 Td (Compressed and indirect) Tj ET".to_vec();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, &raw).expect("deflate");
    let data = z.finish().expect("deflate");
    let filter = doc.add_object(Object::Array(vec![Object::Name(b"FlateDecode".to_vec())]));
    let parms = doc.add_object(dictionary! { "Predictor" => 1 });
    let content =
        doc.add_object(Stream::new(dictionary! { "Filter" => filter, "DecodeParms" => parms }, data));
    let page_id = doc.page_iter().next().expect("a page");
    if let Ok(Object::Dictionary(page)) = doc.get_object_mut(page_id) {
        page.set("Contents", content);
    }
    assert_eq!(text(&save(doc)), "Compressed and indirect");
}

#[test]
fn a_bare_minus_and_an_operator_inside_tj_are_read_past() {
    let b = Builder::new();
    let pdf = b.build(
        "BT /F1 12 Tf 72 700 Td [(Alpha) - (Beta)] TJ ET BT /F1 12 Tf 72 680 Td [(Gamma) Tc (Delta)] TJ ET \
         BT /F1 12 Tf 72 660 Td (Epsilon) Tj ET",
    );
    assert_eq!(text(&pdf), "AlphaBeta GammaDelta Epsilon");
}

#[test]
fn a_page_that_shows_text_but_yields_none_says_so() {
    let b = Builder::new();
    let pdf = b.build("BT /Missing 12 Tf 72 700 Td (Lost text) Tj ET");
    let doc = extract(&pdf);
    assert_eq!(doc.plain_text().trim(), "");
    assert!(
        doc.warnings.iter().any(|w| w.starts_with("page 1:") && w.contains("yield no text")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn a_rotated_page_with_a_flipped_matrix_is_read() {
    // /Rotate 90 and a content drawn in a y-down system (the flip undone by the text matrix).
    let mut b = Builder::new();
    b.page.set("Rotate", 90);
    let pdf = b.build("1 0 0 -1 0 842 cm BT /F1 12 Tf 1 0 0 -1 72 100 Tm (Upright after all) Tj ET");
    assert_eq!(text(&pdf), "Upright after all");
}

fn filters(filter: Arc<dyn CryptFilter>) -> BTreeMap<Vec<u8>, Arc<dyn CryptFilter>> {
    BTreeMap::from([(b"StdCF".to_vec(), filter)])
}

/// The one-line document encrypted with `version` (user password "user", owner password "owner").
fn encrypted(make: impl FnOnce(&lopdf::Document) -> EncryptionState, inline: bool) -> Vec<u8> {
    let b = Builder::new();
    let mut doc =
        b.finish(Stream::new(dictionary! {}, b"BT /F1 12 Tf 72 700 Td (Secret text) Tj ET".to_vec()));
    let state = make(&doc);
    doc.encrypt(&state).expect("encrypt");
    if inline {
        let id = doc.trailer.get(b"Encrypt").and_then(Object::as_reference).expect("an /Encrypt reference");
        let dict = doc.objects.remove(&id).expect("the /Encrypt dictionary");
        doc.trailer.set("Encrypt", dict);
    }
    save(doc)
}

fn aes128(doc: &lopdf::Document) -> EncryptionState {
    EncryptionState::try_from(EncryptionVersion::V4 {
        document: doc,
        encrypt_metadata: true,
        crypt_filters: filters(Arc::new(Aes128CryptFilter)),
        stream_filter: b"StdCF".to_vec(),
        string_filter: b"StdCF".to_vec(),
        owner_password: "owner",
        user_password: "user",
        permissions: Permissions::all(),
    })
    .expect("V4 state")
}

fn aes256(revision: u8) -> impl FnOnce(&lopdf::Document) -> EncryptionState {
    move |_| {
        let key = [7u8; 32];
        let (crypt_filters, stream_filter, string_filter) =
            (filters(Arc::new(Aes256CryptFilter)), b"StdCF".to_vec(), b"StdCF".to_vec());
        #[allow(deprecated)]
        let version = if revision == 5 {
            EncryptionVersion::R5 {
                encrypt_metadata: true,
                crypt_filters,
                file_encryption_key: &key,
                stream_filter,
                string_filter,
                owner_password: "owner",
                user_password: "user",
                permissions: Permissions::all(),
            }
        } else {
            EncryptionVersion::V5 {
                encrypt_metadata: true,
                crypt_filters,
                file_encryption_key: &key,
                stream_filter,
                string_filter,
                owner_password: "owner",
                user_password: "user",
                permissions: Permissions::all(),
            }
        };
        EncryptionState::try_from(version).expect("AES-256 state")
    }
}

fn opens_with_user_and_owner_password(pdf: &[u8]) {
    for password in ["user", "owner"] {
        let doc = extract_with(pdf, Some(password)).unwrap_or_else(|e| panic!("{password}: {e}"));
        assert_eq!(doc.plain_text().trim(), "Secret text", "{password}");
    }
    assert!(matches!(extract_with(pdf, Some("wrong")), Err(Error::WrongPassword)));
    assert!(matches!(extract_with(pdf, None), Err(Error::PasswordRequired)));
}

#[test]
fn aes_128_opens_with_the_user_or_the_owner_password() {
    opens_with_user_and_owner_password(&encrypted(aes128, false));
}

#[test]
fn aes_256_revisions_5_and_6_open_with_the_user_or_the_owner_password() {
    opens_with_user_and_owner_password(&encrypted(aes256(5), false));
    opens_with_user_and_owner_password(&encrypted(aes256(6), false));
}

#[test]
fn a_direct_encrypt_dictionary_is_read() {
    opens_with_user_and_owner_password(&encrypted(aes128, true));
    opens_with_user_and_owner_password(&encrypted(aes256(6), true));
}

#[test]
fn only_pagination_artifacts_are_left_out() {
    let b = Builder::new();
    let pdf = b.build(
        "/Artifact BMC BT /F1 12 Tf 72 760 Td (Label:) Tj ET EMC \
         /Artifact <</Subtype /Footer>> BDC BT /F1 9 Tf 72 30 Td (Page 1 of 9) Tj ET EMC \
         BT /F1 12 Tf 72 700 Td (Body) Tj ET",
    );
    assert_eq!(text(&pdf), "Label: Body");
}

#[test]
fn turned_and_mirrored_matrices_on_a_rotated_page_keep_their_text() {
    for (content, expected) in [
        ("0 1 1 0 0 0 cm BT /F1 12 Tf 72 100 Td (Flipped swap) Tj ET", "Flipped swap"),
        ("0 1 -1 0 595 0 cm BT /F1 12 Tf 72 100 Td (Rotated ccw) Tj ET", "Rotated ccw"),
        ("0 -1 1 0 0 842 cm BT /F1 12 Tf 72 100 Td (Rotated cw) Tj ET", "Rotated cw"),
        ("-1 0 0 1 595 0 cm BT /F1 12 Tf 72 100 Td (Mirror x) Tj ET", "Mirror x"),
        ("1 0 0 -1 0 842 cm BT /F1 12 Tf 72 100 Td (Mirror y) Tj ET", "Mirror y"),
        ("BT /F1 12 Tf 0 -1 -1 0 100 700 Tm (Tm swap) Tj ET", "Tm swap"),
    ] {
        for rotate in [90, 180, 270, -90] {
            let mut b = Builder::new();
            b.page.set("Rotate", rotate);
            // A crop box away from the origin moves the page, never its text off it.
            b.page.set("CropBox", vec![10.into(), 20.into(), 585.into(), 832.into()]);
            assert_eq!(text(&b.build(content)), expected, "/Rotate {rotate}");
        }
    }
}

fn real(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/realworld/{name}", env!("CARGO_MANIFEST_DIR"))).expect("test file")
}

#[test]
fn real_files_forms_a_direct_encrypt_dictionary_and_indirect_filters() {
    let doc = extract_with(&real("issue6010_1.pdf"), Some("abc")).expect("the user password opens it");
    assert!(doc.plain_text().contains("Issue 6010"));
    let forms = text(&real("annotation-text-widget.pdf"));
    assert!(forms.contains("Single line, unlimited length"), "{forms}");
    assert!(forms.contains("Lorem ipsum dolor sit amet"), "{forms}");
    let filters = text(&real("issue-1062-filters.pdf"));
    assert!(filters.split_whitespace().count() > 300, "{filters}");
}

#[test]
fn a_content_stream_the_parser_gives_up_on_is_reported() {
    let b = Builder::new();
    let pdf = b.build("BT /F1 12 Tf 72 700 Td (Before) Tj ET } BT /F1 12 Tf 72 680 Td (After) Tj ET");
    let doc = extract(&pdf);
    assert!(doc.plain_text().contains("Before"));
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.starts_with("page 1:") && w.contains("syntax error after operation 5 of 10")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn when_the_form_needs_appearances_a_text_field_shows_its_value() {
    let mut b = Builder::new();
    // The stored appearance is stale (empty); the viewer would build it anew from /V.
    let ap = b.appearance([0, 0, 200, 20], "/Tx BMC EMC");
    let field = dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "Rect" => rect([72, 725, 272, 745]),
        "AP" => dictionary! { "N" => ap }, "V" => Object::string_literal("Cecilia"),
    };
    b.annots(vec![field]);
    let mut doc = b.finish(Stream::new(dictionary! {}, LABELS.as_bytes().to_vec()));
    let catalog = doc.trailer.get(b"Root").and_then(Object::as_reference).expect("catalog");
    if let Ok(Object::Dictionary(c)) = doc.get_object_mut(catalog) {
        c.set("AcroForm", dictionary! { "NeedAppearances" => true, "Fields" => Vec::<Object>::new() });
    }
    assert_eq!(text(&save(doc)), "Name: Cecilia Signed below.");
}

#[test]
fn annotations_past_the_page_cap_are_skipped_with_a_warning() {
    let mut b = Builder::new();
    let widgets = (0..10_050)
        .map(|i| {
            let y = 20 + (i % 700);
            dictionary! {
                "Subtype" => "Widget", "FT" => "Tx", "Rect" => rect([72, y, 90, y + 1]),
                "V" => Object::string_literal("x"),
            }
        })
        .collect();
    b.annots(widgets);
    let doc = extract(&b.build(LABELS));
    assert!(
        doc.warnings.iter().any(|w| w.contains("50 annotations past the first 10000")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn an_appearance_without_resources_uses_the_forms_default_resources() {
    let mut b = Builder::new();
    let ap = b.doc.add_object(Stream::new(
        dictionary! { "Subtype" => "Form", "BBox" => rect([0, 0, 200, 20]) },
        b"BT /Helv 10 Tf 2 6 Td (From DR) Tj ET".to_vec(),
    ));
    b.annots(vec![dictionary! {
        "Subtype" => "Widget", "FT" => "Tx", "Rect" => rect([72, 725, 272, 745]), "AP" => dictionary! { "N" => ap },
    }]);
    let font = b.font;
    let mut doc = b.finish(Stream::new(dictionary! {}, LABELS.as_bytes().to_vec()));
    let catalog = doc.trailer.get(b"Root").and_then(Object::as_reference).expect("catalog");
    if let Ok(Object::Dictionary(c)) = doc.get_object_mut(catalog) {
        c.set("AcroForm", dictionary! { "DR" => dictionary! { "Font" => dictionary! { "Helv" => font } } });
    }
    assert_eq!(text(&save(doc)), "Name: From DR Signed below.");
}

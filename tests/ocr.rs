//! End-to-end tests of OCR: scanned (image-only) PDFs read through Tesseract and the same layout and
//! segmentation as text PDFs; and what arkiv does when the engine is missing or OCR is turned off.
//!
//! The tests that need Tesseract with its Swedish model say so and pass without it, unless
//! `ARKIV_REQUIRE_TESSERACT` is set (as `.ci/run` sets it, after installing Debian's `tesseract-ocr`
//! and `tesseract-ocr-swe`).

mod common;

use std::process::Command;

use common::{arkiv, data, read, root, stderr, stdout, word_error_rate};

/// Whether Tesseract with the Swedish model is installed; panics when it must be and is not.
fn tesseract(test: &str) -> bool {
    let swe = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "swe"));
    if !swe {
        assert!(
            std::env::var_os("ARKIV_REQUIRE_TESSERACT").is_none(),
            "ARKIV_REQUIRE_TESSERACT is set but tesseract with the swe model is not installed"
        );
        eprintln!("{test}: no tesseract with the swe model; skipped (apt-get install tesseract-ocr tesseract-ocr-swe)");
    }
    swe
}

fn scanned(rel: &str) -> String {
    data(&format!("scanned/{rel}")).to_str().expect("utf-8 path").to_string()
}

/// The first page of the circular's truth: what `bad/scanned-image-only.pdf` shows.
fn circular_words() -> Vec<&'static str> {
    vec![
        "SKL",
        "erbjuder",
        "startpaket",
        "för",
        "jämställdhetsintegrering",
        "Torbjörn",
        "Messing",
        "2012-04-04",
    ]
}

#[test]
fn an_image_only_page_gives_its_text_and_says_it_was_read_by_ocr() {
    if !tesseract("an_image_only_page_gives_its_text_and_says_it_was_read_by_ocr") {
        return;
    }
    let path = data("bad/scanned-image-only.pdf");
    let out = arkiv(&["extract", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (text, err) = (stdout(&out), stderr(&out));
    for word in circular_words() {
        assert!(text.split_whitespace().any(|w| w.contains(word)), "{word} missing: {text}");
    }
    assert!(err.contains("page 1 read by OCR (tesseract") && err.contains(", swe)"), "{err}");
    assert!(!err.contains("needs OCR"), "{err}");
}

#[test]
fn records_of_ocr_pages_carry_the_engine_and_confidence() {
    if !tesseract("records_of_ocr_pages_carry_the_engine_and_confidence") {
        return;
    }
    let path = data("bad/scanned-image-only.pdf");
    let out = arkiv(&["parse", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let records: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    let doc = &records[0];
    assert_eq!(doc["kind"], "document", "{doc}");
    assert_eq!(doc["needs_ocr"], false, "{doc}");
    assert_eq!(doc["ocr"]["pages"][0]["page"], 1, "{doc}");
    assert!(doc["ocr"]["engine"].as_str().is_some_and(|e| e.starts_with("tesseract ")), "{doc}");
    let confidence = doc["ocr"]["pages"][0]["mean_confidence"].as_f64().unwrap_or(0.0);
    assert!(confidence > 70.0, "{doc}");
    let sections: Vec<&serde_json::Value> = records.iter().filter(|r| r["kind"] == "section").collect();
    assert!(!sections.is_empty(), "the scan's sections are found");
    for r in &records[1..] {
        assert_eq!(r["source"]["ocr"], true, "{r}");
        assert!(r["source"]["ocr_confidence"].as_f64().is_some_and(|c| c > 70.0), "{r}");
    }
}

#[test]
fn without_the_engine_or_with_ocr_off_a_scan_is_flagged_as_before() {
    let path = data("bad/scanned-image-only.pdf");
    let path = path.to_str().unwrap();
    let off = arkiv(&["extract", "--ocr", "never", path]);
    assert!(off.status.success());
    assert!(stdout(&off).trim().is_empty());
    assert!(stderr(&off).contains("needs OCR"), "{}", stderr(&off));
    assert!(!stderr(&off).contains("apt-get install"), "no hint when OCR is turned off");

    let missing = Command::new(env!("CARGO_BIN_EXE_arkiv"))
        .current_dir(root())
        .env("ARKIV_TESSERACT", "/nonexistent/tesseract")
        .args(["extract", path])
        .output()
        .expect("arkiv runs");
    assert!(missing.status.success());
    let err = stderr(&missing);
    assert!(err.contains("needs OCR"), "{err}");
    assert_eq!(err.matches("apt-get install tesseract-ocr tesseract-ocr-swe").count(), 1, "{err}");
}

#[test]
fn a_page_with_a_good_text_layer_is_never_read_by_ocr() {
    // The fixtures have text layers (and, in the report, images): nothing is OCR'd whatever the engine.
    let out = arkiv(&["extract", "fixtures/resultatrapport-2018.pdf"]);
    assert!(out.status.success());
    assert!(!stderr(&out).contains("read by OCR"), "{}", stderr(&out));
}

/// A page-sized scan under a thin text layer (a date, `2021 3 31`) that Tesseract misreads: the
/// reading is not confident enough to replace the page's own text, and the user is told; `--ocr
/// always` still gives the reading that was asked for.
#[test]
fn a_poor_ocr_reading_does_not_replace_a_thin_text_layer() {
    if !tesseract("a_poor_ocr_reading_does_not_replace_a_thin_text_layer") {
        return;
    }
    let path = data("realworld/malformed-from-issue-932.pdf");
    let out = arkiv(&["extract", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let words: Vec<String> = stdout(&out).split_whitespace().map(str::to_string).collect();
    assert_eq!(words, ["2021", "3", "31"], "{}", stderr(&out));
    assert!(stderr(&out).contains("page 1: OCR read the scan at a mean confidence of"), "{}", stderr(&out));
    assert!(stderr(&out).contains("the page's own text is kept"), "{}", stderr(&out));
    let always = arkiv(&["extract", "--ocr", "always", path.to_str().unwrap()]);
    assert!(always.status.success(), "{}", stderr(&always));
    assert!(stderr(&always).contains("page 1 read by OCR"), "{}", stderr(&always));
    assert!(!stderr(&always).contains("own text is kept"), "{}", stderr(&always));
}

/// Clean scans (300 dpi, straight) and degraded ones (200 dpi, skewed about 1°, JPEG quality 50,
/// noise, page 2 fed sideways) read close to their truth. The degraded circular's ruled header table
/// turns into noise words (plain Tesseract: WER 0.163), so its bound is looser.
#[test]
fn scans_read_close_to_the_truth() {
    if !tesseract("scans_read_close_to_the_truth") {
        return;
    }
    for (quality, producer, name, bound) in [
        ("clean", "libreoffice", "cirkular-12-13-2012", 0.03),
        ("clean", "latex", "webb-2021-jamstalldhet", 0.02),
        ("degraded", "libreoffice", "webb-2021-jamstalldhet", 0.02),
        ("degraded", "latex", "cirkular-12-13-2012", 0.03),
        ("degraded", "libreoffice", "cirkular-12-13-2012", 0.13),
    ] {
        let truth = read(&data(&format!("scanned/{quality}/truth/{name}.txt")));
        let out = arkiv(&["extract", &scanned(&format!("{quality}/pdf/{producer}/{name}.pdf"))]);
        assert!(out.status.success(), "{quality}/{producer}/{name}: {}", stderr(&out));
        let wer = word_error_rate(&truth, &stdout(&out));
        assert!(wer <= bound, "{quality}/{producer}/{name}: WER {wer:.4} > {bound}");
    }
}

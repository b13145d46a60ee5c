//! OCR of page images: Tesseract with the Swedish model, its words handed on as glyphs, so that the
//! layout and clean-up stages (lines, blocks, reading order, furniture, hyphenation) treat a scanned
//! page like any other.
//!
//! Tesseract runs as a command (`tesseract stdin stdout -l swe --dpi N tsv`), one process per page
//! image, limited to one thread (`OMP_THREAD_LIMIT=1`) so that pages in parallel use the cores. The
//! command rather than a binding crate: arkiv then builds with no C++ library, headers or bindgen;
//! loading the model costs about 0.1 s per page beside 1–3 s of recognition; and an engine that
//! crashes or hangs on an image is a child process to kill at the file's deadline, not the batch.
//!
//! An image below 300 dpi on the page is scaled up to it (Tesseract's accuracy falls off below). A
//! page fed sideways into the scanner is found by Tesseract's orientation detection when the first
//! reading is poor, turned and read again; skew of a few degrees is measured from the words' lines
//! and given to the layout stage as each glyph's skew.
//!
//! This module decides nothing about which pages need OCR (the format readers do, by [`OcrMode`]) and
//! never reads PDF objects: it is given a decoded image and where that image lies on the page.

pub mod bitmap;
mod words;

use std::borrow::Cow;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use bitmap::GrayImage;

use crate::extract::layout::{Affine, Glyph};

/// When pages are read by OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Pages with images and no usable text layer (no text, or mostly unmapped glyphs).
    #[default]
    Auto,
    /// Every page with an image, its text layer replaced by what OCR reads.
    Always,
    /// None: pages without text are only flagged (`needs_ocr`).
    Never,
}

impl FromStr for OcrMode {
    type Err = String;

    fn from_str(s: &str) -> Result<OcrMode, String> {
        match s {
            "auto" => Ok(OcrMode::Auto),
            "always" => Ok(OcrMode::Always),
            "never" => Ok(OcrMode::Never),
            other => Err(format!("unknown OCR mode {other:?}: use auto, always or never")),
        }
    }
}

/// The installed OCR engine and model, as records name them.
#[derive(Debug, Clone, PartialEq)]
pub struct Engine {
    program: String,
    /// "tesseract 5.3.0".
    pub version: String,
    /// The language model, "swe".
    pub model: String,
    /// Tesseract's orientation model is installed.
    orientation: bool,
}

/// What to tell a user whose machine has no Tesseract.
pub const INSTALL_HINT: &str = "scanned pages are not read: Tesseract with its Swedish model is not \
    installed (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-swe)";

/// The language model asked for.
const MODEL: &str = "swe";

impl Engine {
    /// The engine on this machine, looked up once per process: `tesseract` on the PATH, or the program
    /// `ARKIV_TESSERACT` names. `None` when it cannot be run or lacks the Swedish model.
    pub fn installed() -> Option<&'static Engine> {
        static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
        ENGINE
            .get_or_init(|| {
                let program = std::env::var("ARKIV_TESSERACT").unwrap_or_else(|_| "tesseract".into());
                Engine::probe(&program)
            })
            .as_ref()
    }

    fn probe(program: &str) -> Option<Engine> {
        let output = |arg: &str| {
            let out = Command::new(program).arg(arg).stdin(Stdio::null()).output().ok()?;
            // Tesseract 4 prints its version on stderr, 5 on stdout.
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            out.status.success().then_some(text)
        };
        let version = output("--version")?.lines().next()?.trim().to_string();
        let langs = output("--list-langs")?;
        let has = |name: &str| langs.lines().any(|l| l.trim() == name);
        has(MODEL).then(|| Engine {
            program: program.to_string(),
            version,
            model: MODEL.to_string(),
            orientation: has("osd"),
        })
    }

    /// "tesseract 5.3.0, swe".
    pub fn describe(&self) -> String {
        format!("{}, {}", self.version, self.model)
    }
}

/// What OCR of one image gave.
#[derive(Debug, Default)]
pub struct Recognised {
    pub glyphs: Vec<Glyph>,
    pub words: usize,
    /// Sum of the words' confidences (0–100 each).
    pub confidence_sum: f64,
}

impl Recognised {
    /// The mean of the words' confidences, 0 without words.
    pub fn mean_confidence(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.confidence_sum / self.words as f64
        }
    }
}

/// Why an image gave no words.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OcrError {
    #[error("OCR did not finish before the file's time limit")]
    Timeout,
    #[error("the OCR engine failed: {0}")]
    Engine(String),
}

/// The resolution Tesseract reads best at; smaller images are scaled up to it.
const TARGET_DPI: f32 = 300.0;
/// Scaling up beyond this adds no detail.
const MAX_UPSCALE: f32 = 4.0;
/// The largest image handed to the engine (an A3 page at 400 dpi is 31 million).
const MAX_ENGINE_PIXELS: f32 = 60.0e6;
/// A first reading with no words, or a lower mean confidence than this, is tried turned (a short page
/// read with confidence is not: its few words are all there is).
const POOR_CONFIDENCE: f64 = 60.0;
/// The engine's output beyond this is not read (a page's TSV is some 100 KiB).
const MAX_OUTPUT_BYTES: u64 = 32 << 20;

/// Read the text of `image`, which the page draws by `placement`: the map from the image's unit
/// square ((0, 0) its lower left corner, as PDF places images) to page output space in points.
/// Stops at `deadline`.
pub fn recognise(
    engine: &Engine,
    image: &GrayImage,
    placement: &Affine,
    deadline: Option<Instant>,
) -> Result<Recognised, OcrError> {
    let (w, h) = (image.width as f32, image.height as f32);
    let pixel_to_page = Affine([1.0 / w, 0.0, 0.0, -1.0 / h, 0.0, 1.0]).then(placement);
    // The image's resolution on the page, from how long its top edge is drawn.
    let (x0, y0) = pixel_to_page.apply(0.0, 0.0);
    let (x1, y1) = pixel_to_page.apply(w, 0.0);
    let inches = (x1 - x0).hypot(y1 - y0) / 72.0;
    let dpi = if inches > 0.0 { w / inches } else { TARGET_DPI };
    let mut factor = (TARGET_DPI / dpi).clamp(1.0, MAX_UPSCALE);
    factor = factor.min((MAX_ENGINE_PIXELS / (w * h)).sqrt()).max(f32::MIN_POSITIVE);
    // A page image is megabytes: it is copied only to scale or turn it.
    let scaled = if factor > 1.02 { Cow::Owned(image.scaled(factor)) } else { Cow::Borrowed(image) };
    let factor = scaled.width as f32 / w;
    let engine_dpi = (dpi * factor).round().clamp(70.0, 2400.0) as u32;
    let read = |quarters: u8| -> Result<(Recognised, bool), OcrError> {
        let turned = if quarters.is_multiple_of(4) {
            Cow::Borrowed(&*scaled)
        } else {
            Cow::Owned(scaled.turned(quarters))
        };
        let tsv = engine.run(&["--psm", "3", "tsv"], &turned, engine_dpi, deadline)?;
        let (sw, sh) = (scaled.width as f32, scaled.height as f32);
        // From the turned image's pixels back to the scaled image's, then to the original's.
        let unturn = match quarters % 4 {
            1 => Affine([0.0, -1.0, 1.0, 0.0, 0.0, sh]),
            2 => Affine([-1.0, 0.0, 0.0, -1.0, sw, sh]),
            3 => Affine([0.0, 1.0, -1.0, 0.0, sw, 0.0]),
            _ => Affine([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
        };
        let to_page =
            unturn.then(&Affine([1.0 / factor, 0.0, 0.0, 1.0 / factor, 0.0, 0.0])).then(&pixel_to_page);
        let words = words::parse_tsv(&tsv);
        let sideways = words::sideways(&words);
        let (glyphs, words, confidence_sum) = words::glyphs(&words, &turned, &to_page);
        Ok((Recognised { glyphs, words, confidence_sum }, sideways))
    };
    let (first, sideways) = read(0)?;
    let poor = first.words == 0 || first.mean_confidence() < POOR_CONFIDENCE;
    // Tesseract reads a page fed sideways, but its word boxes then stand upright across the lines:
    // the page must be turned for the words to lie on lines.
    if !engine.orientation || !(poor || sideways) {
        return Ok(first);
    }
    let osd = match engine.run(&["--psm", "0", "-l", "osd"], &scaled, engine_dpi, deadline) {
        Ok(osd) => osd,
        // Too little text to tell the orientation: the first reading stands.
        Err(OcrError::Engine(_)) => return Ok(first),
        Err(e) => return Err(e),
    };
    let detected = turn_from_osd(&osd).filter(|q| q % 4 != 0);
    // Detection reads the turn clockwise; should the page read no better so, the other way.
    let turns: &[u8] = match detected {
        Some(2) => &[2],
        Some(1) => &[1, 3],
        Some(_) => &[3, 1],
        None if sideways => &[1, 3],
        None => &[],
    };
    for &quarters in turns {
        let (turned, still_sideways) = read(quarters)?;
        // A sideways reading keeps its words, but a turned one that lies on lines is better at equal words.
        if !still_sideways && (sideways || turned.confidence_sum > first.confidence_sum) {
            return Ok(turned);
        }
    }
    Ok(first)
}

/// The clockwise quarter turns Tesseract's orientation detection says make the page upright
/// (its "Rotate: 90" line).
fn turn_from_osd(osd: &str) -> Option<u8> {
    let degrees: u32 = osd.lines().find_map(|l| l.strip_prefix("Rotate:"))?.trim().parse().ok()?;
    degrees.is_multiple_of(90).then_some(((degrees / 90) % 4) as u8)
}

impl Engine {
    /// Run the engine on `image` with `args` after the input and output names, and return what it
    /// writes; it is killed at `deadline`.
    fn run(
        &self,
        args: &[&str],
        image: &GrayImage,
        dpi: u32,
        deadline: Option<Instant>,
    ) -> Result<String, OcrError> {
        let dpi = dpi.to_string();
        let mut command = Command::new(&self.program);
        command.args(["stdin", "stdout", "--dpi", &dpi]);
        if !args.contains(&"-l") {
            command.args(["-l", &self.model]);
        }
        command.args(args).env("OMP_THREAD_LIMIT", "1");
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| OcrError::Engine(format!("cannot start {}: {e}", self.program)))?;
        let (Some(mut stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(OcrError::Engine("no pipes to the engine".into()));
        };
        let header = image.pgm_header();
        let (status, out, err) = std::thread::scope(|scope| {
            // Writing and reading on threads of their own: the engine reads all input before it
            // writes, but a pipe holds only 64 KiB either way.
            scope.spawn(move || {
                let _ = stdin.write_all(&header).and_then(|()| stdin.write_all(&image.pixels));
            });
            let out = scope.spawn(move || read_bounded(stdout));
            let err = scope.spawn(move || read_bounded(stderr));
            let status = wait_until(&mut child, deadline);
            // The readers are arkiv's code: a panic in them is a bug to be seen, not an empty output.
            let joined = |handle: std::thread::ScopedJoinHandle<'_, Vec<u8>>| {
                handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            };
            (status, joined(out), joined(err))
        });
        let status = status?;
        if !status.success() {
            let reason = String::from_utf8_lossy(&err);
            let reason = reason.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
            return Err(OcrError::Engine(format!("{status}: {}", reason.trim())));
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

fn read_bounded(pipe: impl Read) -> Vec<u8> {
    let mut pipe = pipe;
    let mut out = Vec::new();
    let _ = (&mut pipe).take(MAX_OUTPUT_BYTES).read_to_end(&mut out);
    // Drain the rest so that the engine is never blocked writing.
    let _ = std::io::copy(&mut pipe, &mut std::io::sink());
    out
}

/// Wait for the child, killing it once `deadline` has passed.
fn wait_until(
    child: &mut std::process::Child,
    deadline: Option<Instant>,
) -> Result<std::process::ExitStatus, OcrError> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) => {}
            Err(e) => return Err(OcrError::Engine(e.to_string())),
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(OcrError::Timeout);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_from_their_names() {
        assert_eq!("auto".parse(), Ok(OcrMode::Auto));
        assert_eq!("always".parse(), Ok(OcrMode::Always));
        assert_eq!("never".parse(), Ok(OcrMode::Never));
        assert!("sometimes".parse::<OcrMode>().is_err());
        assert_eq!(OcrMode::default(), OcrMode::Auto);
    }

    #[test]
    fn orientation_is_read_from_the_rotate_line() {
        let osd = "Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 5.1\n";
        assert_eq!(turn_from_osd(osd), Some(1));
        assert_eq!(turn_from_osd("Rotate: 180\n"), Some(2));
        assert_eq!(turn_from_osd("Rotate: 0\n"), Some(0));
        assert_eq!(turn_from_osd("Too few characters. Skipping this page\n"), None);
    }

    #[test]
    fn a_missing_engine_is_none() {
        assert!(Engine::probe("/nonexistent/tesseract").is_none());
    }
}

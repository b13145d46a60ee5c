//! Page images for OCR: an image XObject's samples decoded to grey, within a pixel budget.
//!
//! JPEG (`DCTDecode`) through `zune-jpeg` and CCITT fax (`CCITTFaxDecode`) through `hayro-ccitt`, both
//! maintained pure-Rust decoders; anything lopdf inflates (Flate, LZW, run length) as raw samples of
//! 1–16 bits in grey, RGB, CMYK, ICC-based, indexed or separation colour, and image masks. JBIG2 and
//! JPEG 2000 are not decoded: such a page is reported, not guessed at.
//!
//! Nothing here interprets content or decides which pages need OCR; the interpreter says which images
//! a page draws and where ([`PlacedImage`]).

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::budget::Budget;
use super::interp::Matrix;
use super::objects::{decoded, deref, dict_get, number};
use crate::extract::ocr::GrayImage;

/// An image XObject a page draws, and where.
#[derive(Debug, Clone)]
pub(crate) struct PlacedImage {
    pub id: ObjectId,
    /// Image space (the unit square) → page output space.
    pub ctm: Matrix,
    /// The image's `/ColorSpace` when it names one of the resources' colour spaces, resolved where
    /// the image was drawn (the image's own dictionary cannot say which resources it was drawn with).
    pub colorspace: Option<Object>,
}

/// The largest image decoded (a 600 dpi A3 scan is 70 million pixels).
const MAX_IMAGE_PIXELS: usize = 100_000_000;

/// The image's samples as grey, 0 black.
pub(crate) fn decode(doc: &Document, placed: &PlacedImage, budget: &Budget) -> Result<GrayImage, String> {
    let Ok(Object::Stream(stream)) = doc.get_object(placed.id) else {
        return Err("the image is not a stream".into());
    };
    let dict = &stream.dict;
    let int = |key: &[u8]| dict_get(doc, dict, key).and_then(number).map(|n| n as i64);
    let (Some(width), Some(height)) = (int(b"Width"), int(b"Height")) else {
        return Err("the image has no /Width or /Height".into());
    };
    let (width, height) = (usize::try_from(width).unwrap_or(0), usize::try_from(height).unwrap_or(0));
    let pixels = width.saturating_mul(height);
    if width == 0 || height == 0 || pixels > MAX_IMAGE_PIXELS {
        return Err(format!("the image's size {width}×{height} is outside what OCR reads"));
    }
    budget.spend_decoded(pixels).map_err(|_| "over the file's decompression budget".to_string())?;
    let filters = filter_names(doc, dict);
    let params = decode_parms(doc, dict);
    let mask = matches!(dict_get(doc, dict, b"ImageMask"), Some(Object::Boolean(true)));
    let inverted = dict_get(doc, dict, b"Decode")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| Some((number(a.first()?)?, number(a.get(1)?)?)))
        .is_some_and(|(d0, d1)| d0 > d1);
    let gray = match filters.last().map(Vec::as_slice) {
        Some(b"DCTDecode" | b"DCT") => jpeg(&codec_input(stream, &filters, budget)?, width, height)?,
        Some(b"CCITTFaxDecode" | b"CCF") => {
            let bits = ccitt(&codec_input(stream, &filters, budget)?, width, height, params)?;
            // Samples of a one-bit image: 0 black, unless the decode array turns it round.
            bits.into_iter().map(|b| if (b == 1) != inverted { 255 } else { 0 }).collect()
        }
        Some(b"JBIG2Decode") => return Err("JBIG2 images are not decoded".into()),
        Some(b"JPXDecode") => return Err("JPEG 2000 images are not decoded".into()),
        _ => {
            let data = decoded(stream, budget).map_err(|e| format!("the image cannot be decoded ({e})"))?;
            let space = if mask {
                Space::Gray
            } else {
                let object = placed.colorspace.as_ref().or_else(|| dict_get(doc, dict, b"ColorSpace"));
                object.map_or(Space::Gray, |o| Space::of(doc, o))
            };
            let bits = if mask { 1 } else { int(b"BitsPerComponent").unwrap_or(8) };
            raw(&data, width, height, bits, &space, inverted)?
        }
    };
    GrayImage::new(width, height, gray).ok_or_else(|| "the image has fewer samples than its size".into())
}

/// The colour space an image's `/ColorSpace` names in `resources`, when it names one there.
pub(crate) fn named_colorspace(
    doc: &Document,
    resources: Option<&Dictionary>,
    image: &Dictionary,
) -> Option<Object> {
    let name = image.get(b"ColorSpace").ok()?.as_name().ok()?;
    let spaces = dict_get(doc, resources?, b"ColorSpace")?.as_dict().ok()?;
    dict_get(doc, spaces, name).cloned()
}

/// The data an image codec reads: the stream's bytes with every filter before the last one undone
/// (`[/ASCII85Decode /DCTDecode]`, as ReportLab writes).
fn codec_input<'a>(
    stream: &'a lopdf::Stream,
    filters: &[Vec<u8>],
    budget: &Budget,
) -> Result<std::borrow::Cow<'a, [u8]>, String> {
    if filters.len() <= 1 {
        return Ok(std::borrow::Cow::Borrowed(&stream.content));
    }
    let mut dict = stream.dict.clone();
    let leading = filters[..filters.len() - 1].iter().map(|f| Object::Name(f.clone())).collect();
    dict.set("Filter", Object::Array(leading));
    dict.remove(b"DecodeParms");
    let outer = lopdf::Stream::new(dict, stream.content.clone());
    let data = decoded(&outer, budget).map_err(|e| format!("the image cannot be decoded ({e})"))?;
    Ok(std::borrow::Cow::Owned(data))
}

fn filter_names(doc: &Document, dict: &Dictionary) -> Vec<Vec<u8>> {
    match dict_get(doc, dict, b"Filter") {
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(items)) => {
            items.iter().filter_map(|i| deref(doc, i).as_name().ok()).map(<[u8]>::to_vec).collect()
        }
        _ => Vec::new(),
    }
}

/// The last filter's `/DecodeParms`.
fn decode_parms<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    match dict_get(doc, dict, b"DecodeParms")? {
        Object::Dictionary(d) => Some(d),
        Object::Array(items) => items.last().map(|i| deref(doc, i)).and_then(|o| o.as_dict().ok()),
        _ => None,
    }
}

fn jpeg(data: &[u8], width: usize, height: usize) -> Result<Vec<u8>, String> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(width.max(1))
        .set_max_height(height.max(1));
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(data), options);
    let pixels = decoder.decode().map_err(|e| format!("the JPEG image cannot be decoded ({e:?})"))?;
    let info = decoder.info().ok_or("the JPEG image has no header")?;
    if (info.width as usize, info.height as usize) != (width, height) || pixels.len() != width * height {
        return Err("the JPEG image's size differs from its dictionary's".into());
    }
    Ok(pixels)
}

/// One-bit samples (0 or 1 per pixel) of a CCITT fax image.
fn ccitt(data: &[u8], width: usize, height: usize, params: Option<&Dictionary>) -> Result<Vec<u8>, String> {
    use hayro_ccitt::{DecodeSettings, DecoderContext, EncodingMode};
    let get = |key: &[u8]| params.and_then(|p| p.get(key).ok());
    let flag = |key: &[u8], default: bool| match get(key) {
        Some(Object::Boolean(b)) => *b,
        _ => default,
    };
    let k = get(b"K").and_then(number).unwrap_or(0.0);
    let columns = get(b"Columns").and_then(number).map_or(1728, |c| c as usize);
    if columns != width {
        return Err(format!("the fax image's /Columns {columns} differ from its /Width {width}"));
    }
    let settings = DecodeSettings {
        columns: width as u32,
        rows: height as u32,
        end_of_block: flag(b"EndOfBlock", true),
        end_of_line: flag(b"EndOfLine", false),
        rows_are_byte_aligned: flag(b"EncodedByteAlign", false),
        encoding: if k < 0.0 {
            EncodingMode::Group4
        } else if k > 0.0 {
            EncodingMode::Group3_2D
        } else {
            EncodingMode::Group3_1D
        },
        strict: false,
    };
    let black = u8::from(flag(b"BlackIs1", false));
    struct Rows {
        width: usize,
        height: usize,
        black: u8,
        bits: Vec<u8>,
    }
    impl hayro_ccitt::Decoder for Rows {
        fn push_row(&mut self, changes: &[u32]) {
            if self.bits.len() >= self.width * self.height {
                return;
            }
            let start = self.bits.len();
            self.bits.resize(start + self.width, 1 - self.black);
            let row = &mut self.bits[start..];
            // Each row starts white; from every odd change to the next even one it is black.
            for span in changes.chunks(2) {
                let from = (span[0] as usize).min(self.width);
                let to = span.get(1).map_or(self.width, |&t| (t as usize).min(self.width));
                row[from..to.max(from)].fill(self.black);
            }
        }
    }
    let mut rows = Rows { width, height, black, bits: Vec::with_capacity(width * height) };
    let mut context = DecoderContext::new(settings);
    let result = hayro_ccitt::decode(data, &mut rows, &mut context);
    if rows.bits.is_empty() {
        return Err(format!("the fax image cannot be decoded ({result:?})"));
    }
    // A truncated image keeps the rows it has; the rest is white paper.
    rows.bits.resize(width * height, 1 - black);
    Ok(rows.bits)
}

/// A colour space, as far as turning samples to grey needs it.
#[derive(Debug, Clone, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// Inks (Separation, DeviceN): full tint is black.
    Ink(usize),
    /// A palette of grey values.
    Indexed(Vec<u8>),
}

impl Space {
    fn of(doc: &Document, object: &Object) -> Space {
        Space::bounded(doc, object, 0)
    }

    fn bounded(doc: &Document, object: &Object, depth: u8) -> Space {
        let by_count = |n: usize| match n {
            3 => Space::Rgb,
            4 => Space::Cmyk,
            _ => Space::Gray,
        };
        match deref(doc, object) {
            Object::Name(n) => match n.as_slice() {
                b"DeviceRGB" | b"RGB" | b"CalRGB" | b"Lab" => Space::Rgb,
                b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
                _ => Space::Gray,
            },
            Object::Array(items) if depth < 4 => {
                let family = items.first().and_then(|o| deref(doc, o).as_name().ok()).unwrap_or(b"");
                match family {
                    b"ICCBased" => {
                        let n = items.get(1).map(|o| deref(doc, o)).and_then(|o| o.as_stream().ok());
                        by_count(
                            n.and_then(|s| s.dict.get(b"N").ok()).and_then(number).unwrap_or(1.0) as usize
                        )
                    }
                    b"CalRGB" | b"Lab" => Space::Rgb,
                    b"Separation" => Space::Ink(1),
                    b"DeviceN" => Space::Ink(
                        items
                            .get(1)
                            .and_then(|o| deref(doc, o).as_array().ok())
                            .map_or(1, |a| a.len().max(1)),
                    ),
                    b"Indexed" | b"I" => {
                        let base = items.get(1).map_or(Space::Rgb, |b| Space::bounded(doc, b, depth + 1));
                        let table: Vec<u8> = match items.get(3).map(|o| deref(doc, o)) {
                            Some(Object::String(bytes, _)) => bytes.clone(),
                            Some(Object::Stream(s)) => {
                                s.decompressed_content().unwrap_or_else(|_| s.content.clone())
                            }
                            _ => Vec::new(),
                        };
                        let step = base.components();
                        Space::Indexed(table.chunks_exact(step).map(|c| base.gray(c)).collect())
                    }
                    _ => Space::Gray,
                }
            }
            _ => Space::Gray,
        }
    }

    fn components(&self) -> usize {
        match self {
            Space::Gray | Space::Indexed(_) => 1,
            Space::Rgb => 3,
            Space::Cmyk => 4,
            Space::Ink(n) => *n,
        }
    }

    /// One pixel's 8-bit components as grey.
    fn gray(&self, c: &[u8]) -> u8 {
        let f = |i: usize| f32::from(c.get(i).copied().unwrap_or(0));
        match self {
            Space::Gray => c.first().copied().unwrap_or(255),
            Space::Rgb => (0.299 * f(0) + 0.587 * f(1) + 0.114 * f(2)).round() as u8,
            Space::Cmyk => (255.0 - (0.3 * f(0) + 0.59 * f(1) + 0.11 * f(2) + f(3)).min(255.0)).round() as u8,
            Space::Ink(_) => 255 - c.iter().copied().max().unwrap_or(0),
            Space::Indexed(palette) => {
                palette.get(usize::from(c.first().copied().unwrap_or(0))).copied().unwrap_or(255)
            }
        }
    }
}

/// Raw samples (rows padded to whole bytes) to grey.
fn raw(
    data: &[u8],
    width: usize,
    height: usize,
    bits: i64,
    space: &Space,
    inverted: bool,
) -> Result<Vec<u8>, String> {
    let bits = match bits {
        1 | 2 | 4 | 8 | 16 => bits as usize,
        other => return Err(format!("{other} bits per component is not a valid image depth")),
    };
    let components = space.components();
    let row_bytes = (width * components * bits).div_ceil(8);
    if data.len() < row_bytes * height {
        return Err(format!(
            "the image has {} bytes of samples where its size needs {}",
            data.len(),
            row_bytes * height
        ));
    }
    let max = ((1u32 << bits) - 1) as f32;
    let indexed = matches!(space, Space::Indexed(_));
    let mut out = Vec::with_capacity(width * height);
    let mut pixel = vec![0u8; components];
    for row in data.chunks_exact(row_bytes).take(height) {
        for x in 0..width {
            for (c, value) in pixel.iter_mut().enumerate() {
                let i = x * components + c;
                let sample = match bits {
                    16 => u32::from(row[2 * i]) << 8 | u32::from(row[2 * i + 1]),
                    8 => u32::from(row[i]),
                    _ => {
                        let bit = i * bits;
                        u32::from(row[bit / 8] >> (8 - bits - bit % 8)) & ((1 << bits) - 1)
                    }
                };
                let sample = if inverted && !indexed { max as u32 - sample } else { sample };
                // An index stays an index; other samples scale to 8 bits.
                *value =
                    if indexed { sample.min(255) as u8 } else { (sample as f32 * 255.0 / max).round() as u8 };
            }
            out.push(space.gray(&pixel));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bit_grey_rows_are_padded_to_bytes_and_the_decode_array_inverts() {
        // 10 pixels a row: 1111100000 then 0000011111, each row two bytes.
        let data = [0b1111_1000, 0b0000_0000, 0b0000_0111, 0b1100_0000];
        let plain = raw(&data, 10, 2, 1, &Space::Gray, false).expect("decodes");
        assert_eq!(&plain[..10], &[255, 255, 255, 255, 255, 0, 0, 0, 0, 0]);
        assert_eq!(&plain[10..], &[0, 0, 0, 0, 0, 255, 255, 255, 255, 255]);
        let inverted = raw(&data, 10, 2, 1, &Space::Gray, true).expect("decodes");
        assert_eq!(&inverted[..5], &[0, 0, 0, 0, 0]);
    }

    #[test]
    fn colour_samples_turn_to_grey_by_their_space() {
        let rgb = raw(&[255, 255, 255, 0, 0, 0, 255, 0, 0], 3, 1, 8, &Space::Rgb, false).expect("decodes");
        assert_eq!(rgb, [255, 0, 76]);
        let cmyk = raw(&[0, 0, 0, 0, 0, 0, 0, 255], 2, 1, 8, &Space::Cmyk, false).expect("decodes");
        assert_eq!(cmyk, [255, 0]);
        let ink = raw(&[0, 255], 2, 1, 8, &Space::Ink(1), false).expect("decodes");
        assert_eq!(ink, [255, 0]);
        let palette = Space::Indexed(vec![255, 128, 0]);
        assert_eq!(raw(&[0b0001_1000], 4, 1, 2, &palette, false).expect("decodes"), [255, 128, 0, 255]);
        let deep = raw(&[0xff, 0xff, 0x00, 0x00], 2, 1, 16, &Space::Gray, false).expect("decodes");
        assert_eq!(deep, [255, 0]);
    }

    #[test]
    fn too_few_samples_or_an_odd_depth_is_an_error() {
        assert!(raw(&[0; 3], 2, 2, 8, &Space::Gray, false).is_err());
        assert!(raw(&[0; 4], 2, 2, 3, &Space::Gray, false).is_err());
    }

    proptest::proptest! {
        /// Hostile image data gives an image or an error, never a panic, whatever the codec.
        #[test]
        fn any_bytes_decode_or_fail_cleanly(data in proptest::collection::vec(proptest::num::u8::ANY, 0..2048), w in 1usize..64, h in 1usize..64, k in -1i64..2) {
            let _ = jpeg(&data, w, h);
            let mut parms = Dictionary::new();
            parms.set("K", Object::Integer(k));
            parms.set("Columns", Object::Integer(w as i64));
            let _ = ccitt(&data, w, h, Some(&parms));
            for bits in [1, 2, 4, 8, 16] {
                let _ = raw(&data, w, h, bits, &Space::Rgb, true);
                let _ = raw(&data, w, h, bits, &Space::Indexed(vec![0, 255]), false);
            }
        }
    }

    #[test]
    fn colour_spaces_are_read_from_their_pdf_objects() {
        let doc = Document::with_version("1.7");
        let name = |n: &str| Object::Name(n.as_bytes().to_vec());
        assert_eq!(Space::of(&doc, &name("DeviceRGB")), Space::Rgb);
        assert_eq!(Space::of(&doc, &name("DeviceGray")), Space::Gray);
        let indexed = Object::Array(vec![
            name("Indexed"),
            name("DeviceRGB"),
            Object::Integer(1),
            Object::String(vec![0, 0, 0, 255, 255, 255], lopdf::StringFormat::Hexadecimal),
        ]);
        assert_eq!(Space::of(&doc, &indexed), Space::Indexed(vec![0, 255]));
        let separation = Object::Array(vec![name("Separation"), name("Black"), name("DeviceCMYK")]);
        assert_eq!(Space::of(&doc, &separation), Space::Ink(1));
    }
}

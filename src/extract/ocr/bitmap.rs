//! Grey page images and the few operations OCR needs on them: quarter turns, scaling up to the
//! engine's resolution, and PGM encoding for the engine's standard input. Pure pixel work; nothing
//! here knows about PDFs or text.

/// An 8-bit grey image, rows top to bottom, 0 black and 255 white.
#[derive(Debug, Clone, PartialEq)]
pub struct GrayImage {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl GrayImage {
    /// An image of `pixels` (row-major); `None` when the length does not match the size.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Option<GrayImage> {
        (width > 0 && height > 0 && width.checked_mul(height) == Some(pixels.len())).then_some(GrayImage {
            width,
            height,
            pixels,
        })
    }

    /// The image turned `quarters` quarter turns clockwise.
    pub fn turned(&self, quarters: u8) -> GrayImage {
        let (w, h) = (self.width, self.height);
        match quarters % 4 {
            0 => self.clone(),
            2 => GrayImage { width: w, height: h, pixels: self.pixels.iter().rev().copied().collect() },
            q => {
                // Clockwise: the new pixel (x, y) is the old (y, h - 1 - x); anticlockwise the old
                // (w - 1 - y, x). The new image is h wide and w high.
                let mut pixels = Vec::with_capacity(w * h);
                for y in 0..w {
                    for x in 0..h {
                        let (ox, oy) = if q == 1 { (y, h - 1 - x) } else { (w - 1 - y, x) };
                        pixels.push(self.pixels[oy * w + ox]);
                    }
                }
                GrayImage { width: h, height: w, pixels }
            }
        }
    }

    /// The image scaled by `factor` (bilinear), at least one pixel each way.
    pub fn scaled(&self, factor: f32) -> GrayImage {
        let width = ((self.width as f32 * factor).round() as usize).max(1);
        let height = ((self.height as f32 * factor).round() as usize).max(1);
        let (sx, sy) = (self.width as f32 / width as f32, self.height as f32 / height as f32);
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, (self.height - 1) as f32);
            let (y0, ty) = (fy.floor() as usize, fy.fract());
            let y1 = (y0 + 1).min(self.height - 1);
            for x in 0..width {
                let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, (self.width - 1) as f32);
                let (x0, tx) = (fx.floor() as usize, fx.fract());
                let x1 = (x0 + 1).min(self.width - 1);
                let p = |x: usize, y: usize| f32::from(self.pixels[y * self.width + x]);
                let top = p(x0, y0) * (1.0 - tx) + p(x1, y0) * tx;
                let bottom = p(x0, y1) * (1.0 - tx) + p(x1, y1) * tx;
                pixels.push((top * (1.0 - ty) + bottom * ty).round() as u8);
            }
        }
        GrayImage { width, height, pixels }
    }

    /// The header of the image as a binary PGM (P5), which Tesseract reads from standard input: the
    /// header, then [`GrayImage::pixels`] as they are.
    pub fn pgm_header(&self) -> Vec<u8> {
        format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3 wide, 2 high: 0 1 2 / 3 4 5.
    fn sample() -> GrayImage {
        GrayImage::new(3, 2, vec![0, 1, 2, 3, 4, 5]).expect("size matches")
    }

    #[test]
    fn quarter_turns_move_corners_where_a_turned_sheet_has_them() {
        let cw = sample().turned(1);
        assert_eq!((cw.width, cw.height), (2, 3));
        assert_eq!(cw.pixels, [3, 0, 4, 1, 5, 2]);
        let acw = sample().turned(3);
        assert_eq!(acw.pixels, [2, 5, 1, 4, 0, 3]);
        assert_eq!(sample().turned(2).pixels, [5, 4, 3, 2, 1, 0]);
        assert_eq!(sample().turned(1).turned(3), sample());
    }

    #[test]
    fn scaling_keeps_flat_areas_and_sizes() {
        let flat = GrayImage::new(4, 4, vec![200; 16]).expect("size matches");
        let up = flat.scaled(1.5);
        assert_eq!((up.width, up.height), (6, 6));
        assert!(up.pixels.iter().all(|&p| p == 200));
        let ramp = GrayImage::new(2, 1, vec![0, 255]).expect("size matches").scaled(2.0);
        assert_eq!((ramp.width, ramp.height), (4, 2));
        assert!(ramp.pixels[..4].windows(2).all(|w| w[0] <= w[1]), "{:?}", ramp.pixels);
    }

    #[test]
    fn refuses_a_size_that_does_not_match_and_encodes_pgm() {
        assert!(GrayImage::new(2, 2, vec![0; 3]).is_none());
        assert!(GrayImage::new(0, 0, vec![]).is_none());
        let image = sample();
        let pgm = [image.pgm_header(), image.pixels.clone()].concat();
        assert_eq!(pgm, b"P5\n3 2\n255\n\x00\x01\x02\x03\x04\x05");
    }
}

//! Checks of library images used by push notifications: decoded with limits (an image is
//! untrusted input), measured, and re-encoded when too large for FCM. Results are cached by
//! content hash in the [`crate::Engine`].

use image::{ImageFormat, ImageReader, Limits};
use serde::Serialize;
use std::io::Cursor;

/// Largest image accepted for decoding (per side) and the decoder's allocation cap.
const MAX_SIDE: u32 = ccm_core::limits::IMAGE_SIDE;
const MAX_ALLOC: u64 = ccm_core::limits::IMAGE_DECODE_BYTES / 2;
/// Re-encoded push images are at most this wide (Android big picture: 1024×512).
const REENCODE_MAX_WIDTH: u32 = 1024;
/// An aspect ratio within this of 2.0 counts as 2:1.
const ASPECT_TOLERANCE: f64 = 0.02;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageCheck {
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
    pub two_to_one: bool,
    /// JPEG re-encoding when `bytes` exceeds `max_bytes` (not serialised into reports).
    #[serde(skip)]
    pub reencoded: Option<Vec<u8>>,
    pub reencoded_bytes: Option<usize>,
}

/// Decodes and measures `bytes`; re-encodes as JPEG (≤ 1024 px wide) when over `max_bytes`.
pub fn check_image(bytes: &[u8], max_bytes: usize) -> Result<ImageCheck, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read the image: {e}"))?;
    let format = reader
        .format()
        .ok_or("not a PNG, JPEG, GIF or WebP image")?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| format!("the image does not decode: {e}"))?;
    let (width, height) = (img.width(), img.height());
    let ratio = if height == 0 {
        0.0
    } else {
        f64::from(width) / f64::from(height)
    };
    let reencoded = if bytes.len() > max_bytes {
        let img = if width > REENCODE_MAX_WIDTH {
            let h = (u64::from(height) * u64::from(REENCODE_MAX_WIDTH) / u64::from(width)).max(1);
            img.resize_exact(
                REENCODE_MAX_WIDTH,
                h as u32,
                image::imageops::FilterType::Lanczos3,
            )
        } else {
            img
        };
        let mut out = Vec::new();
        let rgb = image::DynamicImage::ImageRgb8(img.to_rgb8());
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        enc.encode_image(&rgb)
            .map_err(|e| format!("cannot re-encode the image: {e}"))?;
        Some(out)
    } else {
        None
    };
    Ok(ImageCheck {
        format: format_name(format).to_string(),
        width,
        height,
        bytes: bytes.len(),
        two_to_one: (ratio - 2.0).abs() <= ASPECT_TOLERANCE,
        reencoded_bytes: reencoded.as_ref().map(Vec::len),
        reencoded,
    })
}

fn format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Png => "png",
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Gif => "gif",
        ImageFormat::WebP => "webp",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn png(w: u32, h: u32, noisy: bool) -> Vec<u8> {
        let img = ImageBuffer::from_fn(w, h, |x, y| {
            if noisy {
                // Pseudo-random pixels compress badly, making a large PNG.
                let v = (x.wrapping_mul(2654435761) ^ y.wrapping_mul(40503)) as u8;
                Rgb([v, v.wrapping_mul(7), v.wrapping_mul(13)])
            } else {
                Rgb([200, 30, 30])
            }
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn measures_and_checks_aspect() {
        let c = check_image(&png(1024, 512, false), 1 << 20).unwrap();
        assert_eq!((c.width, c.height, c.format.as_str()), (1024, 512, "png"));
        assert!(c.two_to_one);
        assert!(c.reencoded.is_none());
        assert!(
            !check_image(&png(500, 500, false), 1 << 20)
                .unwrap()
                .two_to_one
        );
    }

    #[test]
    fn reencodes_when_too_large() {
        let big = png(1200, 600, true);
        let c = check_image(&big, 100_000).unwrap();
        let re = c.reencoded.expect("re-encoded");
        let back = image::load_from_memory(&re).unwrap();
        assert_eq!((back.width(), back.height()), (1024, 512));
        assert!(re.len() < big.len());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(check_image(b"not an image", 1 << 20).is_err());
        assert!(check_image(&png(10, 10, false)[..40], 1 << 20).is_err());
    }
}

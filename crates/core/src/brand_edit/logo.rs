//! A replacement logo: PNG or JPEG in, checked and decoded with limits (a small file declaring
//! a huge image is refused before any large allocation), scaled down to a size emails and
//! letters use, and stored as a PNG — same input, same bytes, and no metadata carried over.

use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, ImageFormat};

use crate::assets::{decode_checked, encode_png, AssetError, ImageLimits};

/// The file name a replaced logo is stored under in the kit's folder.
pub const LOGO_FILE: &str = "logo.png";

/// Neither side of a stored logo is larger: emails show it at 200 CSS px (400 px at 2×) and
/// letters at 300 dpi over a few centimetres, so 1200 px is sharp everywhere.
pub const LOGO_MAX_SIDE: u32 = 1200;

/// What a logo upload may be.
pub const LOGO_LIMITS: ImageLimits = ImageLimits {
    max_bytes: 5 * 1024 * 1024,
    max_width: 6000,
    max_height: 6000,
    max_alloc: 256 * 1024 * 1024,
};

/// A logo ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct LogoImage {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The logo's ink colour (see [`ink`]); `None` when it has none (fully transparent).
    pub ink: Option<[u8; 3]>,
}

/// Checks, decodes and scales a new logo. Only PNG and JPEG are taken (the formats brand
/// teams export and every email client and the letter renderer read).
pub fn prepare_logo(bytes: &[u8]) -> Result<LogoImage, AssetError> {
    let label = "logo";
    if bytes.len() as u64 > LOGO_LIMITS.max_bytes {
        return Err(AssetError::TooLarge {
            label: label.into(),
            bytes: bytes.len() as u64,
            limit: LOGO_LIMITS.max_bytes,
        });
    }
    match image::guess_format(bytes) {
        Ok(ImageFormat::Png | ImageFormat::Jpeg) => {}
        _ => {
            return Err(AssetError::Unreadable {
                label: label.into(),
                reason: "a logo must be a PNG or JPEG file".into(),
            })
        }
    }
    let (_, image) = decode_checked(label, bytes, &LOGO_LIMITS)?;
    let image = if image.width() > LOGO_MAX_SIDE || image.height() > LOGO_MAX_SIDE {
        image.resize(LOGO_MAX_SIDE, LOGO_MAX_SIDE, FilterType::Lanczos3)
    } else {
        image
    };
    Ok(LogoImage {
        png: encode_png(&image)?,
        width: image.width(),
        height: image.height(),
        ink: ink(&image),
    })
}

/// The ink colour of a logo already in a kit (any format the library accepts); `None` when it
/// cannot be read or has no ink.
pub fn logo_ink(bytes: &[u8]) -> Option<[u8; 3]> {
    let (_, image) = decode_checked("logo", bytes, &ImageLimits::default()).ok()?;
    ink(&image)
}

/// The mean colour of the logo's mark: the pixels at least half opaque, without the logo's own
/// backdrop when it has one (an opaque top-left corner: a JPEG logo on white). This is what
/// the contrast check compares with the kit's backgrounds. Large images are sampled.
fn ink(image: &DynamicImage) -> Option<[u8; 3]> {
    let (w, h) = image.dimensions();
    let backdrop = {
        let p = image.get_pixel(0, 0).0;
        (p[3] >= 250).then_some([p[0], p[1], p[2]])
    };
    let step = ((u64::from(w) * u64::from(h) / 250_000) as f64)
        .sqrt()
        .ceil()
        .max(1.0) as u32;
    let (mut sum, mut n) = ([0u64; 3], 0u64);
    for y in (0..h).step_by(step as usize) {
        for x in (0..w).step_by(step as usize) {
            let p = image.get_pixel(x, y).0;
            if p[3] < 128 {
                continue;
            }
            let rgb = [p[0], p[1], p[2]];
            if backdrop.is_some_and(|b| distance(b, rgb) <= 48) {
                continue;
            }
            for (s, c) in sum.iter_mut().zip(rgb) {
                *s += u64::from(c);
            }
            n += 1;
        }
    }
    (n > 0).then(|| sum.map(|s| (s / n) as u8))
}

/// Manhattan distance between two colours.
fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter().zip(b).map(|(x, y)| u32::from(x.abs_diff(y))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::tests::png;
    use image::codecs::jpeg::JpegEncoder;
    use image::{ImageBuffer, ImageEncoder, Rgb, Rgba};

    fn solid_png(width: u32, height: u32, mark: [u8; 4], backdrop: [u8; 4]) -> Vec<u8> {
        // A mark in the middle third on a backdrop.
        let img = ImageBuffer::from_fn(width, height, |x, y| {
            let inside = x > width / 3 && x < 2 * width / 3 && y > height / 3 && y < 2 * height / 3;
            Rgba(if inside { mark } else { backdrop })
        });
        encode_png(&DynamicImage::ImageRgba8(img)).unwrap()
    }

    #[test]
    fn a_wide_logo_is_scaled_to_the_maximum_width_keeping_its_aspect() {
        let logo = prepare_logo(&png(2400, 600)).unwrap();
        assert_eq!((logo.width, logo.height), (1200, 300));
        assert!(logo.png.starts_with(b"\x89PNG"));
        assert_eq!(
            logo,
            prepare_logo(&png(2400, 600)).unwrap(),
            "deterministic"
        );
    }

    #[test]
    fn a_small_logo_keeps_its_size() {
        let logo = prepare_logo(&png(300, 80)).unwrap();
        assert_eq!((logo.width, logo.height), (300, 80));
    }

    #[test]
    fn a_jpeg_is_stored_as_png() {
        let img = ImageBuffer::from_fn(64, 32, |_, _| Rgb([20u8, 40, 160]));
        let mut jpeg = Vec::new();
        JpegEncoder::new(&mut jpeg)
            .write_image(img.as_raw(), 64, 32, image::ExtendedColorType::Rgb8)
            .unwrap();
        let logo = prepare_logo(&jpeg).unwrap();
        assert!(logo.png.starts_with(b"\x89PNG"));
        assert_eq!((logo.width, logo.height), (64, 32));
    }

    #[test]
    fn other_formats_and_garbage_are_refused() {
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        let e = prepare_logo(gif).unwrap_err();
        assert!(e.to_string().contains("PNG or JPEG"), "{e}");
        assert!(prepare_logo(b"hello").is_err());
    }

    #[test]
    fn a_file_over_the_byte_limit_is_refused_before_decoding() {
        let mut big = png(4, 4);
        big.resize(LOGO_LIMITS.max_bytes as usize + 1, 0);
        let e = prepare_logo(&big).unwrap_err();
        assert!(matches!(e, AssetError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn a_decompression_bomb_header_is_refused_without_decoding() {
        // A valid PNG whose IHDR (with a correct CRC) declares 60000×60000 pixels: 14 GB of
        // RGBA if anyone believed it. It must be refused from the header alone.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        let e = prepare_logo(&bytes).unwrap_err();
        assert!(
            matches!(
                e,
                AssetError::TooManyPixels {
                    width: 60_000,
                    height: 60_000,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn an_image_over_the_pixel_limit_is_refused() {
        let e = prepare_logo(&png(6001, 2)).unwrap_err();
        assert!(e.to_string().contains("6001×2"), "{e}");
    }

    #[test]
    fn ink_is_the_mark_without_its_backdrop_or_transparency() {
        let red = [200, 0, 0, 255];
        let on_white = prepare_logo(&solid_png(90, 90, red, [255, 255, 255, 255])).unwrap();
        assert_eq!(on_white.ink, Some([200, 0, 0]));
        let on_clear = prepare_logo(&solid_png(90, 90, red, [0, 0, 0, 0])).unwrap();
        assert_eq!(on_clear.ink, Some([200, 0, 0]));
        let empty = prepare_logo(&solid_png(30, 30, [0, 0, 0, 0], [0, 0, 0, 0])).unwrap();
        assert_eq!(empty.ink, None);
    }

    /// CRC-32 (ISO-HDLC), as PNG chunks use.
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}

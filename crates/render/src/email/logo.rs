//! Email variants of brand images: decoded with limits, resized for a 600 px layout at 2×
//! (never upscaled, never wider than 1200 px), re-encoded as PNG. PNG encoding with fixed
//! settings is deterministic, so the same logo gives the same bytes and the same `cid:`.
//! Results are cached by content hash: a brand's logo is processed once per process.

use base64::Engine as _;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{ImageEncoder, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::{Arc, LazyLock, Mutex};

/// Widest image the 600 px layout can show, at 2× for high-density screens.
pub(crate) const MAX_PIXEL_WIDTH: u32 = 1200;
/// Largest source image accepted (pixels per side); bigger files are refused, not decoded.
const MAX_SOURCE_SIDE: u32 = 10_000;
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
const CACHE_ENTRIES: usize = 64;

#[derive(Debug)]
pub(crate) struct EmailImage {
    pub png: Vec<u8>,
    /// Pixel size of `png`.
    pub width: u32,
    pub height: u32,
    /// CSS pixels it is shown at (half the pixel width when there were pixels to spare).
    pub display_width: u32,
    /// First 16 hex digits of the sha256 of `png`; names the MIME part (`cid:`).
    pub id: String,
    pub data_uri: String,
}

type Key = ([u8; 32], u32);
static CACHE: LazyLock<Mutex<HashMap<Key, Arc<EmailImage>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The email variant of `bytes` shown at most `display_width` CSS pixels wide.
pub(crate) fn email_variant(bytes: &[u8], display_width: u32) -> Result<Arc<EmailImage>, String> {
    let key: Key = (Sha256::digest(bytes).into(), display_width);
    if let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(hit);
    }
    let made = Arc::new(make_variant(bytes, display_width)?);
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, made.clone());
    }
    Ok(made)
}

fn make_variant(bytes: &[u8], display_width: u32) -> Result<EmailImage, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| e.to_string())?;
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err("the image is empty".into());
    }
    let target_w = w.clamp(1, display_width.saturating_mul(2).clamp(1, MAX_PIXEL_WIDTH));
    let rgba = if target_w == w {
        img.into_rgba8()
    } else {
        let target_h = ((h as u64 * target_w as u64 + w as u64 / 2) / w as u64).max(1) as u32;
        image::imageops::resize(&img.into_rgba8(), target_w, target_h, FilterType::Lanczos3)
    };
    let (pw, ph) = rgba.dimensions();
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Best, PngFilter::Adaptive)
        .write_image(rgba.as_raw(), pw, ph, image::ExtendedColorType::Rgba8)
        .map_err(|e| e.to_string())?;
    let id = hex::encode(&Sha256::digest(&png)[..8]);
    let data_uri = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&png)
    );
    Ok(EmailImage {
        display_width: display_width.min(pw),
        png,
        width: pw,
        height: ph,
        id,
        data_uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 120, 255])
        });
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgba8)
            .unwrap();
        out
    }

    #[test]
    fn wide_logo_is_resized_to_2x_and_keeps_aspect() {
        let v = email_variant(&png(2000, 500), 160).unwrap();
        assert_eq!((v.width, v.height, v.display_width), (320, 80, 160));
        let again = email_variant(&png(2000, 500), 160).unwrap();
        assert_eq!(v.png, again.png);
        assert_eq!(v.id, again.id);
    }

    #[test]
    fn small_logo_is_not_upscaled_and_never_exceeds_1200() {
        let v = email_variant(&png(100, 40), 160).unwrap();
        assert_eq!((v.width, v.display_width), (100, 100));
        let v = email_variant(&png(3000, 100), 800).unwrap();
        assert_eq!(v.width, MAX_PIXEL_WIDTH);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(email_variant(b"not an image", 160).is_err());
        assert!(email_variant(&png(10, 10)[..30], 160).is_err());
    }
}

//! Reads a QR code (a set-up link, an `otpauth://` link, a Google Authenticator transfer
//! code) from a picture the user picked (desktop; phones scan with the camera through
//! tauri-plugin-barcode-scanner instead).

use std::io::Cursor;

use image::{ImageReader, Limits};
use tauri::Runtime;
use zeroize::Zeroizing;

use crate::files::{Dialogs, FileError, FileKind};

/// Largest picture file read (16 MiB): a screenshot of a QR code is a few hundred KiB, and the
/// decoder's own limits below bound what the pixels may unpack to.
pub const MAX_PICTURE_BYTES: u64 = 16 * 1024 * 1024;

/// Largest picture side accepted, in pixels: a screenshot of a 4K screen fits, a crafted
/// picture that would unpack to gigabytes does not.
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Most memory the decoder may allocate for one picture (256 MiB: an 8192² RGBA image).
pub const MAX_IMAGE_ALLOC: u64 = 256 * 1024 * 1024;

/// Why no enrollment text could be read from a picture.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The bytes are not a PNG or JPEG picture, or it is larger than the limits allow.
    #[error("the file is not a readable PNG or JPEG picture")]
    NotAnImage(#[from] image::ImageError),
    /// The picture holds no QR code that could be decoded.
    #[error("no QR code found in the picture")]
    NoCode,
    /// The chosen file could not be read.
    #[error("the chosen picture could not be read")]
    File(#[from] FileError),
}

/// Lets the user choose a picture in the dialog titled `title` and decodes its QR code;
/// `None` if they cancelled.
pub fn pick_and_decode<R: Runtime>(
    dialogs: &Dialogs<'_, R>,
    title: &str,
) -> Result<Option<Zeroizing<String>>, QrError> {
    let Some(path) = dialogs.pick(title, FileKind::Picture)? else {
        return Ok(None);
    };
    let bytes = crate::files::read_chosen(&path, MAX_PICTURE_BYTES)?;
    decode(&bytes).map(Some)
}

/// The text of the first readable QR code in a PNG or JPEG picture.
///
/// The text is an enrollment URI holding a seed, so it is wiped when dropped.
pub fn decode(bytes: &[u8]) -> Result<Zeroizing<String>, QrError> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_IMAGE_ALLOC);
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(image::ImageError::IoError)?;
    reader.limits(limits);
    let grey = reader.decode()?.into_luma8();
    let (width, height) = grey.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            grey.get_pixel(x as u32, y as u32).0[0]
        });
    prepared
        .detect_grids()
        .iter()
        .find_map(|grid| grid.decode().ok())
        .map(|(_meta, text)| Zeroizing::new(text))
        .ok_or(QrError::NoCode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Luma};

    const URI: &str =
        "otpauth://totp/Portal:erika@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Portal";

    /// A PNG of `text` as a QR code, 8 pixels per module with a quiet zone.
    fn qr_png(text: &str) -> Vec<u8> {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let picture = code.render::<Luma<u8>>().module_dimensions(8, 8).build();
        let mut png = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        png
    }

    #[test]
    fn reads_the_uri_from_a_png() {
        assert_eq!(decode(&qr_png(URI)).unwrap().as_str(), URI);
    }

    #[test]
    fn a_picture_without_a_code_is_refused() {
        let blank = image::GrayImage::from_pixel(64, 64, Luma([255]));
        let mut png = Vec::new();
        blank
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert!(matches!(decode(&png), Err(QrError::NoCode)));
    }

    #[test]
    fn bytes_that_are_no_picture_are_refused() {
        assert!(matches!(
            decode(b"otpauth://totp/not-a-picture"),
            Err(QrError::NotAnImage(_))
        ));
    }

    #[test]
    fn a_picture_beyond_the_size_limit_is_refused() {
        let huge = image::GrayImage::from_pixel(MAX_IMAGE_SIDE + 1, 1, Luma([255]));
        let mut png = Vec::new();
        huge.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert!(matches!(decode(&png), Err(QrError::NotAnImage(_))));
    }
}

//! QR codes rendered on the server as inline SVG, so no script or external service sees the
//! enrollment URI.

use qrcode::QrCode;
use qrcode::render::svg;

/// Smallest edge of the rendered code in pixels; phones scan 256 px codes from a screen easily.
const MIN_SIZE: u32 = 256;

/// The QR code of `data` as an `<svg>` element, or `None` if `data` does not fit in a QR code.
pub fn svg(data: &str) -> Option<String> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(MIN_SIZE, MIN_SIZE)
        .quiet_zone(true)
        .build();
    let start = image.find("<svg")?;
    Some(image[start..].replacen("<svg", "<svg role=\"img\" aria-label=\"QR-Code\"", 1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_inline_svg_without_xml_declaration() {
        let image = super::svg("otpauth://totp/Zweifaktor:a@example.org?secret=ABC").unwrap();
        assert!(image.starts_with("<svg role=\"img\""));
        assert!(image.contains("</svg>"));
        assert!(
            super::svg(&"x".repeat(8000)).is_none(),
            "too long for any QR version"
        );
    }
}

//! Components on paper: the QR code printed on the page decodes to its URL, read back from
//! the rasterised page by an independent decoder; the customer barcode lands under the
//! address and is reported with its page and characters.

use ccm_print::components::Component;
use ccm_print::samples::japanese_letter;
use ccm_print::Printer;

fn printer() -> Printer {
    Printer::new().expect("bundled fonts load")
}

#[test]
fn the_printed_qr_code_decodes_from_the_page_png() {
    let url = "https://sakura-bank.example.jp/statements?utm_source=letter";
    let mut job = japanese_letter();
    job.body_markdown = format!(
        "明細はこちらからご確認いただけます。{}",
        Component::Qr {
            url: url.into(),
            label: "明細を確認する".into()
        }
        .marker()
    );
    let letter = printer().compile(&job).expect("the letter compiles");
    let png = letter.png(1, 200.0).expect("page 1 renders");
    let page = image::load_from_memory(&png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        page.width() as usize,
        page.height() as usize,
        |x, y| page.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    assert_eq!(content, url);
}

#[test]
fn the_customer_barcode_is_reported_with_its_page_and_characters() {
    let mut job = japanese_letter();
    job.body_markdown = format!(
        "{}本文です。",
        Component::CustomerBarcode {
            postal_code: "263-0023".into(),
            address: "千葉市稲毛区緑町3丁目30-8　郵便ビル403号".into(),
        }
        .marker()
    );
    let letter = printer().compile(&job).expect("the letter compiles");
    let metrics = letter.metrics();
    assert_eq!(metrics.customer_barcodes.len(), 1);
    let code = &metrics.customer_barcodes[0];
    assert_eq!(code.page, 1);
    assert_eq!(
        code.characters.join(" "),
        "STC 2 6 3 0 0 2 3 3 - 3 0 - 8 - 4 0 3 CC4 CC4 CC4 5 SPC"
    );
    // The bars are vector shapes: no image resolution warning for them.
    assert!(letter.warnings().iter().all(|w| w.code != "print.low-dpi"));
    // Same input, same bytes.
    let again = printer().compile(&job).unwrap();
    assert_eq!(letter.pdf().unwrap(), again.pdf().unwrap());
}

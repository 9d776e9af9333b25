//! The Japan Post customer barcode (カスタマバーコード) printed under the address of bulk mail.
//!
//! Source: Japan Post, 「郵便番号・バーコードマニュアル」 (zipmanual). The rules below name the
//! chapter of that manual they come from; the worked examples of its page 25 (「バーコードの
//! 作成例」) are the tests at the bottom of this file.
//!
//! What is encoded: the 7-digit postal code followed by the address number (住所表示番号)
//! extracted from the address, as 20 data characters, then a check digit, between a start and
//! a stop code.

use serde::Serialize;

/// Number of data characters between start code and check digit
/// (manual: 「バーコードの構成」 — 郵便番号 7 桁 + 住所表示番号 13 桁 = 20 桁).
pub const DATA_CHARACTERS: usize = 20;

/// One character of the barcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum BarChar {
    Start,
    Stop,
    Digit(u8),
    Hyphen,
    /// Control codes CC1–CC8 (`Control(1)` … `Control(8)`).
    Control(u8),
}

impl From<BarChar> for String {
    fn from(c: BarChar) -> String {
        c.label()
    }
}

impl BarChar {
    /// The name a print vendor reads in the report: `STC`, `0`–`9`, `-`, `CC1`–`CC8`, `SPC`.
    pub fn label(self) -> String {
        match self {
            BarChar::Start => "STC".into(),
            BarChar::Stop => "SPC".into(),
            BarChar::Digit(d) => d.to_string(),
            BarChar::Hyphen => "-".into(),
            BarChar::Control(n) => format!("CC{n}"),
        }
    }

    /// Value used by the check digit (manual: 「チェックデジットの算出方法」): digits 0–9,
    /// hyphen 10, CC1–CC8 11–18.
    fn check_value(self) -> u32 {
        match self {
            BarChar::Digit(d) => u32::from(d),
            BarChar::Hyphen => 10,
            BarChar::Control(n) => 10 + u32::from(n),
            BarChar::Start | BarChar::Stop => 0,
        }
    }

    fn from_check_value(v: u32) -> BarChar {
        match v {
            0..=9 => BarChar::Digit(v as u8),
            10 => BarChar::Hyphen,
            _ => BarChar::Control((v - 10) as u8),
        }
    }

    /// The bars of the character, left to right (manual: 「バーの組み合わせ」 table):
    /// 1 long bar, 2 upper semi-long bar, 3 lower semi-long bar, 4 timing bar.
    pub fn bars(self) -> &'static [Bar] {
        use Bar::{Ascender as A, Descender as D, Long as L, Timing as T};
        match self {
            BarChar::Start => &[L, D],
            BarChar::Stop => &[D, L],
            BarChar::Digit(0) => &[L, T, T],
            BarChar::Digit(1) => &[L, L, T],
            BarChar::Digit(2) => &[L, D, A],
            BarChar::Digit(3) => &[D, L, A],
            BarChar::Digit(4) => &[L, A, D],
            BarChar::Digit(5) => &[L, T, L],
            BarChar::Digit(6) => &[D, A, L],
            BarChar::Digit(7) => &[A, L, D],
            BarChar::Digit(8) => &[A, D, L],
            BarChar::Digit(_) => &[T, L, L],
            BarChar::Hyphen => &[T, L, T],
            BarChar::Control(1) => &[D, A, T],
            BarChar::Control(2) => &[D, T, A],
            BarChar::Control(3) => &[A, D, T],
            BarChar::Control(4) => &[T, D, A],
            BarChar::Control(5) => &[A, T, D],
            BarChar::Control(6) => &[T, A, D],
            BarChar::Control(7) => &[T, T, L],
            BarChar::Control(_) => &[L, L, L],
        }
    }
}

/// The four bar shapes (manual: 「バーの種類」).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bar {
    /// ロングバー: the full height.
    Long,
    /// セミロングバー（上）: timing part and the upper part.
    Ascender,
    /// セミロングバー（下）: timing part and the lower part.
    Descender,
    /// タイミングバー: the middle third only.
    Timing,
}

/// A customer barcode: start code, 20 data characters, check digit, stop code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerBarcode {
    /// Every character in print order, start and stop code included (23 in all).
    pub characters: Vec<BarChar>,
}

/// Why no barcode can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    #[error("postal code '{0}' is not 7 digits (write it as 123-4567 or 1234567)")]
    PostalCode(String),
}

impl CustomerBarcode {
    /// The barcode of a postal code and address. The address may be the whole address: only
    /// its address number (丁目・番地・号, building and room numbers) is encoded.
    pub fn new(postal_code: &str, address: &str) -> Result<Self, BarcodeError> {
        let postal: Vec<u8> = normalize(postal_code)
            .chars()
            .filter(|c| !matches!(c, '〒' | '-' | ' ' | '　'))
            .map(|c| c.to_digit(10).map(|d| d as u8))
            .collect::<Option<Vec<u8>>>()
            .filter(|d| d.len() == 7)
            .ok_or_else(|| BarcodeError::PostalCode(postal_code.to_string()))?;
        let mut data: Vec<BarChar> = postal.into_iter().map(BarChar::Digit).collect();
        for c in address_number(address).chars() {
            match c {
                '0'..='9' => data.push(BarChar::Digit(c as u8 - b'0')),
                '-' => data.push(BarChar::Hyphen),
                'A'..='Z' => data.extend(letter(c)),
                _ => {}
            }
        }
        // Manual 「バーコードの構成」: more than 20 characters are cut at 20 (a letter's pair may
        // be cut after its control code); fewer are filled up with CC4.
        data.truncate(DATA_CHARACTERS);
        while data.len() < DATA_CHARACTERS {
            data.push(BarChar::Control(4));
        }
        let check = check_digit(&data);
        let mut characters = Vec::with_capacity(DATA_CHARACTERS + 3);
        characters.push(BarChar::Start);
        characters.extend(data);
        characters.push(check);
        characters.push(BarChar::Stop);
        Ok(CustomerBarcode { characters })
    }

    /// The labels of every character (`STC`, `2`, `6`, …, `CC4`, `5`, `SPC`).
    pub fn labels(&self) -> Vec<String> {
        self.characters.iter().map(|c| c.label()).collect()
    }

    /// The 20 data characters as one compact string, letters' control codes written `CCn`.
    pub fn data_text(&self) -> String {
        self.characters[1..=DATA_CHARACTERS]
            .iter()
            .map(|c| c.label())
            .collect()
    }

    /// Every bar, left to right (67: 2 + 20 × 3 + 3 + 2).
    pub fn bars(&self) -> Vec<Bar> {
        self.characters
            .iter()
            .flat_map(|c| c.bars().iter().copied())
            .collect()
    }

    /// The barcode as an SVG of its printed size at 10 pt (manual 「バーコードの大きさ」:
    /// bar width 0.6 mm, pitch 1.2 mm, long bar 3.6 mm, semi-long 2.4 mm, timing 1.2 mm).
    /// Units are 0.1 mm so every coordinate is an integer (byte-stable output).
    pub fn svg(&self) -> String {
        let bars = self.bars();
        let width = bars.len() * 12 - 6;
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}mm\" height=\"3.6mm\" viewBox=\"0 0 {width} 36\"><path fill=\"#000\" d=\"",
            width as f64 / 10.0
        );
        for (i, bar) in bars.iter().enumerate() {
            let (y, h) = match bar {
                Bar::Long => (0, 36),
                Bar::Ascender => (0, 24),
                Bar::Descender => (12, 24),
                Bar::Timing => (12, 12),
            };
            out.push_str(&format!("M{} {y}h6v{h}h-6z", i * 12));
        }
        out.push_str("\"/></svg>");
        out
    }
}

/// A letter as control code + digit (manual: 「英字の表し方」): A–J = CC1 + 0–9,
/// K–T = CC2 + 0–9, U–Z = CC3 + 0–5.
fn letter(c: char) -> [BarChar; 2] {
    let i = c as u8 - b'A';
    let (cc, d) = match i {
        0..=9 => (1, i),
        10..=19 => (2, i - 10),
        _ => (3, i - 20),
    };
    [BarChar::Control(cc), BarChar::Digit(d)]
}

/// Manual 「チェックデジットの算出方法」: the check digit makes the sum of the values of the 20
/// data characters and itself a multiple of 19.
fn check_digit(data: &[BarChar]) -> BarChar {
    let sum: u32 = data.iter().map(|c| c.check_value()).sum();
    BarChar::from_check_value((19 - sum % 19) % 19)
}

/// Full-width digits, letters and hyphens as ASCII, letters upper-case (manual 「住所表示番号の
/// 抜き出し方」: 全角は半角に、英小文字は大文字に). Hyphen-like dashes become `-`; the katakana
/// long vowel mark `ー` is a letter of words like センター and stays.
fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => '-',
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Words after a number that separate address numbers (manual 「住所表示番号の抜き出し方」:
/// 「丁目」「丁」「番地」「番」「号」「地割」「線」「の」「ノ」 are replaced by a hyphen).
/// Longest first, so 番地 wins over 番.
const SEPARATORS: [&str; 9] = ["丁目", "番地", "地割", "丁", "番", "号", "線", "の", "ノ"];

/// Kanji numerals, converted to digits when they are followed by one of [`SEPARATORS`]
/// (manual: 「漢数字は算用数字に置き換える」 — 十一丁目 → 11). Other kanji numerals are part of
/// the town name (北六条, 四条) and are not encoded.
fn kanji_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|k| k == c)
        .map(|p| p as u32)
}

fn is_kanji_numeral(c: char) -> bool {
    kanji_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

fn kanji_value(s: &str) -> u32 {
    let (mut total, mut digit) = (0, 0);
    for c in s.chars() {
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                total += digit.max(1) * unit;
                digit = 0;
            }
            _ => digit = digit * 10 + kanji_digit(c).unwrap_or(0),
        }
    }
    total + digit
}

/// A piece of the address number.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Number(String),
    Letter(char),
    /// Anything else: a separator, a word, a space. Numbers on either side get a hyphen.
    Break,
}

/// The address number (住所表示番号) of an address, as digits, hyphens and letters
/// (manual 「住所表示番号の抜き出し方」):
/// - `&` `/` `・` `.` are removed first;
/// - numbers are kept (kanji numerals only before 丁目・番地・号…, see [`kanji_digit`]);
/// - a single letter is kept, a run of two or more letters (a building name like ABC) is not;
/// - `F` after a number (a floor, 10F) is dropped;
/// - numbers are joined with one hyphen; there is no hyphen before or after a letter.
///
/// Town names are not looked up in the postal code dictionary: a town name that contains a
/// number followed by one of the separators (八丁堀) must be left out of `address`.
pub fn address_number(address: &str) -> String {
    let text: Vec<char> = normalize(address)
        .chars()
        .filter(|c| !matches!(c, '&' | '/' | '・' | '.'))
        .collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < text.len() && text[i].is_ascii_digit() {
                i += 1;
            }
            pieces.push(Piece::Number(text[start..i].iter().collect()));
            // A floor: `10F` is the number 10.
            if i < text.len() && text[i] == 'F' && !next_is_letter(&text, i + 1) {
                i += 1;
                pieces.push(Piece::Break);
            }
        } else if is_kanji_numeral(c) {
            let start = i;
            while i < text.len() && is_kanji_numeral(text[i]) {
                i += 1;
            }
            let rest: String = text[i..].iter().take(2).collect();
            if SEPARATORS.iter().any(|s| rest.starts_with(s)) {
                let run: String = text[start..i].iter().collect();
                pieces.push(Piece::Number(kanji_value(&run).to_string()));
            } else {
                pieces.push(Piece::Break);
            }
        } else if c.is_ascii_uppercase() {
            let start = i;
            while i < text.len() && text[i].is_ascii_uppercase() {
                i += 1;
            }
            if i - start == 1 {
                pieces.push(Piece::Letter(c));
            } else {
                pieces.push(Piece::Break);
            }
        } else {
            pieces.push(Piece::Break);
            i += 1;
        }
    }
    let mut out = String::new();
    let mut last: Option<&Piece> = None;
    let mut broken = false;
    for p in &pieces {
        match p {
            Piece::Break => broken = true,
            Piece::Number(n) => {
                if matches!(last, Some(Piece::Number(_))) && broken {
                    out.push('-');
                }
                out.push_str(n);
                last = Some(p);
                broken = false;
            }
            Piece::Letter(l) => {
                out.push(*l);
                last = Some(p);
                broken = false;
            }
        }
    }
    out
}

fn next_is_letter(text: &[char], i: usize) -> bool {
    text.get(i).is_some_and(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked examples of the manual, page 25 (「バーコードの作成例」): postal code, address,
    /// the 20 data characters and the check digit.
    const MANUAL_EXAMPLES: &[(&str, &str, &str, &str)] = &[
        (
            "263-0023",
            "千葉市稲毛区緑町3丁目30-8　郵便ビル403号",
            "26300233-30-8-403CC4CC4CC4",
            "5",
        ),
        (
            "014-0113",
            "秋田県大仙市堀見内　南田茂木　添60-1",
            "014011360-1CC4CC4CC4CC4CC4CC4CC4CC4CC4",
            "CC8",
        ),
        (
            "110-0016",
            "東京都台東区台東5-6-3　ABCビル10F",
            "11000165-6-3-10CC4CC4CC4CC4CC4",
            "9",
        ),
        (
            "060-0906",
            "北海道札幌市東区北六条東4丁目　郵便センター6号館",
            "06009064-6CC4CC4CC4CC4CC4CC4CC4CC4CC4CC4",
            "9",
        ),
        (
            "065-0006",
            "北海道札幌市東区北六条東8丁目　郵便センター10号館",
            "06500068-10CC4CC4CC4CC4CC4CC4CC4CC4CC4",
            "9",
        ),
        (
            "407-0033",
            "山梨県韮崎市龍岡町下條南割　韮崎400",
            "4070033400CC4CC4CC4CC4CC4CC4CC4CC4CC4CC4",
            "-",
        ),
        (
            "273-0102",
            "千葉県鎌ケ谷市右京塚　東3丁目-20-5　郵便・A&bコーポB604号",
            "27301023-20-5CC11604CC4CC4",
            "0",
        ),
        (
            "198-0036",
            "東京都青梅市河辺町十一丁目六番地一号　郵便タワー601",
            "198003611-6-1-601CC4CC4CC4",
            "CC8",
        ),
        (
            "027-0203",
            "岩手県宮古市大字津軽石第二十一地割大淵川480",
            "027020321-480CC4CC4CC4CC4CC4CC4CC4",
            "CC5",
        ),
        (
            "590-0016",
            "大阪府堺市堺区中田出井町四丁六番十九号",
            "59000164-6-19CC4CC4CC4CC4CC4CC4CC4",
            "CC2",
        ),
        (
            "080-0831",
            "北海道帯広市稲田町南七線　西28",
            "08008317-28CC4CC4CC4CC4CC4CC4CC4CC4CC4",
            "CC7",
        ),
        (
            "317-0055",
            "茨城県日立市宮田町6丁目7-14　ABCビル2F",
            "31700556-7-14-2CC4CC4CC4CC4CC4",
            "CC1",
        ),
        (
            "650-0046",
            "神戸市中央区港島中町9丁目7-6　郵便シティA棟1F1号",
            "65000469-7-6CC101-1CC4CC4CC4",
            "5",
        ),
        (
            "623-0011",
            "京都府綾部市青野町綾部6-7　LプラザB106",
            "62300116-7CC21CC11106CC4CC4CC4",
            "4",
        ),
        (
            "064-0804",
            "札幌市中央区南四条西29丁目1524-23　第2郵便ハウス501",
            "064080429-1524-23-2-",
            "3",
        ),
        (
            "910-0067",
            "福井県福井市新田塚3丁目80-25　J1ビル2-B",
            "91000673-80-25CC191-2CC1",
            "9",
        ),
    ];

    #[test]
    fn the_manuals_worked_examples_encode_exactly() {
        for (postal, address, data, check) in MANUAL_EXAMPLES {
            let code = CustomerBarcode::new(postal, address).unwrap();
            assert_eq!(code.characters.len(), 23, "{address}");
            assert_eq!(&code.data_text(), data, "data characters of {address}");
            assert_eq!(
                code.characters[21].label(),
                *check,
                "check digit of {address}"
            );
            assert_eq!(code.characters[0], BarChar::Start);
            assert_eq!(code.characters[22], BarChar::Stop);
        }
    }

    #[test]
    fn check_digit_makes_the_sum_a_multiple_of_19() {
        // 263-0023 3-30-8-403: 2+6+3+0+0+2+3 + 3+10+3+0+10+8+10+4+0+3 + 14×3 = 109;
        // 19 − 109 mod 19 = 5.
        let code = CustomerBarcode::new("2630023", "3-30-8-403").unwrap();
        let sum: u32 = code.characters[1..22].iter().map(|c| c.check_value()).sum();
        assert_eq!(sum % 19, 0);
        assert_eq!(code.characters[21], BarChar::Digit(5));
    }

    #[test]
    fn labels_list_start_data_check_and_stop() {
        let code = CustomerBarcode::new("〒263-0023", "3丁目30-8 郵便ビル403号").unwrap();
        let labels = code.labels();
        assert_eq!(labels.first().map(String::as_str), Some("STC"));
        assert_eq!(labels.last().map(String::as_str), Some("SPC"));
        assert_eq!(labels[8], "3");
        assert_eq!(labels[9], "-");
        assert_eq!(labels[18], "CC4");
    }

    #[test]
    fn sixty_seven_bars_and_a_byte_stable_svg() {
        let code = CustomerBarcode::new("2630023", "3-30-8-403").unwrap();
        assert_eq!(code.bars().len(), 67);
        assert_eq!(code.bars()[..2], [Bar::Long, Bar::Descender]);
        assert_eq!(code.svg(), code.svg());
        assert_eq!(code.svg().matches('z').count(), 67);
    }

    #[test]
    fn bad_postal_codes_are_refused() {
        for bad in ["", "123-456", "12345678", "abc-defg"] {
            assert!(CustomerBarcode::new(bad, "1-2-3").is_err(), "{bad:?}");
        }
        assert!(CustomerBarcode::new("１２３－４５６７", "1-2-3").is_ok());
    }

    #[test]
    fn full_width_input_and_kanji_numerals() {
        assert_eq!(address_number("渋谷区神宮前一丁目２番３号"), "1-2-3");
        assert_eq!(address_number("北六条西二十九丁目1の5"), "29-1-5");
    }
}

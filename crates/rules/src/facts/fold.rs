//! Full-width and look-alike characters folded to ASCII before facts are read ("１２月"
//! reads as "12月", "０１２０－０００" as "0120-000"), keeping a map back to the original
//! byte offsets so every fact still points at the text as written.

/// `text` folded, with each folded char's original byte offset.
pub struct Folded {
    pub text: String,
    /// `(folded offset, original offset)` of every char, in order, plus one end entry.
    offsets: Vec<(usize, usize)>,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut offsets = Vec::with_capacity(original.len() + 1);
        for (at, c) in original.char_indices() {
            offsets.push((text.len(), at));
            text.push(fold_char(c));
        }
        offsets.push((text.len(), original.len()));
        Folded { text, offsets }
    }

    /// The original byte offset of folded byte offset `at` (a char boundary of the folded text).
    pub fn original(&self, at: usize) -> usize {
        match self.offsets.binary_search_by_key(&at, |(f, _)| *f) {
            Ok(i) => self.offsets[i].1,
            // Inside a char: its start.
            Err(i) => self.offsets[i.saturating_sub(1)].1,
        }
    }

    pub fn original_range(&self, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.original(r.start)..self.original(r.end)
    }
}

/// One char as ASCII where it is a full-width or typographic variant of one.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        // Hyphens and dashes written inside phone numbers and dates.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{fe63}' => '-',
        '\u{ffe5}' => '¥',
        _ => c,
    }
}

/// A string folded as [`fold_char`] does, lower-cased, without white space.
pub fn loose(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_fold_and_map_back() {
        let s = "期日：１２月１０日";
        let f = Folded::new(s);
        assert_eq!(f.text, "期日:12月10日");
        let at = f.text.find("12").unwrap();
        assert_eq!(&s[f.original(at)..], "１２月１０日");
        assert_eq!(f.original(f.text.len()), s.len());
    }
}

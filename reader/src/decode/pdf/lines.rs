//! Words → lines of text, and lines → the text of a cell.
//!
//! Poppler's word boxes are as tall as the font's bounding box, which for
//! CJK fonts is two or three times the type size, so the boxes of one
//! line overlap the next. Lines are therefore found by the words' vertical
//! centres, within half the type size, and the type size is estimated from
//! a word's width: a CJK character is one em wide, others about half.

use super::poppler::Word;

/// A word's type size, in points.
pub fn em(word: &Word) -> f32 {
    let units: f32 = word.text.chars().map(char_units).sum();
    let height = word.y1 - word.y0;
    ((word.x1 - word.x0) / units.max(0.55)).clamp(1.0, height.max(1.0))
}

/// A character's width in ems, as estimated: one for a wide character,
/// a little over half for others.
pub fn char_units(c: char) -> f32 {
    if wide(c) {
        1.0
    } else {
        0.55
    }
}

/// A character set one em wide: CJK ideographs, kana, hangul, CJK and
/// full-width punctuation.
pub fn wide(c: char) -> bool {
    (c as u32) >= 0x2E80 && !matches!(c as u32, 0xFF61..=0xFFDC | 0xFFE8..=0xFFEE)
}

pub fn middle(word: &Word) -> (f32, f32) {
    ((word.x0 + word.x1) / 2.0, (word.y0 + word.y1) / 2.0)
}

/// Words on one line, left to right.
#[derive(Clone, Debug)]
pub struct Line {
    pub words: Vec<Word>,
    /// Vertical centre of the words, and their median type size.
    pub middle: f32,
    pub em: f32,
}

impl Line {
    pub fn top(&self) -> f32 {
        self.words.iter().map(|w| w.y0).fold(f32::MAX, f32::min)
    }

    pub fn left(&self) -> f32 {
        self.words.first().map_or(0.0, |w| w.x0)
    }

    pub fn right(&self) -> f32 {
        self.words.iter().map(|w| w.x1).fold(f32::MIN, f32::max)
    }

    /// The words as printed: a space between words set apart by one
    /// (poppler also splits words where the font changes, e.g. at a
    /// closing quote, without a gap between them).
    pub fn text(&self) -> String {
        let mut text = String::new();
        let mut previous: Option<&Word> = None;
        for word in &self.words {
            if previous.is_some_and(|p| word.x0 - p.x1 >= 0.12 * self.em) {
                text.push(' ');
            }
            text.push_str(&word.text);
            previous = Some(word);
        }
        text
    }

    /// Runs of words separated by gaps wider than 1.5 em: the cells of a
    /// table drawn without borders, or text set apart on one line.
    pub fn chunks(&self) -> Vec<Line> {
        let mut chunks: Vec<Line> = Vec::new();
        for word in &self.words {
            match chunks.last_mut() {
                Some(chunk) if word.x0 - chunk.right() <= 1.5 * self.em => chunk.words.push(word.clone()),
                _ => chunks.push(Line { words: vec![word.clone()], middle: self.middle, em: self.em }),
            }
        }
        chunks
    }
}

/// Groups words into lines, top to bottom.
pub fn lines(mut words: Vec<Word>) -> Vec<Line> {
    words.sort_by(|a, b| middle(a).1.total_cmp(&middle(b).1).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<(Line, f32, Vec<f32>)> = Vec::new();
    for word in words {
        let (y, size) = (middle(&word).1, em(&word));
        // Lines are started in order of their centre; only the last few
        // can still be within reach.
        let joined = lines
            .iter_mut()
            .rev()
            .take_while(|(line, ..)| y - line.middle <= 2.0 * size.max(line.em))
            .filter(|(line, ..)| (y - line.middle).abs() <= 0.5 * size.min(line.em))
            .min_by(|a, b| (y - a.0.middle).abs().total_cmp(&(y - b.0.middle).abs()));
        match joined {
            Some((line, sum, sizes)) => {
                *sum += y;
                sizes.push(size);
                line.words.push(word);
                line.middle = *sum / line.words.len() as f32;
                line.em = median(sizes);
            }
            None => lines.push((Line { words: vec![word], middle: y, em: size }, y, vec![size])),
        }
    }
    let mut lines: Vec<Line> = lines.into_iter().map(|(line, ..)| line).collect();
    for line in &mut lines {
        line.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines.sort_by(|a, b| a.middle.total_cmp(&b.middle));
    lines
}

fn median(values: &[f32]) -> f32 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    sorted[sorted.len() / 2]
}

/// The text of lines wrapped inside one cell (see [`append_wrapped`]).
pub fn join(lines: &[Line]) -> String {
    let mut text = String::new();
    for line in lines {
        append_wrapped(&mut text, &line.text());
    }
    text
}

/// Appends the next line of wrapped text. A line break next to a Chinese
/// character hides nothing, nor one after a hyphen (a browser breaks
/// `2022.01.01-2022.12.31` there); between other Latin letters, digits or
/// signs it was a space.
pub fn append_wrapped(text: &mut String, next: &str) {
    if let (Some(before), Some(after)) = (text.chars().last(), next.chars().next()) {
        if !wide(before) && !wide(after) && !matches!(before, '-' | '–') {
            text.push(' ');
        }
    }
    text.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn word(x0: f32, y0: f32, x1: f32, y1: f32, text: &str) -> Word {
        Word { x0, y0, x1, y1, text: text.into() }
    }

    #[test]
    fn type_size_from_width() {
        // 10 pt CJK type in a box 26 pt tall (the font's bounding box).
        assert_eq!(em(&word(0.0, 0.0, 40.0, 26.0, "项目名称")), 10.0);
        assert!((em(&word(0.0, 0.0, 36.0, 26.0, "200,000")) - 9.35).abs() < 0.1);
    }

    #[test]
    fn overlapping_boxes_of_wrapped_lines_are_two_lines() {
        // Lines 18 pt apart whose 26 pt boxes overlap, and a word of the
        // first line in a neighbouring cell.
        let words = vec![
            word(0.0, 91.0, 30.0, 117.0, "项目资"),
            word(0.0, 109.0, 30.0, 135.0, "金"),
            word(40.0, 92.0, 100.0, 118.0, "实施期资金总额:"),
        ];
        let lines = lines(words);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text(), "项目资 实施期资金总额:");
        assert_eq!(join(&lines[1..]), "金");
    }

    #[test]
    fn wrapped_text_joins_without_a_space_between_chinese() {
        let line = |y: f32, text: &str| Line { words: vec![word(0.0, y, 10.0, y + 10.0, text)], middle: y, em: 10.0 };
        assert_eq!(join(&[line(0.0, "确保基本医保、大病"), line(12.0, "保险覆盖率")]), "确保基本医保、大病保险覆盖率");
        assert_eq!(join(&[line(0.0, "12"), line(12.0, "个月")]), "12个月");
        assert_eq!(join(&[line(0.0, "Times New"), line(12.0, "Roman")]), "Times New Roman");
        assert_eq!(join(&[line(0.0, "2022.01.01-"), line(12.0, "2022.12.31")]), "2022.01.01-2022.12.31");
    }

    #[test]
    fn words_touching_are_one_word() {
        // A closing quote in another font, then 。 overlapping its box.
        let words = vec![word(0.0, 0.0, 90.0, 26.0, "部门在预算中安排”"), word(85.0, 0.0, 95.0, 26.0, "。"), word(97.5, 0.0, 117.5, 26.0, "2、")];
        assert_eq!(lines(words)[0].text(), "部门在预算中安排”。 2、");
    }

    #[test]
    fn wide_gaps_split_a_line_into_chunks() {
        let words = vec![word(0.0, 0.0, 40.0, 13.0, "项目名称"), word(43.0, 0.0, 63.0, 13.0, "驻村"), word(120.0, 0.0, 140.0, 13.0, "经费")];
        let lines = lines(words);
        let chunks: Vec<String> = lines[0].chunks().iter().map(Line::text).collect();
        assert_eq!(chunks, ["项目名称 驻村", "经费"]);
    }
}

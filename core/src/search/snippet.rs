//! Snippets: the part of a document's text around what matched, with the
//! matched text marked. Returned as segments so the app renders them as
//! text nodes (never as HTML).

use crate::text::fold_char;

use super::query::Query;

/// A piece of snippet text; `hit` pieces matched the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Characters of context a snippet shows.
pub const SNIPPET_CHARS: usize = 64;

/// Marks every occurrence of the query's spellings in `text` (whole
/// spellings first; for a spelling that never occurs whole, its
/// two-character pieces, since a clause matches by its bigrams).
pub fn highlight(text: &str, query: &Query) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let marks = marks(&chars, query);
    segments(&chars, &marks, 0, chars.len())
}

fn marks(chars: &[char], query: &Query) -> Vec<bool> {
    let folded: Vec<char> = chars.iter().map(|&c| fold_char(c)).collect();
    let mut marks = vec![false; chars.len()];
    for clause in query.required() {
        for spelling in &clause.spellings {
            let needle: Vec<char> = spelling.chars().filter(|c| !c.is_whitespace()).collect();
            if mark_all(&folded, &needle, &mut marks) == 0 && needle.len() > 2 {
                for pair in needle.windows(2) {
                    mark_all(&folded, pair, &mut marks);
                }
            }
        }
    }
    marks
}

fn mark_all(haystack: &[char], needle: &[char], marks: &mut [bool]) -> usize {
    if needle.is_empty() || needle.len() > haystack.len() {
        return 0;
    }
    let mut found = 0;
    for start in 0..=haystack.len() - needle.len() {
        if haystack[start..start + needle.len()] == *needle {
            marks[start..start + needle.len()].iter_mut().for_each(|m| *m = true);
            found += 1;
        }
    }
    found
}

fn segments(chars: &[char], marks: &[bool], from: usize, to: usize) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for i in from..to {
        match out.last_mut() {
            Some(seg) if seg.hit == marks[i] => seg.text.push(chars[i]),
            _ => out.push(Segment { text: chars[i].to_string(), hit: marks[i] }),
        }
    }
    out
}

/// The best window of `texts` (tried in order) around the densest matches;
/// `None` when nothing matches in any of them.
pub fn snippet(texts: &[&str], query: &Query) -> Option<Vec<Segment>> {
    let mut best: Option<(usize, Vec<Segment>)> = None;
    for text in texts {
        let chars: Vec<char> = text.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
        let marks = marks(&chars, query);
        let hits = marks.iter().filter(|&&m| m).count();
        if hits == 0 {
            continue;
        }
        // The window with the most marked characters.
        let width = SNIPPET_CHARS.min(chars.len());
        let mut count: usize = marks[..width].iter().filter(|&&m| m).count();
        let (mut best_start, mut best_count) = (0, count);
        for start in 1..=chars.len() - width {
            count = count + marks[start + width - 1] as usize - marks[start - 1] as usize;
            if count > best_count {
                best_count = count;
                best_start = start;
            }
        }
        // Start a little before the first match in the window.
        let first = (best_start..best_start + width).find(|&i| marks[i]).unwrap_or(best_start);
        let start = first.saturating_sub(12).max(best_start.saturating_sub(12)).min(chars.len() - width);
        let end = (start + width).min(chars.len());
        let mut segs = segments(&chars, &marks, start, end);
        if start > 0 {
            segs.insert(0, Segment { text: "…".into(), hit: false });
        }
        if end < chars.len() {
            segs.push(Segment { text: "…".into(), hit: false });
        }
        if best.as_ref().is_none_or(|(n, _)| best_count > *n) {
            best = Some((best_count, segs));
        }
    }
    best.map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::super::query::parse;
    use super::*;

    fn render(segs: &[Segment]) -> String {
        segs.iter().map(|s| if s.hit { format!("[{}]", s.text) } else { s.text.clone() }).collect()
    }

    #[test]
    fn marks_whole_spellings_and_bigrams() {
        let q = parse("驻村 DIP", &[]);
        assert_eq!(render(&highlight("驻村干部 dip 改革", &q)), "[驻村]干部 [dip] 改革");
        let q = parse("医疗救助", &[]);
        assert_eq!(render(&highlight("城乡医疗的救助", &q)), "城乡[医疗]的[救助]");
    }

    #[test]
    fn snippets_center_on_matches() {
        let q = parse("举报奖励", &[]);
        let text = format!("{}对举报奖励的规定{}", "前".repeat(100), "后".repeat(100));
        let segs = snippet(&[&text], &q).unwrap();
        let rendered = render(&segs);
        assert!(rendered.contains("[举报奖励]"), "{rendered}");
        assert!(rendered.starts_with('…') && rendered.ends_with('…'));
        assert!(snippet(&["无关"], &q).is_none());
    }
}

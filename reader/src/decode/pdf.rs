//! PDF with a text layer → rows of cells, each with its page and height.
//!
//! ```text
//! bytes ─ pdfinfo ─► page count (more than MAX_PAGES: refused)
//!       ─ pdftotext -tsv ─► words with boxes, per page        (poppler.rs)
//!       ─ lopdf content streams ─► drawn lines, per page       (rulings.rs)
//!       ─ lines → ruled table cells ─────────────────────────── (cells.rs)
//!       ─ words into cells and lines, headers/footers dropped,
//!         tables joined over page breaks ─► rows               (layout.rs, lines.rs)
//! ```
//!
//! Poppler reads the text (fonts, encodings, CJK through poppler-data);
//! its own blocks merge stacked cells of a column, so only its words are
//! used. Cells come from the table borders the page draws: reliable for a
//! wrapped cell (one cell, several lines) and for a merged cell whose label
//! is printed in the middle of the rows it spans (the text goes in its
//! first row). Tables drawn without borders are rebuilt from the gaps
//! between words. The rulings are read while pdftotext runs (two
//! processes, one per half, for a long document): a 300-page budget PDF
//! takes about 4 s on two cores.

mod cells;
mod layout;
mod lines;
mod poppler;
mod rulings;

use std::time::{Duration, Instant};

use super::{Content, DecodeError, Decoded, Reading};
use crate::grid::Layout;
use poppler::Failure;

/// Documents with more pages are refused: a budget document is tens to a
/// few hundred pages; reading this many takes about 14 s and 500 MB here.
pub const MAX_PAGES: u32 = 1000;

/// What a scanned document is told.
pub const SCANNED: &str = "扫描件，没有文字层，需先 OCR";

/// What a document whose text layer reads as no text is told.
pub const GARBLED: &str = "PDF 的文字层读不出文字（字体没有 Unicode 映射，读到的是乱码），需先 OCR";

/// Runs `work` on a thread of its own; the function returned waits for its
/// result at most the time it is given (`None`: it panicked or is still
/// running, and is left to finish on its own).
fn within<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> impl FnOnce(Duration) -> Option<T> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    move |wait| receiver.recv_timeout(wait).ok()
}

/// Reads a PDF (the bytes of the whole file).
pub fn read(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let pages = poppler::page_count(bytes).map_err(failed)?;
    if pages == 0 {
        return Err(DecodeError::refused("PDF 没有任何页面"));
    }
    if pages > MAX_PAGES {
        return Err(DecodeError::refused(format!("PDF 共 {pages} 页，超过可读的 {MAX_PAGES} 页：请拆成较小的文件再读")));
    }
    // Twenty seconds plus a tenth of a second a page: poppler reads about
    // 150 pages a second here.
    let limit = Duration::from_secs(20) + Duration::from_millis(100) * pages;
    let started = Instant::now();
    let owned = bytes.to_vec();
    let rulings = within(move || rulings::read(&owned, pages));
    let words = poppler::words(bytes, pages, limit);
    // The borders get the time poppler had: a parser that panics or is
    // still at it leaves them unknown, nothing worse.
    let rulings = rulings(limit.saturating_sub(started.elapsed())).unwrap_or_else(|| Err("lopdf 出错或超时".into()));
    let words = words.map_err(failed)?;
    if words.iter().all(|p| p.words.is_empty()) {
        return Err(DecodeError::refused(SCANNED));
    }
    if garbled(&words) {
        return Err(DecodeError::refused(GARBLED));
    }
    let unruled = rulings.as_ref().err().cloned();
    let mut rulings = rulings.unwrap_or_default().into_iter();
    // Lines of a page only where lopdf and poppler agree on its size (two
    // readings of a damaged page tree might not number pages alike); the
    // size as shown is lopdf's (poppler reports a turned page unturned).
    let inputs = words
        .into_iter()
        .map(|page| {
            let same_page = |r: &rulings::PageRulings| (r.stored.0 - page.width).abs() < 1.0 && (r.stored.1 - page.height).abs() < 1.0;
            match rulings.next().flatten().filter(same_page) {
                Some(r) => layout::PageInput { width: r.shown.0, height: r.shown.1, words: page.words, segments: Some(r.segments) },
                None => layout::PageInput { width: page.width, height: page.height, words: page.words, segments: None },
            }
        })
        .collect();
    let (rows, summary) = layout::lay_out(inputs);
    if rows.is_empty() {
        return Err(DecodeError::refused(SCANNED));
    }
    let mut conversions = vec![format!(
        "PDF 共 {pages} 页，按文字位置重建行和列：有边框的表格 {} 个（按表格线分单元格），无边框的表格 {} 个（按空白分列）；跨页的表格接续为一个表格",
        summary.ruled_tables, summary.borderless_tables
    )];
    if summary.dropped_lines > 0 {
        conversions.push(format!("去掉了页眉、页脚和页码 {} 行", summary.dropped_lines));
    }
    if !summary.pages_without_text.is_empty() {
        conversions.push(format!("第 {} 页没有文字层（空白页或扫描页；扫描页需先 OCR）", page_list(&summary.pages_without_text)));
    }
    if let Some(why) = unruled {
        conversions.push(format!("未能读出表格线，所有表格按空白分列：{why}"));
    }
    let reading = Reading { format: "pdf".into(), encoding: "UTF-8".into(), line_ends: "none".into(), conversions, ..Reading::default() };
    Ok(Decoded { content: Content::Rows { layout: Layout::PdfPages, rows }, reading })
}

/// Most of the text is private-use or replacement characters: fonts
/// without a Unicode mapping, whose text means nothing without OCR.
fn garbled(pages: &[poppler::Page]) -> bool {
    let (mut all, mut unreadable) = (0usize, 0usize);
    for c in pages.iter().flat_map(|p| &p.words).flat_map(|w| w.text.chars()) {
        all += 1;
        unreadable += usize::from(matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{FFFD}') || c.is_control());
    }
    unreadable * 10 >= all * 3
}

/// `3、5–7、9` for pages 3, 5, 6, 7, 9.
fn page_list(pages: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &p in pages {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    runs.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect::<Vec<_>>().join("、")
}

/// A poppler failure in words a person can act on.
fn failed(failure: Failure) -> DecodeError {
    DecodeError::refused(match failure {
        Failure::Missing(tool) => format!("找不到 {tool}。{}", poppler::INSTALL_HINT),
        Failure::TimedOut(limit) => format!("PDF 读取超过 {} 秒仍未完成，已停止", limit.as_secs()),
        Failure::TooLarge(megabytes) => format!("PDF 的文字超过 {megabytes} MB，不像预算文件，已停止读取"),
        Failure::Failed(said) if said.contains("Missing language pack") => {
            "缺少 poppler-data，PDF 中未嵌入字体的中文无法读出：请安装 poppler-data（apt-get install poppler-data，或运行 cargo xtask setup）".into()
        }
        Failure::Failed(said) if said.contains("Incorrect password") => "PDF 设有打开密码，无法读取：请提供未加密的文件".into(),
        Failure::Failed(said) => {
            let first = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
            format!("PDF 文件已损坏或不完整，无法读取：poppler 报告“{first}”")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_past_its_time_is_left_behind() {
        let quick = within(|| 7);
        assert_eq!(quick(Duration::from_secs(5)), Some(7));
        let stuck = within(|| std::thread::sleep(Duration::from_secs(30)));
        let started = Instant::now();
        assert_eq!(stuck(Duration::from_millis(100)), None);
        assert!(started.elapsed() < Duration::from_secs(5));
        let panicked = within(|| -> u8 { panic!("a parser bug") });
        assert_eq!(panicked(Duration::from_secs(5)), None);
    }

    #[test]
    fn a_missing_poppler_says_what_to_install() {
        let failure = poppler::run("pdftotext-not-installed-here", &[], b"", Duration::from_secs(5), 1 << 20).unwrap_err();
        let message = failed(failure).to_string();
        assert!(message.contains("pdftotext-not-installed-here") && message.contains("apt-get install poppler-utils poppler-data"), "{message}");
    }

    #[test]
    fn a_tool_running_too_long_is_stopped() {
        let started = std::time::Instant::now();
        let failure = poppler::run("sleep", &["30"], b"", Duration::from_millis(300), 1 << 20).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(failed(failure).to_string().contains("已停止"));
    }

    #[test]
    fn a_tool_writing_without_end_is_stopped() {
        let failure = poppler::run("yes", &[], b"", Duration::from_secs(30), 1 << 20).unwrap_err();
        assert!(failed(failure).to_string().contains("超过 1 MB"));
    }

    #[test]
    fn text_of_private_use_characters_is_no_text() {
        let page = |texts: &[&str]| poppler::Page {
            width: 595.0,
            height: 842.0,
            words: texts.iter().map(|t| poppler::Word { x0: 0.0, y0: 0.0, x1: 10.0, y1: 10.0, text: t.to_string() }).collect(),
        };
        assert!(garbled(&[page(&["\u{E001}\u{E002}\u{E003}", "\u{FFFD}\u{FFFD}"]), page(&["12"])]));
        assert!(!garbled(&[page(&["项目名称", "驻村经费"]), page(&["\u{E001}"])]));
    }

    #[test]
    fn page_lists_are_short() {
        assert_eq!(page_list(&[3, 5, 6, 7, 9]), "3、5–7、9");
    }
}

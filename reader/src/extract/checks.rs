//! Doubts about a whole table that no single stage sees, written down as
//! warnings on its record (with the file and line, like every warning):
//!
//! - the document ends inside its last project table (the indicator block
//!   lacks a first-level category every complete table has);
//! - a cell holds active HTML (`<script>`, `<img onerror=…>`): kept as
//!   literal text (the app and the static pages show data as text), but a
//!   person should know it is there;
//! - a project name far longer than any real one (cells run together).
//!
//! It also says each warning once per line (the mirrored 实施期/年度 halves
//! of a table repeat a doubtful cell on the same line).

use std::sync::OnceLock;

use jixiao_core::model::{Kind, Record, Warning};
use regex::Regex;

use crate::grid::Row;
use super::tables::TableSpan;

/// The first-level indicator categories of a complete project table.
const CATEGORIES: [&str; 3] = ["产出指标", "效益指标", "满意度指标"];

/// Names longer than this many characters are reported (the longest real
/// one in data/ has 39).
pub const LONG_NAME: usize = 200;

fn active_markup() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)<\s*/?\s*(script|img|iframe|object|embed|svg|style|link|meta|form|a|base|video|audio|body|html)\b[^>]*>?|\bon[a-z]+\s*=|javascript\s*:",
        )
        .expect("compiles")
    })
}

/// Checks each table (`spans[i]` read into `records[i]`).
pub fn check_tables(rows: &[Row], spans: &[TableSpan], records: &mut [Record]) {
    for (span, record) in spans.iter().zip(records.iter_mut()) {
        let document = record.sources[0].document.clone();
        let mut warn = |line: u32, message: String| record.warnings.push(Warning { document: document.clone(), line, message });
        for cell in rows[span.start..span.end].iter().flat_map(|r| &r.cells) {
            if let Some(m) = active_markup().find(&cell.text) {
                let shown: String = m.as_str().chars().take(40).collect();
                warn(cell.line, format!("单元格含有可执行的 HTML 代码“{shown}”，按文字原样保存（网站只以纯文本显示）"));
            }
        }
        let length = record.name.chars().count();
        if record.kind == Kind::Project && length > LONG_NAME {
            warn(record.sources[0].line, format!("项目名称长达 {length} 字，远超常见长度，请核对是否有几个单元格连在了一起（名称已完整保存）"));
        }
    }
    if let (Some(span), Some(record)) = (spans.last(), records.last_mut()) {
        cut_off(rows, span, record);
    }
    // The mirrored 实施期/年度 halves repeat a cell on one line: say it once.
    for record in records.iter_mut() {
        let mut seen = std::collections::HashSet::new();
        record.warnings.retain(|w| seen.insert((w.line, w.message.clone())));
    }
}

/// The last table of a document that lacks a category every complete table
/// has was probably cut off where the file ends.
fn cut_off(rows: &[Row], span: &TableSpan, record: &mut Record) {
    if record.kind != Kind::Project || span.end != rows.len() || span.end == 0 {
        return;
    }
    let missing: Vec<String> = CATEGORIES
        .iter()
        .filter(|c| !record.indicators.iter().any(|i| i.level1.as_deref() == Some(**c)))
        .map(|c| format!("“{c}”"))
        .collect();
    if missing.is_empty() {
        return;
    }
    let last_line = rows[span.end - 1].last_line;
    record.warnings.push(Warning {
        document: record.sources[0].document.clone(),
        line: last_line,
        message: format!("文件在表格中途结束，表格可能被截断：没有一级指标{}（已读到 {} 项指标）", missing.join(""), record.indicators.len()),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_markup_is_found_and_formatting_is_not() {
        for text in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:x\">", "点击 <IMG SRC=x>"] {
            assert!(active_markup().is_match(text), "{text}");
        }
        for text in ["≥95%", "<5天", "a < b > c", "DRG/DIP 付费", "onerror"] {
            assert!(!active_markup().is_match(text), "{text}");
        }
    }
}

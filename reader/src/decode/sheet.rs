//! Workbooks (`.xlsx`, `.xls`, `.ods`, recognised by content) → rows: every
//! sheet in order, every row of its used range, merged cells as in the
//! other formats (the merged text in the first cell, the cells it covers
//! empty), numbers as Excel shows them.
//!
//! Read with `calamine` (pure Rust, maintained, reads all three formats and
//! their merged regions). Excel stores 29.55 as the double nearest to it
//! (29.549999999999997); a cell is shown with at most 15 significant
//! digits, as Excel does, so the text is `29.55`. Dates become
//! `2023-01-01`. Each row's place is its sheet and Excel row number; a
//! cell's own address (`项目表!B7`) follows from its column.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, Sheets};

use super::{Content, DecodeError, Decoded, Reading};
use crate::grid::{Layout, Place, SourceCell, SourceRow};

/// Cells beyond these are not a performance table (a sheet formatted down
/// to row 1,048,576): the used range is cut and the report says so.
const MAX_ROWS: u32 = 20_000;
const MAX_COLUMNS: u32 = 256;

/// Reads a workbook from its bytes; `kind` names it for messages (`Excel
/// 工作簿`).
pub fn read(bytes: &[u8], kind: &str) -> Result<Decoded, DecodeError> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| DecodeError::refused(format!("{kind}无法打开：{}", reason(&e.to_string()))))?;
    let names = workbook.sheet_names().to_vec();
    if let Sheets::Xlsx(xlsx) = &mut workbook {
        // Merged regions are only read when asked for.
        xlsx.load_merged_regions().map_err(|e| DecodeError::refused(format!("{kind}的合并单元格无法读取：{e}")))?;
    }
    let mut rows = Vec::new();
    let mut conversions = Vec::new();
    let mut cut = Vec::new();
    for name in &names {
        let range = match workbook.worksheet_range(name) {
            Ok(range) => range,
            Err(e) => {
                conversions.push(format!("工作表“{name}”无法读取（{}），已跳过", reason(&e.to_string())));
                continue;
            }
        };
        let merged = merged_regions(&mut workbook, name);
        if sheet_rows(name, &range, &merged, &mut rows) {
            cut.push(name.clone());
        }
    }
    conversions.insert(0, format!("{kind}转为表格行：{} 个工作表，合并单元格已展开，数字按 Excel 显示的位数读取", names.len()));
    if !cut.is_empty() {
        conversions.push(format!("工作表“{}”超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列，只读取了前面部分", cut.join("”“")));
    }
    let reading = Reading { format: "spreadsheet".into(), encoding: "—".into(), line_ends: "none".into(), conversions, ..Reading::default() };
    Ok(Decoded { content: Content::Rows { layout: Layout::Spreadsheet, rows }, reading })
}

/// calamine's messages in words a user can act on.
fn reason(message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        "文件受密码保护，请先在 Excel 或 WPS 中取消密码后另存".into()
    } else {
        format!("文件已损坏或不是工作簿（{message}）")
    }
}

fn merged_regions(workbook: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<Dimensions> {
    match workbook {
        Sheets::Xlsx(xlsx) => xlsx.merged_regions_by_sheet(name).into_iter().map(|(_, _, d)| *d).collect(),
        Sheets::Xls(xls) => xls.worksheet_merge_cells(name).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Appends a sheet's rows; true when the sheet was cut at the limits.
fn sheet_rows(name: &str, range: &Range<Data>, merged: &[Dimensions], rows: &mut Vec<SourceRow>) -> bool {
    let Some((first_row, first_col)) = range.start() else { return false };
    let (last_row, last_col) = range.end().unwrap_or((first_row, first_col));
    let last_row = last_row.min(first_row + MAX_ROWS - 1);
    let last_col = last_col.min(first_col + MAX_COLUMNS - 1);
    let cut = range.end().is_some_and(|(r, c)| r > last_row || c > last_col);
    let merges = merged_cells(merged, (first_row, first_col), (last_row, last_col));
    let mut starts_block = true;
    for row in first_row..=last_row {
        let mut cells = Vec::new();
        let mut col = first_col;
        while col <= last_col {
            let span = match merges.get(&(row, col)) {
                Some(Merged::Covered) => {
                    cells.push(SourceCell::new(""));
                    col += 1;
                    continue;
                }
                Some(&Merged::Origin { span }) => span.clamp(1, last_col - col + 1),
                None => 1,
            };
            let text = range.get_value((row, col)).map(shown).unwrap_or_default();
            cells.push(SourceCell { text, col_span: span });
            col += span;
        }
        rows.push(SourceRow { cells, place: Place::Sheet { sheet: name.to_string(), row: row + 1, first_col }, starts_block });
        starts_block = false;
    }
    cut
}

/// What a merged region makes of a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Merged {
    /// The region's top-left cell, holding its text over `span` columns.
    Origin { span: u32 },
    /// Another cell of the region: empty (calamine leaves it empty).
    Covered,
}

/// The cells merged regions start or cover within the used range
/// `first..=last` ((row, col) pairs), indexed once so that each cell is one
/// lookup. A region starting left of or above the range is clipped: the
/// cells of it inside are covered. Where regions overlap (a damaged file),
/// a covered cell stays covered and a cell starting two regions takes the
/// first.
fn merged_cells(merged: &[Dimensions], first: (u32, u32), last: (u32, u32)) -> HashMap<(u32, u32), Merged> {
    let mut cells = HashMap::new();
    for region in merged {
        for row in region.start.0.max(first.0)..=region.end.0.min(last.0) {
            for col in region.start.1.max(first.1)..=region.end.1.min(last.1) {
                if (row, col) == region.start {
                    cells.entry((row, col)).or_insert(Merged::Origin { span: region.end.1 - region.start.1 + 1 });
                } else {
                    cells.insert((row, col), Merged::Covered);
                }
            }
        }
    }
    cells
}

/// A cell's text as Excel shows it.
pub fn shown(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(d) => date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A double with at most 15 significant digits, as Excel shows it:
/// 29.549999999999997 → `29.55`, 70.0 → `70`.
pub fn number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    let text = rounded.to_string();
    // `1e21` style for huge numbers stays as Rust prints it; amounts in a
    // budget table never come near.
    text
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`, with the
/// time of day when there is one.
fn date(serial: f64) -> String {
    let days = serial.floor() as i64;
    // Days from 1970-01-01 (serial 25569), then the civil date (Howard
    // Hinnant's days_from_civil, inverted).
    let z = days - 25569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if seconds == 0 {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", seconds / 3600, seconds / 60 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number(29.549999999999997), "29.55");
        assert_eq!(number(70.0), "70");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(3309840.0), "3309840");
        assert_eq!(number(1.5e-7), "0.00000015");
    }

    #[test]
    fn merged_regions_span_their_first_cell_and_empty_the_others() {
        // Used range B1:E3. B1:D1 is a title across three columns, C2:C3 a
        // merge down, A3:C3 starts left of the used range (clipped: B3 and
        // C3 are covered, C3 by both). Covered cells are empty even where
        // the file left text in them.
        let mut range = Range::new((0, 1), (2, 4));
        let texts = [((0, 1), "标题"), ((0, 4), "单位：万元"), ((1, 1), "项目名称"), ((1, 2), "合并"), ((1, 3), "甲"), ((2, 1), "残"), ((2, 2), "留"), ((2, 4), "乙")];
        for (cell, text) in texts {
            range.set_value(cell, Data::String(text.into()));
        }
        let merged = [Dimensions::new((0, 1), (0, 3)), Dimensions::new((1, 2), (2, 2)), Dimensions::new((2, 0), (2, 2))];
        let mut rows = Vec::new();
        assert!(!sheet_rows("表1", &range, &merged, &mut rows));
        let cells: Vec<Vec<(&str, u32)>> = rows.iter().map(|r| r.cells.iter().map(|c| (c.text.as_str(), c.col_span)).collect()).collect();
        assert_eq!(
            cells,
            [
                vec![("标题", 3), ("单位：万元", 1)],
                vec![("项目名称", 1), ("合并", 1), ("甲", 1), ("", 1)],
                vec![("", 1), ("", 1), ("", 1), ("乙", 1)],
            ]
        );
        assert_eq!(rows[2].place, Place::Sheet { sheet: "表1".into(), row: 3, first_col: 1 });
    }

    #[test]
    fn serial_dates_become_calendar_dates() {
        assert_eq!(date(44927.0), "2023-01-01");
        assert_eq!(date(45291.0), "2023-12-31");
        assert_eq!(date(45292.5), "2024-01-01 12:00");
    }
}

//! Stage 1: document text → rows of cells, whatever the layout.
//!
//! Two layouts of extracted tables occur: one row per line with tab-separated
//! cells (PDF and Word table exports), and one cell per line, each cell line
//! starting with a tab and rows separated by blank lines (Word exports of
//! nested tables). A `.docx` read directly (`decode::docx`) arrives as tab
//! rows with real cells, never guessed. Everything downstream sees only
//! [`Row`]s.

use super::clean::clean_cell;

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Cleaned text (markup remnants resolved, whitespace collapsed).
    pub text: String,
    /// 1-based line the cell starts on.
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub first_line: u32,
    pub last_line: u32,
    /// Cells in column order; empty cells are kept so columns line up.
    pub cells: Vec<Cell>,
    /// Blank lines immediately above this row (a page break shows as a gap).
    pub gap_before: u32,
}

impl Row {
    /// The non-empty cells with their column index.
    pub fn filled(&self) -> impl Iterator<Item = (usize, &Cell)> {
        self.cells.iter().enumerate().filter(|(_, c)| !c.text.is_empty())
    }

    pub fn filled_count(&self) -> usize {
        self.filled().count()
    }

    /// All cell texts joined by a space.
    pub fn joined(&self) -> String {
        self.filled().map(|(_, c)| c.text.as_str()).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    TabRows,
    CellPerLine,
    /// The tables of a Word `.docx`: tab rows, one per paragraph or table row.
    WordTables,
}

impl Layout {
    pub fn describe(self) -> &'static str {
        match self {
            Layout::TabRows => "tab-separated rows",
            Layout::CellPerLine => "one cell per line",
            Layout::WordTables => "Word tables (.docx)",
        }
    }
}

/// A document is cell-per-line when most of its non-blank lines are a tab
/// followed by a single cell.
pub fn detect_layout(lines: &[&str]) -> Layout {
    let non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count();
    let single_cells = lines.iter().filter(|l| l.starts_with('\t') && l.matches('\t').count() == 1).count();
    if non_blank > 0 && single_cells * 2 > non_blank {
        Layout::CellPerLine
    } else {
        Layout::TabRows
    }
}

pub fn rows(text: &str) -> (Layout, Vec<Row>) {
    rows_in(text, None)
}

/// Like [`rows`], in a layout known beforehand (a `.docx`) instead of one
/// detected from the text.
pub fn rows_in(text: &str, known: Option<Layout>) -> (Layout, Vec<Row>) {
    let lines: Vec<&str> = text.lines().collect();
    let layout = known.unwrap_or_else(|| detect_layout(&lines));
    let rows = match layout {
        Layout::TabRows | Layout::WordTables => tab_rows(&lines),
        Layout::CellPerLine => cell_per_line_rows(&lines),
    };
    (layout, rows)
}

fn tab_rows(lines: &[&str]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut gap = 0;
    for (i, line) in lines.iter().enumerate() {
        let line_no = i as u32 + 1;
        if line.trim().is_empty() {
            gap += 1;
            continue;
        }
        let mut cells: Vec<Cell> = line.split('\t').map(|raw| Cell { text: clean_cell(raw), line: line_no }).collect();
        while cells.last().is_some_and(|c| c.text.is_empty()) {
            cells.pop();
        }
        rows.push(Row { first_line: line_no, last_line: line_no, cells, gap_before: gap });
        gap = 0;
    }
    rows
}

/// Rows are blocks between blank lines; a line starting with a tab starts a
/// cell, any other line continues the cell above it (a wrapped label such as
/// `项目立项` / `依据`), or, before the first cell of a block, is a row of
/// its own (titles).
fn cell_per_line_rows(lines: &[&str]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut current: Option<(Row, Vec<String>)> = None;
    let mut gap = 0;
    let finish = |current: &mut Option<(Row, Vec<String>)>, rows: &mut Vec<Row>| {
        if let Some((mut row, raws)) = current.take() {
            for (cell, raw) in row.cells.iter_mut().zip(raws) {
                cell.text = clean_cell(&raw);
            }
            while row.cells.last().is_some_and(|c| c.text.is_empty()) {
                row.cells.pop();
            }
            if !row.cells.is_empty() {
                rows.push(row);
            }
        }
    };
    for (i, line) in lines.iter().enumerate() {
        let line_no = i as u32 + 1;
        // A tab alone is an empty cell; only a line without one separates rows.
        if line.trim().is_empty() && !line.starts_with('\t') {
            finish(&mut current, &mut rows);
            gap += 1;
            continue;
        }
        if let Some(cell_text) = line.strip_prefix('\t') {
            let (row, raws) = current.get_or_insert_with(|| {
                let row = Row { first_line: line_no, last_line: line_no, cells: Vec::new(), gap_before: gap };
                (row, Vec::new())
            });
            gap = 0;
            row.cells.push(Cell { text: String::new(), line: line_no });
            raws.push(cell_text.to_string());
            row.last_line = line_no;
        } else if let Some((row, raws)) = current.as_mut().filter(|(row, _)| !row.cells.is_empty()) {
            // A wrapped cell: the line break is not part of the text.
            if let Some(last) = raws.last_mut() {
                last.push_str(line);
            }
            row.last_line = line_no;
        } else {
            // Free text (titles) is a one-cell row; tabs inside it still split cells.
            finish(&mut current, &mut rows);
            let cells = line.split('\t').map(|raw| Cell { text: clean_cell(raw), line: line_no }).collect();
            rows.push(Row { first_line: line_no, last_line: line_no, cells, gap_before: gap });
            gap = 0;
        }
    }
    finish(&mut current, &mut rows);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &Row) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn tab_rows_keep_empty_cells_for_alignment() {
        let (layout, rows) = rows("项目名称\t\t驻村干部补助经费\t\t\n\n\t产出指标\t数量指标");
        assert_eq!(layout, Layout::TabRows);
        assert_eq!(texts(&rows[0]), ["项目名称", "", "驻村干部补助经费"]);
        assert_eq!(rows[1].first_line, 3);
        assert_eq!(rows[1].gap_before, 1);
        assert_eq!(texts(&rows[1]), ["", "产出指标", "数量指标"]);
    }

    #[test]
    fn cell_per_line_rows_join_wrapped_cells() {
        let text = "标题\n\t项目名称\n\t城乡医疗救助资金\n\n\t项目立项\n依据\n\t文件\n\n\t效\n益\n指\n标\n\t社会效益指标\n\n\t\n\t甲\n";
        let (layout, rows) = rows(text);
        assert_eq!(layout, Layout::CellPerLine);
        assert_eq!(texts(&rows[0]), ["标题"]);
        assert_eq!(texts(&rows[1]), ["项目名称", "城乡医疗救助资金"]);
        assert_eq!(texts(&rows[2]), ["项目立项依据", "文件"]);
        assert_eq!((rows[2].first_line, rows[2].last_line), (5, 7));
        assert_eq!(texts(&rows[3]), ["效益指标", "社会效益指标"]);
        assert_eq!(texts(&rows[4]), ["", "甲"], "a lone tab is an empty cell");
    }
}

//! Stage 1: a decoded document → one grid of rows of cells, whatever the
//! format or layout it came in.
//!
//! Text documents are laid out by [`text`] (tab rows, one cell per line,
//! pipe and markdown rows, space-aligned columns, cell streams, text run
//! together: see [`Layout`]); structured formats (Word, Excel, HTML, PDF)
//! arrive as [`SourceRow`]s that already know their cells, spans and place
//! in the document. Either way extraction sees only [`Row`]s, and every cell
//! knows its *line*: for a text file its line in the file, for any other
//! format the ordinal of its row in document order, with the row's
//! [`Place`] (page, sheet, table) kept beside it for reports and links.
//! [`Grid::lines`] is the document rendered as text lines in that numbering,
//! the raw text a record's printing is cut from.

pub mod clean;
pub mod normalise;
pub mod sequence;
pub mod split;
pub mod stream;
pub mod text;

use clean::clean_cell;

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Cleaned text (markup remnants resolved, whitespace collapsed).
    pub text: String,
    /// 1-based line (or row ordinal) the cell starts on.
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub first_line: u32,
    pub last_line: u32,
    /// Cells in column order; empty cells are kept so columns line up (a
    /// merged cell is followed by empty cells for the columns it covers).
    pub cells: Vec<Cell>,
    /// Blank lines immediately above this row (a page break or the start of
    /// another table shows as a gap).
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

/// How the rows of a document were found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One row per line, cells separated by tabs (PDF and Word exports).
    TabRows,
    /// One cell per line, each starting with a tab; blank lines end rows.
    CellPerLine,
    /// One row per line, cells separated by `|` (markdown tables too).
    PipeRows,
    /// One row per line, columns separated by runs of spaces (as
    /// `pdftotext -layout` writes).
    SpaceAligned,
    /// One row per line, cells separated by single spaces (web pages whose
    /// table cells were joined by a space).
    SpaceSeparated,
    /// Cells one after another with no row breaks: one per line ending in
    /// ` |`, paragraphs between blank lines, or short lines one after
    /// another, many of them labels. Rows are rebuilt from the
    /// labels and the header rows (see [`stream`]).
    CellStream,
    /// Lines of prose; text run together is split where labels start (see
    /// [`split`]).
    Plain,
    /// The paragraphs and table rows of a Word `.docx`.
    WordTables,
    /// The `<table>`s and paragraphs of an HTML page.
    HtmlTables,
    /// The sheets of a workbook (`.xlsx`, `.xls`, `.ods`).
    Spreadsheet,
    /// Words placed on the pages of a PDF, rebuilt into rows and columns.
    PdfPages,
}

impl Layout {
    pub fn describe(self) -> &'static str {
        match self {
            Layout::TabRows => "tab-separated rows",
            Layout::CellPerLine => "one cell per line",
            Layout::PipeRows => "pipe-separated rows",
            Layout::SpaceAligned => "space-aligned columns",
            Layout::SpaceSeparated => "space-separated cells",
            Layout::CellStream => "cell stream (rows rebuilt from labels)",
            Layout::Plain => "plain text (split at labels)",
            Layout::WordTables => "Word tables (.docx)",
            Layout::HtmlTables => "HTML tables",
            Layout::Spreadsheet => "spreadsheet",
            Layout::PdfPages => "PDF pages",
        }
    }
}

/// Where a row of a structured document is, in the format's own terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A paragraph or table row of a Word document (its ordinal).
    WordBlock,
    /// Row `row` (1-based) of the `table`-th `<table>` of a page (1-based);
    /// `table` 0 is text outside tables.
    Html { table: u32, row: u32 },
    /// Row `row` (1-based, as Excel numbers it) of a sheet; the row's first
    /// cell is in column `first_col` (0-based, A = 0).
    Sheet { sheet: String, row: u32, first_col: u32 },
    /// A row of words on a PDF page, `top` points from the page's top.
    Pdf { page: u32, top: u32 },
}

impl Place {
    /// In words, for reports: `第 3 页`, `工作表“项目表”第 7 行`, `第 2 个表格第 4 行`.
    pub fn describe(&self) -> String {
        match self {
            Place::WordBlock => String::new(),
            Place::Html { table: 0, .. } => "表格外的段落".into(),
            Place::Html { table, row } => format!("第 {table} 个表格第 {row} 行"),
            Place::Sheet { sheet, row, first_col } => format!("工作表“{sheet}”{}", cell_name(*first_col, *row)),
            Place::Pdf { page, .. } => format!("第 {page} 页"),
        }
    }

    pub fn page(&self) -> Option<u32> {
        match self {
            Place::Pdf { page, .. } => Some(*page),
            _ => None,
        }
    }
}

/// `B7` for column 1 (0-based), row 7.
pub fn cell_name(col: u32, row: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &row.to_string()
}

/// Text as it is read: pinyin glosses printed after each character
/// (`項(xiàng)目`) dropped. The lines of the grid keep them.
fn readable(text: &str) -> std::borrow::Cow<'_, str> {
    crate::labels::strip_glosses(text)
}

/// A document printed in traditional characters is read in simplified ones
/// (records, names and targets are simplified Chinese; the raw text keeps
/// the printing). Decided for the whole document, so the few characters a
/// simplified text shares with the traditional table (乾, 著) stay as they
/// are in a simplified document.
fn simplify_traditional(rows: &mut [Row]) {
    let (mut han, mut traditional) = (0usize, 0usize);
    for cell in rows.iter().flat_map(|r| &r.cells) {
        for c in cell.text.chars().filter(|&c| jixiao_core::text::is_han(c)) {
            han += 1;
            if jixiao_core::text::simplify(c) != c {
                traditional += 1;
            }
        }
    }
    if traditional < 5 || traditional * 10 < han {
        return;
    }
    for cell in rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
        cell.text = crate::labels::strip_glosses(&cell.text).chars().map(jixiao_core::text::simplify).collect();
    }
}

/// One cell of a structured document as its format gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceCell {
    pub text: String,
    /// Columns the cell spans (1 for an ordinary cell).
    pub col_span: u32,
}

impl SourceCell {
    pub fn new(text: impl Into<String>) -> SourceCell {
        SourceCell { text: text.into(), col_span: 1 }
    }
}

/// One row (or paragraph: a row of one cell) of a structured document.
/// Positions a merged cell covers, across or down, are empty cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceRow {
    pub cells: Vec<SourceCell>,
    pub place: Place,
    /// The row starts a new table, sheet or page region.
    pub starts_block: bool,
}

/// A whole document as rows, with its text lines and places.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    pub layout: Option<Layout>,
    pub rows: Vec<Row>,
    /// The document as text, one entry per line number (`lines[n - 1]` is
    /// line n): the file's lines for text, each row's cells joined by tabs
    /// for structured formats.
    pub lines: Vec<String>,
    /// The place of each line of a structured document (`places[n - 1]`);
    /// empty for text, where the line number says it.
    pub places: Vec<Place>,
}

impl Grid {
    /// A text document, laid out in `known` or the layout detected.
    pub fn from_text(text: &str, known: Option<Layout>) -> Grid {
        let normalised = normalise::normalise(&readable(text));
        let (layout, mut rows) = text::rows_in(&normalised.lines.join("\n"), known);
        if normalised.moved() {
            for row in &mut rows {
                row.first_line = normalised.file_line(row.first_line);
                row.last_line = normalised.file_line(row.last_line);
                for cell in &mut row.cells {
                    cell.line = normalised.file_line(cell.line);
                }
            }
        }
        simplify_traditional(&mut rows);
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        // A Word document's lines are its paragraphs and table rows.
        let places = if layout == Layout::WordTables { vec![Place::WordBlock; lines.len()] } else { Vec::new() };
        Grid { layout: Some(layout), rows, lines, places }
    }

    /// A structured document: each source row is one line.
    pub fn from_rows(layout: Layout, source: Vec<SourceRow>) -> Grid {
        let mut grid = Grid { layout: Some(layout), ..Grid::default() };
        let mut gap = 0;
        for (i, row) in source.into_iter().enumerate() {
            let line = i as u32 + 1;
            let mut cells = Vec::with_capacity(row.cells.len());
            let mut raw = Vec::with_capacity(row.cells.len());
            for cell in &row.cells {
                // Tabs and line breaks inside a cell are not cell borders.
                let flat: String = cell.text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                cells.push(Cell { text: clean_cell(&flat), line });
                raw.push(flat.trim().to_string());
                for _ in 1..cell.col_span.clamp(1, 256) {
                    cells.push(Cell { text: String::new(), line });
                    raw.push(String::new());
                }
            }
            while cells.last().is_some_and(|c| c.text.is_empty()) {
                cells.pop();
            }
            while raw.last().is_some_and(String::is_empty) {
                raw.pop();
            }
            grid.lines.push(raw.join("\t"));
            grid.places.push(row.place);
            if row.starts_block {
                gap = gap.max(1);
            }
            if cells.is_empty() {
                gap += 1;
                continue;
            }
            grid.rows.push(Row { first_line: line, last_line: line, cells, gap_before: gap });
            gap = 0;
        }
        simplify_traditional(&mut grid.rows);
        grid
    }

    /// The place of a line, for a structured document.
    pub fn place(&self, line: u32) -> Option<&Place> {
        self.places.get((line as usize).checked_sub(1)?)
    }

    /// Lines `first..=last` as they stand in the document.
    pub fn text_of(&self, first: u32, last: u32) -> String {
        let start = (first as usize).saturating_sub(1).min(self.lines.len());
        let end = (last as usize).min(self.lines.len()).max(start);
        self.lines[start..end].join("\n")
    }

    /// Where lines `first..=last` are, in the format's terms (`第 3–4 页`,
    /// `工作表“项目表”A5:H30`), or `None` for a text document.
    pub fn describe_range(&self, first: u32, last: u32) -> Option<String> {
        let (a, b) = (self.place(first)?, self.place(last).or(self.place(first))?);
        Some(match (a, b) {
            (Place::Pdf { page: p, .. }, Place::Pdf { page: q, .. }) if p != q => format!("第 {p}–{q} 页"),
            (Place::Sheet { sheet, row: r1, first_col }, Place::Sheet { sheet: s2, row: r2, .. }) if sheet == s2 => {
                let width = (first..=last).map(|line| self.lines[line as usize - 1].split('\t').count()).max().unwrap_or(1) as u32;
                format!("工作表“{sheet}”{}:{}", cell_name(*first_col, *r1), cell_name(first_col + width.saturating_sub(1), *r2))
            }
            (Place::Html { table: t1, row: r1 }, Place::Html { table: t2, row: r2 }) if t1 == t2 && *t1 > 0 => {
                format!("第 {t1} 个表格第 {r1}–{r2} 行")
            }
            (Place::WordBlock, _) => format!("第 {first}–{last} 个段落或表格行"),
            _ => a.describe(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_count_like_excel() {
        assert_eq!(cell_name(0, 1), "A1");
        assert_eq!(cell_name(25, 7), "Z7");
        assert_eq!(cell_name(26, 7), "AA7");
        assert_eq!(cell_name(27, 10), "AB10");
    }

    #[test]
    fn structured_rows_pad_merged_cells_and_keep_places() {
        let place = |row| Place::Sheet { sheet: "表1".into(), row, first_col: 0 };
        let merged = SourceCell { text: "项目名称".into(), col_span: 2 };
        let grid = Grid::from_rows(
            Layout::Spreadsheet,
            vec![
                SourceRow { cells: vec![merged, SourceCell::new("甲\t乙")], place: place(3), starts_block: true },
                SourceRow { cells: vec![SourceCell::new("")], place: place(4), starts_block: false },
                SourceRow { cells: vec![SourceCell::new("丙")], place: place(5), starts_block: false },
            ],
        );
        let texts: Vec<&str> = grid.rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["项目名称", "", "甲 乙"]);
        assert_eq!(grid.lines, ["项目名称\t\t甲 乙", "", "丙"]);
        assert_eq!(grid.rows[1].gap_before, 1, "an empty row is a gap");
        assert_eq!(grid.describe_range(1, 3).as_deref(), Some("工作表“表1”A3:C5"));
    }
}

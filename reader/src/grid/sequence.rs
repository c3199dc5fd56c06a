//! The second reading of every document: its cells in the order they were
//! printed, whatever separated them, with the rows the template makes of
//! them instead of the rows of the layout.
//!
//! A layout's rows are a hint. A workbook flattened into one line, a table
//! whose every row is run together, cells one per line behind a page's
//! text: their lines are not the table's rows. Read as a sequence, each
//! cell is cut where a label starts inside it ([`super::split::Cutter`]),
//! and [`super::stream`] rebuilds the rows from the labels, the header and
//! the indicator columns. Extraction reads both and keeps the reading whose
//! records the template fits better (`extract::fit`).

use super::split::Cutter;
use super::{stream, Cell, Row};

/// The most cells a document is read as a sequence with. A table has a few
/// hundred; a document of more is many tables whose rows its layout gives
/// (a workbook, a PDF) or a broken export (a whole file on one line), where
/// rebuilding rows from every cell costs more than it can give.
pub const MAX_CELLS: usize = 20_000;

/// The rows the template makes of the cells of `rows`, in order.
pub fn template_rows(rows: &[Row]) -> Vec<Row> {
    let mut cutter = Cutter::default();
    let mut cells = Vec::new();
    // Pieces cut out of text run together are not cells: names and targets
    // are told apart inside them.
    let mut fragment = Vec::new();
    for row in rows {
        for (_, cell) in row.filled() {
            let pieces = cutter.pieces(&cell.text);
            fragment.extend(std::iter::repeat_n(pieces.len() > 1, pieces.len()));
            cells.extend(pieces.into_iter().map(|text| Cell { text, line: cell.line }));
        }
    }
    stream::mixed_rows(cells, fragment, true)
}

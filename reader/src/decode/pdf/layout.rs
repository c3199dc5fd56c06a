//! Pages of words and lines → rows of cells in reading order.
//!
//! ```text
//! each page    ruled tables (cells.rs) take the words inside their cells
//!              (a word running across a border is cut there); the other
//!              words become lines (lines.rs)
//! all pages    running headers and footers, page numbers dropped
//! each page    tables and lines top to bottom
//! over pages   a table that ends a page and one that starts the next on
//!              the same column edges are one table: its header printed
//!              again is dropped, a row the break cut in two (no border at
//!              the cut) is one row, merged cells cut by the page keep
//!              their columns
//! each table   grid columns = every cell edge of the whole table, grid
//!              rows = every cell edge of the page's part; a cell's text
//!              goes in its top-left slot with its column span; the slots
//!              it covers below stay empty
//! other lines  runs of lines with two or more chunks (wide gaps) are a
//!              borderless table, columns from where the chunks stand;
//!              the rest are paragraphs, a wrapped paragraph one row
//! ```

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::cells::{self, Rect};
use super::lines::{self, char_units, middle, Line};
use super::poppler::Word;
use super::rulings::Segment;
use crate::grid::{Place, SourceCell, SourceRow};

/// A page as read: its size, words, and drawn lines (`None`: not known).
pub struct PageInput {
    pub width: f32,
    pub height: f32,
    pub words: Vec<Word>,
    pub segments: Option<Vec<Segment>>,
}

/// What the layout did, for the reading report.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    /// Tables found from their borders (a table over several pages counts once).
    pub ruled_tables: usize,
    /// Tables found from word positions alone.
    pub borderless_tables: usize,
    /// Lines dropped as running headers, footers or page numbers.
    pub dropped_lines: usize,
    /// Pages without a single word (blank, or scanned).
    pub pages_without_text: Vec<u32>,
}

/// Edges closer than this (points) are one grid line.
const EDGE: f32 = 2.0;
/// Headers and footers are looked for in this share of the page at its top and bottom.
const MARGIN_BAND: f32 = 0.10;

/// Part of a ruled table on one page: its cells and their text.
struct Fragment {
    bbox: Rect,
    cells: Vec<(Rect, String)>,
    /// No border along its top or bottom edge (see [`cells::Table`]).
    open_top: bool,
    open_bottom: bool,
    /// The table it is part of (see [`chain_parts`]).
    chain: usize,
}

/// What stands on a page, top to bottom.
enum Item {
    Table(Fragment),
    Line(Line),
}

impl Item {
    fn top(&self) -> f32 {
        match self {
            Item::Table(f) => f.bbox.y0,
            Item::Line(l) => l.top(),
        }
    }
}

/// The rows of all pages in reading order, and what was done to find them.
pub fn lay_out(pages: Vec<PageInput>) -> (Vec<SourceRow>, Summary) {
    let mut summary = Summary::default();
    let mut items: Vec<Vec<Item>> = Vec::with_capacity(pages.len());
    let mut sizes = Vec::with_capacity(pages.len());
    for (i, page) in pages.into_iter().enumerate() {
        if page.words.is_empty() {
            summary.pages_without_text.push(i as u32 + 1);
        }
        sizes.push((page.width, page.height));
        items.push(page_items(page));
    }
    summary.dropped_lines = drop_running_lines(&mut items, &sizes);
    for page in &mut items {
        page.sort_by(|a, b| a.top().total_cmp(&b.top()));
    }
    let rows = emit(items, &sizes, &mut summary);
    (rows, summary)
}

/// The page's ruled tables with their words, and the other words as lines.
fn page_items(page: PageInput) -> Vec<Item> {
    let tables = page.segments.as_deref().map(cells::tables).unwrap_or_default();
    let mut grids: Vec<SlotGrid> = tables.into_iter().map(SlotGrid::new).collect();
    let mut free = Vec::new();
    for word in page.words {
        let (x, y) = middle(&word);
        match grids.iter_mut().find(|g| g.bbox.contains(x, y)) {
            Some(grid) => free.extend(grid.take(word)),
            None => free.push(word),
        }
    }
    let mut items: Vec<Item> = grids.into_iter().filter_map(SlotGrid::into_fragment).map(Item::Table).collect();
    items.extend(lines::lines(free).into_iter().map(Item::Line));
    items
}

/// A ruled table's cells on a grid of their edges, to find the cell under
/// a word quickly and to split a word that runs across a border.
struct SlotGrid {
    table: cells::Table,
    bbox: Rect,
    words: Vec<Vec<Word>>,
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// The cell covering each slot (row-major), if any.
    slots: Vec<Option<usize>>,
}

impl SlotGrid {
    fn new(table: cells::Table) -> SlotGrid {
        let xs = edges(table.cells.iter().flat_map(|c| [c.x0, c.x1]));
        let ys = edges(table.cells.iter().flat_map(|c| [c.y0, c.y1]));
        let columns = xs.len().saturating_sub(1);
        let mut slots = vec![None; columns * ys.len().saturating_sub(1)];
        for (i, c) in table.cells.iter().enumerate() {
            for row in nearest(&ys, c.y0)..nearest(&ys, c.y1) {
                for col in nearest(&xs, c.x0)..nearest(&xs, c.x1) {
                    slots[row * columns + col] = Some(i);
                }
            }
        }
        let bbox = Rect { x0: xs[0], y0: ys[0], x1: xs[xs.len() - 1], y1: ys[ys.len() - 1] };
        SlotGrid { bbox, words: vec![Vec::new(); table.cells.len()], table, xs, ys, slots }
    }

    fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let col = self.xs.partition_point(|&e| e <= x).checked_sub(1)?.min(self.xs.len().checked_sub(2)?);
        let row = self.ys.partition_point(|&e| e <= y).checked_sub(1)?.min(self.ys.len().checked_sub(2)?);
        self.slots[row * (self.xs.len() - 1) + col]
    }

    /// Puts the word in its cell; a word running across a column border
    /// (cells printed without a gap between them) is cut there, its
    /// characters placed by their estimated widths. Returns what lies in
    /// no cell.
    fn take(&mut self, word: Word) -> Vec<Word> {
        let y = middle(&word).1;
        // Character widths estimated as in `em`, scaled to the word's width.
        let units: f32 = word.text.chars().map(char_units).sum();
        let unit = (word.x1 - word.x0) / units.max(0.01);
        let mut pieces: Vec<(usize, Word)> = Vec::new();
        let mut x = word.x0;
        for c in word.text.chars() {
            let (from, to) = (x, x + char_units(c) * unit);
            x = to;
            let Some(cell) = self.cell_at((from + to) / 2.0, y) else {
                return vec![word];
            };
            match pieces.last_mut() {
                Some((last, piece)) if *last == cell => {
                    piece.text.push(c);
                    piece.x1 = to;
                }
                _ => pieces.push((cell, Word { x0: from, x1: to, text: c.to_string(), ..word.clone() })),
            }
        }
        if pieces.len() == 1 {
            let (cell, _) = pieces[0];
            self.words[cell].push(word);
        } else {
            for (cell, piece) in pieces {
                self.words[cell].push(piece);
            }
        }
        Vec::new()
    }

    fn into_fragment(self) -> Option<Fragment> {
        if self.words.iter().all(Vec::is_empty) {
            return None;
        }
        let cells = self.table.cells.into_iter().zip(self.words).map(|(rect, words)| (rect, lines::join(&lines::lines(words)))).collect();
        Some(Fragment { bbox: self.bbox, cells, open_top: self.table.open_top, open_bottom: self.table.open_bottom, chain: 0 })
    }
}

/// Positions merged where closer than [`EDGE`], sorted.
fn edges(values: impl Iterator<Item = f32>) -> Vec<f32> {
    let mut values: Vec<f32> = values.collect();
    values.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for v in values {
        match out.last_mut() {
            Some((sum, n)) if v - *sum / *n as f32 <= EDGE => {
                *sum += v;
                *n += 1;
            }
            _ => out.push((v, 1)),
        }
    }
    out.into_iter().map(|(sum, n)| sum / n as f32).collect()
}

/// The index of the edge nearest to `v`.
fn nearest(edges: &[f32], v: f32) -> usize {
    let i = edges.partition_point(|&e| e < v);
    match (i.checked_sub(1), edges.get(i)) {
        (Some(before), Some(&after)) if v - edges[before] < after - v => before,
        (Some(before), None) => before,
        _ => i,
    }
}

/// Drops running headers and footers: the first or last two lines of a
/// page, within its top or bottom tenth and outside any table, that are a
/// page number (`第 3 页`, `- 3 -`, `3/10`) or recur at the same height on
/// another page (digits aside). Returns how many were dropped.
fn drop_running_lines(items: &mut [Vec<Item>], sizes: &[(f32, f32)]) -> usize {
    // (page, item index, key, height) of each candidate.
    let mut candidates: Vec<(usize, usize, String, f32)> = Vec::new();
    for (p, page) in items.iter().enumerate() {
        let height = sizes[p].1;
        let table_top = page.iter().filter(|i| matches!(i, Item::Table(_))).map(Item::top).fold(f32::MAX, f32::min);
        let table_bottom = page
            .iter()
            .filter_map(|i| match i {
                Item::Table(f) => Some(f.bbox.y1),
                Item::Line(_) => None,
            })
            .fold(f32::MIN, f32::max);
        let mut lines: Vec<(usize, &Line)> = page
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item {
                Item::Line(l) => Some((i, l)),
                Item::Table(_) => None,
            })
            .collect();
        lines.sort_by(|a, b| a.1.middle.total_cmp(&b.1.middle));
        let top = lines.iter().take(2).filter(|(_, l)| l.middle < height * MARGIN_BAND && l.middle < table_top);
        let bottom = lines.iter().rev().take(2).filter(|(_, l)| l.middle > height * (1.0 - MARGIN_BAND) && l.middle > table_bottom);
        for &(i, line) in top.chain(bottom) {
            let key: String = line.text().chars().filter(|c| !c.is_whitespace()).map(|c| if c.is_numeric() { '#' } else { c }).collect();
            candidates.push((p, i, key, line.middle));
        }
    }
    let page_number = page_number_pattern();
    let mut drop: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (p, i, key, y) in &candidates {
        let Item::Line(line) = &items[*p][*i] else { continue };
        let recurs = candidates.iter().any(|(q, _, other, z)| q != p && other == key && (y - z).abs() <= 3.0);
        if recurs || page_number.is_match(&ascii_digits(&line.text())) {
            drop[*p].push(*i);
        }
    }
    let mut dropped = 0;
    for (page, mut gone) in items.iter_mut().zip(drop) {
        gone.sort_unstable();
        gone.dedup();
        dropped += gone.len();
        for i in gone.into_iter().rev() {
            page.remove(i);
        }
    }
    dropped
}

fn page_number_pattern() -> &'static Regex {
    static PAGE_NUMBER: OnceLock<Regex> = OnceLock::new();
    PAGE_NUMBER.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:第\s*\d+\s*页\s*(?:[,，]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页|[-—–－_·\s]*\d+[-—–－_·\s]*|\d+\s*/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?)\s*$")
            .expect("valid pattern")
    })
}

fn ascii_digits(text: &str) -> String {
    text.chars().map(|c| if ('０'..='９').contains(&c) { char::from(b'0' + (c as u32 - '０' as u32) as u8) } else { c }).collect()
}

/// A ruled table over one or more pages.
struct Chain {
    /// Grid column edges from every part's cells.
    xs: Vec<f32>,
    /// The first part's first rows, to recognise a header printed again.
    head: Vec<Vec<SourceCell>>,
    /// The index of the last row emitted, if the part it ends was cut
    /// through a row (open at its bottom).
    open_row: Option<usize>,
}

/// Which table each ruled part belongs to: a part that ends a page and one
/// that starts the next on the same column edges are one table.
fn chain_parts(items: &mut [Vec<Item>]) -> Vec<Chain> {
    let mut chain_edges: Vec<Vec<f32>> = Vec::new();
    let mut open: Option<usize> = None;
    for page in items.iter_mut() {
        let mut last = None;
        for (i, item) in page.iter_mut().enumerate() {
            last = None;
            let Item::Table(fragment) = item else { continue };
            let xs = edges(fragment.cells.iter().flat_map(|(r, _)| [r.x0, r.x1]));
            fragment.chain = match open {
                Some(chain) if i == 0 && same_columns(&edges(chain_edges[chain].iter().copied()), &xs) => chain,
                _ => {
                    chain_edges.push(Vec::new());
                    chain_edges.len() - 1
                }
            };
            chain_edges[fragment.chain].extend(xs);
            last = Some(fragment.chain);
        }
        open = last;
    }
    chain_edges.into_iter().map(|e| Chain { xs: edges(e.into_iter()), head: Vec::new(), open_row: None }).collect()
}

/// Two parts of one table: the same left edge, and their column edges
/// line up (a table whose rows end at different columns shows a different
/// right edge on each page).
fn same_columns(a: &[f32], b: &[f32]) -> bool {
    let shared = b.iter().filter(|&&x| a.iter().any(|&y| (x - y).abs() <= EDGE)).count();
    let (Some(a0), Some(b0)) = (a.first(), b.first()) else { return false };
    (a0 - b0).abs() <= EDGE && shared >= 3.min(a.len()).min(b.len())
}

/// Rows of every page in reading order.
fn emit(mut items: Vec<Vec<Item>>, sizes: &[(f32, f32)], summary: &mut Summary) -> Vec<SourceRow> {
    let mut chains = chain_parts(&mut items);
    summary.ruled_tables = chains.len();
    let mut out = Output::default();
    for (p, page) in items.into_iter().enumerate() {
        out.page = p as u32 + 1;
        out.first_on_page = true;
        // The text's right edge: as far from the page's right side as its
        // left edge is from the left side, or the widest line or table.
        let (lefts, rights): (Vec<f32>, Vec<f32>) = page
            .iter()
            .map(|item| match item {
                Item::Table(f) => (f.bbox.x0, f.bbox.x1),
                Item::Line(l) => (l.left(), l.right()),
            })
            .unzip();
        let left = lefts.into_iter().fold(f32::MAX, f32::min);
        out.right_margin = rights.into_iter().fold(sizes[p].0 - left, f32::max);
        let mut lines = Vec::new();
        for item in page {
            match item {
                Item::Line(line) => lines.push(line),
                Item::Table(fragment) => {
                    out.lines(std::mem::take(&mut lines), summary);
                    out.table(&fragment, &mut chains[fragment.chain]);
                }
            }
        }
        out.lines(lines, summary);
    }
    out.rows
}

/// Rows as they are emitted, with what the next region needs to know.
#[derive(Default)]
struct Output {
    rows: Vec<SourceRow>,
    page: u32,
    first_on_page: bool,
    /// The last region so far is a borderless table (one at the top of the
    /// next page continues it).
    after_borderless_table: bool,
    /// Where the page's text ends on the right.
    right_margin: f32,
    /// The row of the last paragraph, its left edge and type size, while
    /// it ran to the right margin (the next line may go on with it).
    open_paragraph: Option<(usize, f32, f32)>,
}

impl Output {
    fn push(&mut self, top: f32, cells: Vec<SourceCell>, starts_block: bool) {
        self.rows.push(SourceRow { cells, place: Place::Pdf { page: self.page, top: top.round() as u32 }, starts_block });
        self.first_on_page = false;
    }

    /// A ruled part. Atop a continued part, a header row printed again is
    /// dropped, and a row the page break cut in two (the previous part
    /// open at its bottom, this one at its top) is joined to its first half.
    fn table(&mut self, fragment: &Fragment, chain: &mut Chain) {
        let mut part = fragment_rows(fragment, &chain.xs);
        let continued = !chain.head.is_empty();
        if continued {
            let repeated = part.iter().zip(&chain.head).take_while(|((_, row), head)| row == *head).count();
            if repeated < part.len() {
                part.drain(..repeated);
            }
            if let (Some(row), true, false) = (chain.open_row, fragment.open_top, part.is_empty()) {
                join_halves(&mut self.rows[row].cells, part.remove(0).1);
            }
        } else {
            chain.head = part.iter().take(3).map(|(_, cells)| cells.clone()).collect();
        }
        for (k, (top, cells)) in part.into_iter().enumerate() {
            self.push(top, cells, k == 0 && !continued);
        }
        chain.open_row = fragment.open_bottom.then(|| self.rows.len().checked_sub(1)).flatten();
        self.after_borderless_table = false;
        self.open_paragraph = None;
    }

    /// Lines outside ruled tables: borderless tables and paragraphs (see
    /// [`line_regions`]).
    fn lines(&mut self, lines: Vec<Line>, summary: &mut Summary) {
        let chunked: Vec<Vec<Line>> = lines.iter().map(Line::chunks).collect();
        let mut continues = self.first_on_page && self.after_borderless_table;
        for (range, table) in line_regions(&lines, &chunked) {
            // A paragraph goes on only within its run, or over a page break.
            if !self.first_on_page {
                self.open_paragraph = None;
            }
            if table {
                summary.borderless_tables += usize::from(!continues);
                let rows = borderless_rows(&lines[range.clone()], &chunked[range]);
                for (k, (top, cells)) in rows.into_iter().enumerate() {
                    self.push(top, cells, k == 0 && !continues);
                }
                self.open_paragraph = None;
            } else {
                for i in range.clone() {
                    self.paragraph_line(&lines[i], &chunked[i], i == range.start);
                }
            }
            continues = false;
            self.after_borderless_table = table;
        }
    }

    /// A line outside tables. A line of one chunk goes on the paragraph
    /// before it when that one ran to the right margin (on this page or the
    /// last), unless it is indented further or starts an item (`二、`,
    /// `（三）`, `2.`): a wrapped paragraph is one row, as in a text
    /// printing. Other lines are rows of their own, a cell per chunk.
    fn paragraph_line(&mut self, line: &Line, chunks: &[Line], starts_block: bool) {
        static ITEM: OnceLock<Regex> = OnceLock::new();
        let item = ITEM.get_or_init(|| Regex::new(r"^[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]").expect("valid pattern"));
        let text = line.text();
        match self.open_paragraph {
            Some((row, left, em)) if chunks.len() == 1 && line.left() <= left + 0.5 * em && !item.is_match(&text) => {
                lines::append_wrapped(&mut self.rows[row].cells[0].text, &text);
                self.first_on_page = false;
            }
            _ => self.push(line.top(), chunks.iter().map(|c| SourceCell::new(c.text())).collect(), starts_block),
        }
        let full = chunks.len() == 1 && line.right() >= self.right_margin - 2.0 * line.em;
        self.open_paragraph = full.then(|| (self.rows.len() - 1, line.left(), line.em));
    }
}

/// The second half of a row cut by a page break: each cell's text goes on
/// the text of the cell above it that covers its column.
fn join_halves(first: &mut [SourceCell], second: Vec<SourceCell>) {
    let mut starts = Vec::with_capacity(first.len());
    let mut column = 0;
    for cell in first.iter() {
        starts.push(column);
        column += cell.col_span.max(1) as usize;
    }
    let mut column = 0;
    for cell in second {
        if let Some(i) = starts.iter().rposition(|&start| start <= column) {
            lines::append_wrapped(&mut first[i].text, &cell.text);
        }
        column += cell.col_span.max(1) as usize;
    }
}

/// A ruled part's rows: `(top, cells)` on the table's grid columns.
fn fragment_rows(fragment: &Fragment, xs: &[f32]) -> Vec<(f32, Vec<SourceCell>)> {
    let ys = edges(fragment.cells.iter().flat_map(|(r, _)| [r.y0, r.y1]));
    let columns = xs.len().saturating_sub(1);
    let mut starts: HashMap<(usize, usize), (usize, &str)> = HashMap::new();
    for (rect, text) in &fragment.cells {
        let (c0, c1) = (nearest(xs, rect.x0), nearest(xs, rect.x1));
        starts.insert((nearest(&ys, rect.y0), c0), (c1.saturating_sub(c0).max(1), text.as_str()));
    }
    let mut rows = Vec::new();
    for (r, &top) in ys.iter().enumerate().take(ys.len().saturating_sub(1)) {
        let mut cells = Vec::new();
        let mut c = 0;
        while c < columns {
            match starts.get(&(r, c)) {
                Some(&(span, text)) => {
                    cells.push(SourceCell { text: text.to_string(), col_span: span as u32 });
                    c += span;
                }
                None => {
                    cells.push(SourceCell::new(""));
                    c += 1;
                }
            }
        }
        if cells.iter().any(|c| !c.text.is_empty()) {
            rows.push((top, cells));
        }
    }
    rows
}

/// Splits lines into runs at paragraph gaps (more than two and a half
/// lines' height). In a run where two or more lines have several chunks,
/// those lines and the lines between them are a borderless table (`true`);
/// the other lines are paragraphs (a title just above a table stays a
/// title).
fn line_regions(lines: &[Line], chunked: &[Vec<Line>]) -> Vec<(Range<usize>, bool)> {
    let mut regions = Vec::new();
    let mut start = 0;
    for end in 1..=lines.len() {
        let split = end == lines.len() || {
            let (a, b) = (&lines[end - 1], &lines[end]);
            b.middle - a.middle > 2.5 * a.em.max(b.em)
        };
        if !split {
            continue;
        }
        let several: Vec<usize> = (start..end).filter(|&i| chunked[i].len() >= 2).collect();
        match (several.first(), several.last()) {
            (Some(&first), Some(&last)) if several.len() >= 2 => {
                for (part, table) in [(start..first, false), (first..last + 1, true), (last + 1..end, false)] {
                    if !part.is_empty() {
                        regions.push((part, table));
                    }
                }
            }
            _ => regions.push((start..end, false)),
        }
        start = end;
    }
    regions
}

/// A borderless table's rows: columns are the x ranges the chunks of its
/// fullest lines cover; every chunk goes to the columns it overlaps.
fn borderless_rows(run: &[Line], chunked: &[Vec<Line>]) -> Vec<(f32, Vec<SourceCell>)> {
    let most = chunked.iter().map(Vec::len).max().unwrap_or(0);
    let ranges = |min: usize| {
        let mut spans: Vec<(f32, f32)> =
            chunked.iter().filter(|c| c.len() >= min).flatten().map(|c| (c.left(), c.right())).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f32, f32)> = Vec::new();
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    };
    let mut columns = ranges(most);
    if columns.len() < most {
        columns = ranges(2);
    }
    let mut rows = Vec::new();
    for (line, chunks) in run.iter().zip(chunked) {
        let mut cells: Vec<SourceCell> = Vec::new();
        let mut next = 0;
        for chunk in chunks {
            let overlapping: Vec<usize> =
                (0..columns.len()).filter(|&k| chunk.left() < columns[k].1 && chunk.right() > columns[k].0).collect();
            let first = overlapping.first().copied().unwrap_or_else(|| {
                let middle = (chunk.left() + chunk.right()) / 2.0;
                columns.partition_point(|c| c.1 < middle).min(columns.len().saturating_sub(1))
            });
            let first = first.max(next);
            let span = overlapping.last().map_or(1, |&last| last.saturating_sub(first) + 1).max(1);
            cells.extend((next..first).map(|_| SourceCell::new("")));
            cells.push(SourceCell { text: chunk.text(), col_span: span as u32 });
            next = first + span;
        }
        rows.push((line.top(), cells));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word of 10 pt type whose box starts at (x, y): CJK characters are
    /// 10 pt wide, others 5.5.
    fn word(x: f32, y: f32, text: &str) -> Word {
        let width: f32 = text.chars().map(|c| 10.0 * char_units(c)).sum();
        Word { x0: x, y0: y, x1: x + width, y1: y + 12.0, text: text.into() }
    }

    /// Every line of the grid with these column and row edges.
    fn grid(xs: &[f32], ys: &[f32]) -> Vec<Segment> {
        let (x0, x1, y0, y1) = (xs[0], xs[xs.len() - 1], ys[0], ys[ys.len() - 1]);
        let across = ys.iter().map(|&y| Segment { horizontal: true, at: y, from: x0, to: x1 });
        across.chain(xs.iter().map(|&x| Segment { horizontal: false, at: x, from: y0, to: y1 })).collect()
    }

    fn page(words: Vec<Word>, segments: Vec<Segment>) -> PageInput {
        PageInput { width: 600.0, height: 800.0, words, segments: Some(segments) }
    }

    fn texts(row: &SourceRow) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn page_numbers_in_their_usual_forms() {
        let pattern = page_number_pattern();
        for yes in ["第 3 页", "第3页，共10页", "共 10 页 第 3 页", "- 3 -", "— 12 —", "3/10", "3 / 10", "7", "Page 3 of 9"] {
            assert!(pattern.is_match(&ascii_digits(yes)), "{yes}");
        }
        assert!(pattern.is_match(&ascii_digits("－３－")));
        for no in ["第三部分", "2024年度", "3.1 总体目标", "单位：万元", "≥90%"] {
            assert!(!pattern.is_match(no), "{no}");
        }
    }

    #[test]
    fn running_headers_and_page_numbers_are_dropped_and_titles_kept() {
        let body = |n: &str| {
            vec![
                word(100.0, 30.0, "某某县财政局部门预算"),
                word(100.0, 120.0, "项目支出绩效目标表"),
                word(100.0, 300.0, n),
                word(290.0, 770.0, &format!("- {} -", n.len())),
            ]
        };
        let pages = vec![page(body("正文一"), vec![]), page(body("正文第二页"), vec![])];
        let (rows, summary) = lay_out(pages);
        let all: Vec<Vec<&str>> = rows.iter().map(texts).collect();
        assert_eq!(all, [vec!["项目支出绩效目标表"], vec!["正文一"], vec!["项目支出绩效目标表"], vec!["正文第二页"]]);
        assert_eq!(summary.dropped_lines, 4);
        // One page: a line at the top that recurs nowhere is kept.
        let (rows, summary) = lay_out(vec![page(body("正文"), vec![])]);
        assert_eq!(texts(&rows[0]), ["某某县财政局部门预算"]);
        assert_eq!(summary.dropped_lines, 1);
    }

    #[test]
    fn a_table_going_on_over_the_page_is_one_table() {
        let xs = [50.0, 150.0, 300.0];
        // Page 1: title, header row, one row reaching the page's foot.
        let first = page(
            vec![word(60.0, 100.0, "标题"), word(60.0, 704.0, "一级指标"), word(160.0, 704.0, "指标值"), word(60.0, 744.0, "产出"), word(160.0, 744.0, "100%")],
            grid(&xs, &[700.0, 740.0, 780.0]),
        );
        // Page 2: the header printed again, then a row; then a table of
        // another width.
        let second = page(
            vec![
                word(60.0, 44.0, "一级指标"),
                word(160.0, 44.0, "指标值"),
                word(60.0, 84.0, "效益"),
                word(160.0, 84.0, "≥90%"),
                word(60.0, 204.0, "另表"),
                word(160.0, 204.0, "值"),
            ],
            [grid(&xs, &[40.0, 80.0, 120.0]), grid(&[50.0, 150.0, 400.0], &[200.0, 240.0])].concat(),
        );
        let (rows, summary) = lay_out(vec![first, second]);
        let all: Vec<(Vec<&str>, bool)> = rows.iter().map(|r| (texts(r), r.starts_block)).collect();
        assert_eq!(
            all,
            [
                (vec!["标题"], true),
                (vec!["一级指标", "指标值"], true),
                (vec!["产出", "100%"], false),
                (vec!["效益", "≥90%"], false),
                (vec!["另表", "值"], true),
            ]
        );
        assert_eq!(rows[3].place, Place::Pdf { page: 2, top: 80 });
        assert_eq!(summary.ruled_tables, 2);
    }

    #[test]
    fn a_row_cut_by_the_page_break_is_one_row() {
        let xs = [50.0, 150.0, 300.0];
        // The last row's cells have no line under them on page 1, nor over
        // them on page 2: the page cut through the row.
        let open_bottom: Vec<Segment> =
            grid(&xs, &[700.0, 740.0, 780.0]).into_iter().filter(|s| !(s.horizontal && s.at == 780.0)).collect();
        let open_top: Vec<Segment> = grid(&xs, &[40.0, 80.0, 120.0]).into_iter().filter(|s| !(s.horizontal && s.at == 40.0)).collect();
        let first = page(vec![word(60.0, 704.0, "项目名称"), word(160.0, 704.0, "经费"), word(60.0, 744.0, "总体"), word(160.0, 744.0, "保障选调生")], open_bottom);
        let second = page(vec![word(60.0, 44.0, "目标"), word(160.0, 44.0, "基层锻炼"), word(60.0, 84.0, "绩效指标"), word(160.0, 84.0, "2人")], open_top);
        let (rows, _) = lay_out(vec![first, second]);
        let all: Vec<Vec<&str>> = rows.iter().map(texts).collect();
        assert_eq!(all, [vec!["项目名称", "经费"], vec!["总体目标", "保障选调生基层锻炼"], vec!["绩效指标", "2人"]]);
    }

    #[test]
    fn a_wrapped_paragraph_is_one_row_and_an_item_starts_another() {
        // Text 400 pt wide from x = 100 on a 600 pt page: lines that reach
        // x = 500 wrapped.
        let full = |y: f32, text: &str| Word { x0: 100.0, y0: y, x1: 499.0, y1: y + 12.0, text: text.into() };
        let words = vec![
            full(100.0, "（一）医疗保障政策制定、管理及实施。拟定全县医疗保险、生育保险"),
            word(100.0, 114.0, "等医疗保障实施措施。"),
            full(128.0, "（二）医疗保障基金监督管理。全面加强医疗保障基金监督管理，确保"),
            full(142.0, "基金运行安全有效。建立健全医疗保障基金安全防控机制，建立健全医"),
        ];
        let second_page = vec![word(100.0, 100.0, "疗保障信用评价体系。"), word(100.0, 114.0, "2、医疗保障待遇")];
        let (rows, _) = lay_out(vec![page(words, vec![]), page(second_page, vec![])]);
        let all: Vec<Vec<&str>> = rows.iter().map(texts).collect();
        assert_eq!(
            all,
            [
                vec!["（一）医疗保障政策制定、管理及实施。拟定全县医疗保险、生育保险等医疗保障实施措施。"],
                vec!["（二）医疗保障基金监督管理。全面加强医疗保障基金监督管理，确保基金运行安全有效。建立健全医疗保障基金安全防控机制，建立健全医疗保障信用评价体系。"],
                vec!["2、医疗保障待遇"],
            ]
        );
    }

    #[test]
    fn a_word_running_across_a_border_is_cut_there() {
        // Two cells printed without a gap: poppler sees one word.
        let words = vec![Word { x0: 60.0, y0: 14.0, x1: 100.0, y1: 26.0, text: "金额万元".into() }];
        let (rows, _) = lay_out(vec![page(words, grid(&[60.0, 80.0, 120.0], &[10.0, 30.0]))]);
        assert_eq!(texts(&rows[0]), ["金额", "万元"]);
    }

    #[test]
    fn borderless_rows_keep_their_columns() {
        let line = |y: f32, cells: &[(f32, &str)]| cells.iter().map(|&(x, t)| word(x, y, t)).collect::<Vec<_>>();
        let words = [
            line(100.0, &[(200.0, "绩效目标表")]),
            line(130.0, &[(50.0, "一级指标"), (150.0, "二级指标"), (250.0, "指标值")]),
            line(150.0, &[(50.0, "产出指标"), (150.0, "数量指标"), (250.0, "6人")]),
            line(170.0, &[(150.0, "质量指标"), (250.0, "100%")]),
        ]
        .concat();
        let (rows, summary) = lay_out(vec![PageInput { width: 600.0, height: 800.0, words, segments: None }]);
        let all: Vec<Vec<&str>> = rows.iter().map(texts).collect();
        assert_eq!(all[0], ["绩效目标表"], "the title stays a paragraph");
        assert_eq!(all[3], ["", "质量指标", "100%"]);
        assert_eq!(summary.borderless_tables, 1);
    }
}

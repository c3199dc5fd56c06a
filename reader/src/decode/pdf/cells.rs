//! Ruled tables: the page's lines → the rectangles of its table cells.
//!
//! ```text
//! segments ─ merge collinear pieces ─► lines ─ close what a page break cut
//!          ─ crossings ─► corners ─ smallest closed rectangle from each
//!          corner ─► cells ─ cells sharing corners ─► tables
//! ```
//!
//! A cell is the smallest rectangle whose four corners are crossings of a
//! horizontal and a vertical line and whose sides run along those lines, so
//! a merged cell (no line inside it) comes out as one rectangle spanning the
//! grid columns or rows it covers. Producers draw a border in pieces (one
//! per cell side, or a double line); pieces on (nearly) the same line that
//! touch are one line.

use std::collections::HashMap;

use super::rulings::Segment;

/// Lines closer than this (points) are the same line.
const SNAP: f32 = 1.5;
/// Pieces of one line with a gap up to this are joined; a line that stops
/// this short of another still meets it.
const REACH: f32 = 2.5;
/// A page with more lines than this either way is a drawing (a chart,
/// hatching), not tables: its words are laid out by their gaps, and the
/// search for cells stays bounded.
const MAX_LINES: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub fn contains(&self, x: f32, y: f32) -> bool {
        self.x0 <= x && x <= self.x1 && self.y0 <= y && y <= self.y1
    }
}

/// A line after merging: its position and extent.
#[derive(Clone, Copy, Debug)]
struct Line {
    at: f32,
    from: f32,
    to: f32,
}

/// A ruled table on one page.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub cells: Vec<Rect>,
    /// No line is drawn along the table's top or bottom edge: the page cut
    /// the table there (through a row, when both are open).
    pub open_top: bool,
    pub open_bottom: bool,
}

/// The ruled tables on a page, in no particular order. A group of cells is
/// a table only if it has two columns somewhere: a framed paragraph, or
/// rows ruled only across, is laid out from its words.
pub fn tables(segments: &[Segment]) -> Vec<Table> {
    let down = merge(segments.iter().filter(|s| !s.horizontal));
    let mut across: Vec<Segment> = segments.iter().filter(|s| s.horizontal).copied().collect();
    let drawn = merge(across.iter());
    if down.len() < 2 || down.len() > MAX_LINES || drawn.len() > MAX_LINES {
        return Vec::new();
    }
    across.extend(closing_pieces(&drawn, &down));
    let across = merge(across.iter());
    if across.len() < 2 {
        return Vec::new();
    }
    // Crossings, by line: on each horizontal line the vertical lines it
    // meets (left to right), on each vertical line the horizontal ones (top
    // to bottom).
    let mut on_across: Vec<Vec<usize>> = vec![Vec::new(); across.len()];
    let mut on_down: Vec<Vec<usize>> = vec![Vec::new(); down.len()];
    let mut crossing = std::collections::HashSet::new();
    for (h, a) in across.iter().enumerate() {
        for (v, d) in down.iter().enumerate() {
            if a.from - REACH <= d.at && d.at <= a.to + REACH && d.from - REACH <= a.at && a.at <= d.to + REACH {
                on_across[h].push(v);
                on_down[v].push(h);
                crossing.insert((h, v));
            }
        }
    }
    // Lines are sorted by position, so these lists are too.
    let mut cells: Vec<(Rect, [(usize, usize); 4])> = Vec::new();
    for (h, verticals) in on_across.iter().enumerate() {
        for (i, &v) in verticals.iter().enumerate() {
            // The first corner below on the left side that closes a
            // rectangle with the first possible corner to the right.
            let below_start = on_down[v].partition_point(|&b| b <= h);
            let lower = on_down[v][below_start..].iter().filter(|&&b| across[b].at > across[h].at + SNAP);
            'found: for &below in lower {
                for &right in &verticals[i + 1..] {
                    if crossing.contains(&(below, right)) {
                        let rect = Rect { x0: down[v].at, y0: across[h].at, x1: down[right].at, y1: across[below].at };
                        cells.push((rect, [(h, v), (h, right), (below, v), (below, right)]));
                        break 'found;
                    }
                }
            }
        }
    }
    let drawn_at = |y: f32, x0: f32, x1: f32| drawn.iter().any(|a| (a.at - y).abs() <= REACH && a.from < x1 - REACH && a.to > x0 + REACH);
    group(cells)
        .into_iter()
        .map(|cells| {
            let x0 = cells.iter().map(|c| c.x0).fold(f32::MAX, f32::min);
            let x1 = cells.iter().map(|c| c.x1).fold(f32::MIN, f32::max);
            let y0 = cells.iter().map(|c| c.y0).fold(f32::MAX, f32::min);
            let y1 = cells.iter().map(|c| c.y1).fold(f32::MIN, f32::max);
            Table { open_top: !drawn_at(y0, x0, x1), open_bottom: !drawn_at(y1, x0, x1), cells }
        })
        .collect()
}

/// A table broken by a page has no border where the page cuts it: its
/// side lines just stop (all of them at the top of the next page, only the
/// merged cell's at the bottom of the page when the other cells of the last
/// row are closed). Each such open end is joined to the nearest side line
/// ending level with it, on its left and on its right.
fn closing_pieces(across: &[Line], down: &[Line]) -> Vec<Segment> {
    let meets = |x: f32, y: f32| across.iter().any(|a| (a.at - y).abs() <= REACH && a.from - REACH <= x && x <= a.to + REACH);
    let ends: Vec<(f32, f32)> = down.iter().flat_map(|d| [(d.at, d.from), (d.at, d.to)]).collect();
    let mut pieces = Vec::new();
    for &(x, y) in ends.iter().filter(|&&(x, y)| !meets(x, y)) {
        let level = ends.iter().filter(|&&(_, y2)| (y2 - y).abs() <= SNAP).map(|&(x2, _)| x2);
        let left = level.clone().filter(|&x2| x2 < x - SNAP).fold(None, |best: Option<f32>, x2| Some(best.map_or(x2, |b| b.max(x2))));
        let right = level.filter(|&x2| x2 > x + SNAP).fold(None, |best: Option<f32>, x2| Some(best.map_or(x2, |b| b.min(x2))));
        for other in [left, right].into_iter().flatten() {
            pieces.push(Segment { horizontal: true, at: y, from: x.min(other), to: x.max(other) });
        }
    }
    pieces
}

/// Cells sharing a corner belong to one table; tables of fewer than two
/// columns are dropped.
fn group(cells: Vec<(Rect, [(usize, usize); 4])>) -> Vec<Vec<Rect>> {
    let mut parent: Vec<usize> = (0..cells.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_at: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, (_, corners)) in cells.iter().enumerate() {
        for corner in corners {
            match first_at.get(corner) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    first_at.insert(*corner, i);
                }
            }
        }
    }
    let mut tables: HashMap<usize, Vec<Rect>> = HashMap::new();
    for (i, (rect, _)) in cells.iter().enumerate() {
        tables.entry(root(&mut parent, i)).or_default().push(*rect);
    }
    tables
        .into_values()
        .filter(|cells| {
            let left = cells.iter().map(|c| c.x0).fold(f32::MAX, f32::min);
            cells.iter().any(|c| c.x0 > left + SNAP)
        })
        .collect()
}

/// Pieces on the same line that touch or overlap become one line.
fn merge<'a>(segments: impl Iterator<Item = &'a Segment>) -> Vec<Line> {
    let mut pieces: Vec<Line> = segments.map(|s| Line { at: s.at, from: s.from, to: s.to }).collect();
    pieces.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut lines = Vec::new();
    let mut start = 0;
    while start < pieces.len() {
        let mut end = start + 1;
        while end < pieces.len() && pieces[end].at - pieces[start].at <= SNAP {
            end += 1;
        }
        let group = &mut pieces[start..end];
        let at = group.iter().map(|p| p.at).sum::<f32>() / group.len() as f32;
        group.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut current = Line { at, from: group[0].from, to: group[0].to };
        for piece in &group[1..] {
            if piece.from <= current.to + REACH {
                current.to = current.to.max(piece.to);
            } else {
                lines.push(current);
                current = Line { at, from: piece.from, to: piece.to };
            }
        }
        lines.push(current);
        start = end;
    }
    lines.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> Segment {
        Segment { horizontal: true, at: y, from: x0, to: x1 }
    }
    fn v(x: f32, y0: f32, y1: f32) -> Segment {
        Segment { horizontal: false, at: x, from: y0, to: y1 }
    }

    fn sorted(mut cells: Vec<Rect>) -> Vec<[f32; 4]> {
        cells.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
        cells.iter().map(|c| [c.x0, c.y0, c.x1, c.y1]).collect()
    }

    #[test]
    fn a_grid_with_merged_cells() {
        // Three columns, three rows; the first column's last two rows are
        // one cell, the first row's last two columns too. Borders drawn in
        // pieces, one per cell side, as Chromium does.
        let segments = vec![
            h(0.0, 0.0, 50.0),
            h(0.0, 50.0, 150.0),
            h(20.0, 0.0, 50.0),
            h(20.0, 50.0, 100.0),
            h(20.0, 100.0, 150.0),
            h(40.0, 50.0, 150.0),
            h(60.3, 0.0, 150.0),
            v(0.0, 0.0, 60.0),
            v(50.0, 0.0, 20.0),
            v(50.2, 20.0, 60.0),
            v(100.0, 20.0, 60.0),
            v(150.0, 0.0, 60.0),
        ];
        let tables = tables(&segments);
        assert_eq!(tables.len(), 1);
        assert!(!tables[0].open_top && !tables[0].open_bottom);
        let cells = sorted(tables[0].cells.clone());
        assert_eq!(cells.len(), 7, "{cells:?}");
        assert_eq!(cells[0], [0.0, 0.0, 50.1, 20.0]);
        assert_eq!(cells[1][0], 50.1, "pieces of one line are one line");
        assert_eq!(cells[1][2], 150.0, "the merged cell spans two columns");
        assert_eq!(cells[2][1..], [20.0, 50.1, 60.3], "the merged cell spans two rows");
    }

    #[test]
    fn a_frame_or_rows_ruled_across_are_no_table() {
        let frame = vec![h(0.0, 0.0, 100.0), h(50.0, 0.0, 100.0), v(0.0, 0.0, 50.0), v(100.0, 0.0, 50.0)];
        assert!(tables(&frame).is_empty());
        let mut rows = frame.clone();
        rows.push(h(25.0, 0.0, 100.0));
        assert!(tables(&rows).is_empty());
        let mut two = frame;
        two.push(v(40.0, 0.0, 50.0));
        assert_eq!(tables(&two).len(), 1);
    }

    #[test]
    fn a_merged_cell_cut_by_the_page_is_closed() {
        // The first column's cell runs on to the next page: no line under
        // it, while the other cells of the last row have theirs.
        let segments = vec![
            h(0.0, 0.0, 150.0),
            h(20.0, 50.0, 150.0),
            h(40.0, 50.0, 150.0),
            v(0.0, 0.0, 40.0),
            v(50.0, 0.0, 40.0),
            v(150.0, 0.0, 40.0),
        ];
        let table = &tables(&segments)[0];
        assert_eq!(sorted(table.cells.clone()), [[0.0, 0.0, 50.0, 40.0], [50.0, 0.0, 150.0, 20.0], [50.0, 20.0, 150.0, 40.0]]);
        assert!(!table.open_bottom, "the row is whole: only the merged cell goes on");
    }

    #[test]
    fn a_table_continued_from_the_previous_page_is_closed_at_its_top() {
        let segments = vec![h(20.0, 0.0, 150.0), v(0.0, 0.0, 20.0), v(50.0, 0.0, 20.0), v(100.0, 0.0, 20.0), v(150.0, 0.0, 20.0)];
        let table = &tables(&segments)[0];
        assert_eq!((table.cells.len(), table.open_top, table.open_bottom), (3, true, false));
    }

    #[test]
    fn tables_apart_are_apart() {
        let table = |y: f32| vec![h(y, 0.0, 100.0), h(y + 20.0, 0.0, 100.0), v(0.0, y, y + 20.0), v(50.0, y, y + 20.0), v(100.0, y, y + 20.0)];
        let mut both = table(0.0);
        both.extend(table(100.0));
        assert_eq!(tables(&both).len(), 2);
    }
}

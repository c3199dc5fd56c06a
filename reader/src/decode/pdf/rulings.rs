//! The straight lines drawn on each page (table borders), read from the
//! page's content stream with `lopdf`.
//!
//! Producers draw borders either as stroked paths (`m`/`l`/`re` … `S`) or as
//! thin filled rectangles (Chromium, many Office exports: `x y w 0.75 re f`);
//! both become [`Segment`]s. Coordinates go through the graphics state's
//! matrix (`q`/`Q`/`cm`, and form XObjects drawn with `Do`), then into the
//! page as poppler shows it: points from the top left corner of the crop
//! box, `/Rotate` applied, so they match the words' boxes.

use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

/// A horizontal or vertical line: `at` is its y (horizontal) or x
/// (vertical), it runs from `from` to `to` along the other axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub horizontal: bool,
    pub at: f32,
    pub from: f32,
    pub to: f32,
}

/// A filled rectangle no thicker than this is a line (Chromium draws a 1px
/// border as 0.75 pt, Word's thick borders are 1.5–2.25 pt).
const THIN: f32 = 3.0;
/// Shorter lines are ticks, dots or glyph parts, not borders.
const MIN_LENGTH: f32 = 2.0;
/// Form XObjects nested deeper than this are not followed.
const MAX_DEPTH: usize = 6;
/// A stream inflating to more than this is not read (a decompression bomb
/// costs no memory).
const MAX_CONTENT_BYTES: usize = 64 << 20;

/// A page's lines, and its size: as stored (poppler's TSV reports that, to
/// check it is the page poppler read) and as shown (turned by `/Rotate`).
pub struct PageRulings {
    pub stored: (f32, f32),
    pub shown: (f32, f32),
    pub segments: Vec<Segment>,
}

/// The lines of pages `1..=pages`; `None` for a page whose content could
/// not be read (its tables are then laid out from word positions alone).
pub fn read(pdf: &[u8], pages: u32) -> Result<Vec<Option<PageRulings>>, String> {
    let options = LoadOptions { max_decompressed_size: Some(MAX_CONTENT_BYTES), ..LoadOptions::default() };
    let doc = Document::load_mem_with_options(pdf, options).map_err(|e| e.to_string())?;
    Ok(doc.get_pages().into_values().take(pages as usize).map(|id| page_rulings(&doc, id)).collect())
}

fn page_rulings(doc: &Document, page: ObjectId) -> Option<PageRulings> {
    let view = View::of(doc, page)?;
    let content = doc.get_page_content_with_limit(page, MAX_CONTENT_BYTES).ok()?;
    let resources = page_resources(doc, page);
    let mut painter = Painter { doc, view, segments: Vec::new(), path: Vec::new(), ctm: IDENTITY, stack: Vec::new() };
    painter.run(&content, resources.as_ref(), 0)?;
    let [x0, y0, x1, y1] = view.crop;
    let stored = (x1 - x0, y1 - y0);
    let shown = if view.rotate % 180 == 90 { (stored.1, stored.0) } else { stored };
    Some(PageRulings { stored, shown, segments: painter.segments })
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`: apply `m` first (PDF's row-vector convention).
fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// From PDF user space to the page as shown: crop box origin, y downwards,
/// rotation applied.
#[derive(Clone, Copy)]
struct View {
    crop: [f32; 4],
    rotate: i64,
}

impl View {
    fn of(doc: &Document, page: ObjectId) -> Option<View> {
        let media = inherited(doc, page, b"MediaBox").and_then(|o| rect(doc, o))?;
        let crop = inherited(doc, page, b"CropBox").and_then(|o| rect(doc, o)).map_or(media, |c| {
            [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])]
        });
        let rotate = inherited(doc, page, b"Rotate").and_then(|o| o.as_i64().ok()).unwrap_or(0).rem_euclid(360);
        Some(View { crop, rotate })
    }

    fn point(&self, x: f32, y: f32) -> (f32, f32) {
        let [x0, y0, x1, y1] = self.crop;
        match self.rotate {
            90 => (y - y0, x - x0),
            180 => (x1 - x, y - y0),
            270 => (y1 - y, x1 - x),
            _ => (x - x0, y1 - y),
        }
    }
}

/// A page attribute, looked up through its parents as the spec inherits it.
fn inherited<'a>(doc: &'a Document, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(value) = node.get_deref(key, doc) {
            return Some(value);
        }
        node = node.get_deref(b"Parent", doc).ok()?.as_dict().ok()?;
    }
    None
}

/// `[x0 y0 x1 y1]`, normalised so that x0 ≤ x1 and y0 ≤ y1.
fn rect(doc: &Document, object: &Object) -> Option<[f32; 4]> {
    let values: Vec<f32> =
        object.as_array().ok()?.iter().filter_map(|o| doc.dereference(o).ok()?.1.as_float().ok()).collect();
    let [a, b, c, d] = values[..] else { return None };
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

/// The page's resource dictionary (its own, or the nearest parent's).
fn page_resources(doc: &Document, page: ObjectId) -> Option<Dictionary> {
    inherited(doc, page, b"Resources")?.as_dict().ok().cloned()
}

/// A subpath in page coordinates, and whether it may be a straight-edged
/// shape (no curves).
struct Subpath {
    points: Vec<(f32, f32)>,
    closed: bool,
    curved: bool,
}

struct Painter<'a> {
    doc: &'a Document,
    view: View,
    segments: Vec<Segment>,
    path: Vec<Subpath>,
    ctm: Matrix,
    stack: Vec<Matrix>,
}

impl Painter<'_> {
    /// Interprets one content stream; `None` when it cannot be parsed.
    fn run(&mut self, content: &[u8], resources: Option<&Dictionary>, depth: usize) -> Option<()> {
        let content = Content::decode(content).ok()?;
        for op in &content.operations {
            let n = |i: usize| op.operands.get(i).and_then(|o| o.as_float().ok()).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" => self.stack.push(self.ctm),
                "Q" => self.ctm = self.stack.pop().unwrap_or(self.ctm),
                "cm" => self.ctm = multiply(&[n(0), n(1), n(2), n(3), n(4), n(5)], &self.ctm),
                "m" => {
                    let p = self.point(n(0), n(1));
                    self.path.push(Subpath { points: vec![p], closed: false, curved: false });
                }
                "l" => {
                    let p = self.point(n(0), n(1));
                    match self.path.last_mut() {
                        Some(sub) if !sub.closed => sub.points.push(p),
                        _ => self.path.push(Subpath { points: vec![p], closed: false, curved: false }),
                    }
                }
                "c" | "v" | "y" => {
                    let last = op.operands.len().saturating_sub(2);
                    let p = self.point(n(last), n(last + 1));
                    if let Some(sub) = self.path.last_mut() {
                        sub.points.push(p);
                        sub.curved = true;
                    }
                }
                "re" => {
                    let (x, y, w, h) = (n(0), n(1), n(2), n(3));
                    let points = vec![self.point(x, y), self.point(x + w, y), self.point(x + w, y + h), self.point(x, y + h)];
                    self.path.push(Subpath { points, closed: true, curved: false });
                }
                "h" => {
                    if let Some(sub) = self.path.last_mut() {
                        sub.closed = true;
                    }
                }
                "S" | "s" => self.paint(false, true, op.operator == "s"),
                "f" | "F" | "f*" => self.paint(true, false, false),
                "B" | "B*" => self.paint(true, true, false),
                "b" | "b*" => self.paint(true, true, true),
                "n" => self.path.clear(),
                "Do" if depth < MAX_DEPTH => {
                    if let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) {
                        self.form(name, resources, depth);
                    }
                }
                _ => {}
            }
        }
        Some(())
    }

    /// Draws a form XObject: its content under its matrix and resources.
    fn form(&mut self, name: &[u8], resources: Option<&Dictionary>, depth: usize) {
        let doc = self.doc;
        let Some(stream) = resources
            .and_then(|r| r.get_deref(b"XObject", doc).ok()?.as_dict().ok())
            .and_then(|x| x.get_deref(name, doc).ok()?.as_stream().ok())
        else {
            return;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            return;
        }
        let Ok(content) = stream.decompressed_content_with_limit(MAX_CONTENT_BYTES) else { return };
        let matrix = stream.dict.get_deref(b"Matrix", doc).ok().and_then(|m| {
            let v: Vec<f32> = m.as_array().ok()?.iter().filter_map(|o| o.as_float().ok()).collect();
            <[f32; 6]>::try_from(v).ok()
        });
        let own = stream.dict.get_deref(b"Resources", doc).ok().and_then(|r| r.as_dict().ok()).cloned();
        let saved = (self.ctm, std::mem::take(&mut self.path), self.stack.len());
        self.ctm = multiply(&matrix.unwrap_or(IDENTITY), &self.ctm);
        self.run(&content, own.as_ref().or(resources), depth + 1);
        (self.ctm, self.path) = (saved.0, saved.1);
        self.stack.truncate(saved.2);
    }

    fn point(&self, x: f32, y: f32) -> (f32, f32) {
        let m = &self.ctm;
        self.view.point(m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
    }

    /// Paints the current path: stroked edges are lines, filled thin
    /// rectangles are lines; the path is then cleared.
    fn paint(&mut self, fill: bool, stroke: bool, close: bool) {
        for sub in std::mem::take(&mut self.path) {
            if sub.curved {
                continue;
            }
            if stroke {
                let closing = (sub.closed || close || fill) && sub.points.len() > 2;
                let edges = sub.points.windows(2).map(|w| (w[0], w[1]));
                let last = closing.then(|| (sub.points[sub.points.len() - 1], sub.points[0]));
                for (a, b) in edges.chain(last) {
                    self.line(a, b);
                }
            }
            if fill {
                if let Some([x0, y0, x1, y1]) = rectangle(&sub.points) {
                    let (w, h) = (x1 - x0, y1 - y0);
                    if h <= THIN && w >= MIN_LENGTH && w > h {
                        self.segments.push(Segment { horizontal: true, at: (y0 + y1) / 2.0, from: x0, to: x1 });
                    } else if w <= THIN && h >= MIN_LENGTH && h > w {
                        self.segments.push(Segment { horizontal: false, at: (x0 + x1) / 2.0, from: y0, to: y1 });
                    }
                }
            }
        }
    }

    fn line(&mut self, (ax, ay): (f32, f32), (bx, by): (f32, f32)) {
        let (dx, dy) = ((bx - ax).abs(), (by - ay).abs());
        if dy <= 0.5 && dx >= MIN_LENGTH {
            self.segments.push(Segment { horizontal: true, at: (ay + by) / 2.0, from: ax.min(bx), to: ax.max(bx) });
        } else if dx <= 0.5 && dy >= MIN_LENGTH {
            self.segments.push(Segment { horizontal: false, at: (ax + bx) / 2.0, from: ay.min(by), to: ay.max(by) });
        }
    }
}

/// The bounds of an axis-aligned rectangle given as its corners (a closing
/// point repeating the first is allowed); `None` for any other shape.
fn rectangle(points: &[(f32, f32)]) -> Option<[f32; 4]> {
    let corners = match points {
        [a, b, c, d, e] if (a.0 - e.0).abs() < 0.01 && (a.1 - e.1).abs() < 0.01 => [*a, *b, *c, *d],
        [a, b, c, d] => [*a, *b, *c, *d],
        _ => return None,
    };
    let xs = corners.map(|p| p.0);
    let ys = corners.map(|p| p.1);
    let (x0, x1) = (xs.iter().copied().fold(f32::MAX, f32::min), xs.iter().copied().fold(f32::MIN, f32::max));
    let (y0, y1) = (ys.iter().copied().fold(f32::MAX, f32::min), ys.iter().copied().fold(f32::MIN, f32::max));
    let on_edge = |v: f32, lo: f32, hi: f32| (v - lo).abs() < 0.01 || (v - hi).abs() < 0.01;
    // Every corner on the bounding box's corners, and consecutive corners
    // sharing an x or a y: an axis-aligned rectangle.
    let aligned = corners.iter().all(|p| on_edge(p.0, x0, x1) && on_edge(p.1, y0, y1))
        && (0..4).all(|i| {
            let (p, q) = (corners[i], corners[(i + 1) % 4]);
            (p.0 - q.0).abs() < 0.01 || (p.1 - q.1).abs() < 0.01
        });
    aligned.then_some([x0, y0, x1, y1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        // Scale by 2, then move by (10, 0): (1, 1) → (12, 2).
        let m = multiply(&[2.0, 0.0, 0.0, 2.0, 0.0, 0.0], &[1.0, 0.0, 0.0, 1.0, 10.0, 0.0]);
        assert_eq!((m[0] + m[2] + m[4], m[1] + m[3] + m[5]), (12.0, 2.0));
    }

    #[test]
    fn rotated_pages_map_to_the_page_as_shown() {
        let view = |rotate| View { crop: [0.0, 0.0, 600.0, 800.0], rotate };
        // The user-space point near the bottom-left corner.
        assert_eq!(view(0).point(10.0, 20.0), (10.0, 780.0));
        assert_eq!(view(90).point(10.0, 20.0), (20.0, 10.0));
        assert_eq!(view(180).point(10.0, 20.0), (590.0, 20.0));
        assert_eq!(view(270).point(10.0, 20.0), (780.0, 590.0));
    }

    #[test]
    fn only_axis_aligned_rectangles_count() {
        assert_eq!(rectangle(&[(0.0, 0.0), (5.0, 0.0), (5.0, 1.0), (0.0, 1.0)]), Some([0.0, 0.0, 5.0, 1.0]));
        assert_eq!(rectangle(&[(0.0, 0.0), (5.0, 1.0), (5.0, 0.0), (0.0, 1.0)]), None);
        assert_eq!(rectangle(&[(0.0, 0.0), (5.0, 0.0), (6.0, 1.0), (0.0, 1.0)]), None);
    }
}

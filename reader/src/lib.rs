//! Reading published performance-target tables (绩效目标表) into records.
//!
//! ```text
//! bytes ─ decode (format by content, encoding) ─► content: text or rows
//!       ─ grid (layout: rows of cells, each with its line and place) ─►
//!       ─ extract (tables → labelled values → records) ─► records, report
//! ```
//!
//! The crate knows nothing of the site: the indexer hands it documents and
//! takes records, reports and problems.

pub mod decode;
pub mod extract;
pub mod grid;
pub mod labels;

//! Reading published performance-target tables (绩效目标表) into records.
//!
//! `bytes of a document → decode (format, encoding) → grid → tables →
//! labels/reader → records`. The crate knows nothing of the site: the
//! indexer hands it documents and takes records, reports and problems.

pub mod decode;
pub mod extract;

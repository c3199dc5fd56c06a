//! The static page of `dist/index.html`, what a reader sees before the app
//! runs (and if it cannot): Trunk copies `app/index.html`, whose
//! `<x-coverage>` placeholder gets the list of places the index covers,
//! written by the indexer into `idx/coverage.html`.

use std::path::Path;

use crate::Result;

const PLACEHOLDER: &str = "<x-coverage></x-coverage>";

/// Puts the index's coverage into the built page (idempotent: a page
/// without the placeholder is left as it is).
pub fn apply(dist: &Path) -> Result<()> {
    let page = dist.join("index.html");
    let coverage = dist.join("idx/coverage.html");
    let html = std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
    if !html.contains(PLACEHOLDER) {
        return Ok(());
    }
    let fragment = std::fs::read_to_string(&coverage).map_err(|e| format!("{}: {e}", coverage.display()))?;
    std::fs::write(&page, html.replace(PLACEHOLDER, fragment.trim())).map_err(|e| format!("{}: {e}", page.display()))
}

//! The site's Content-Security-Policy, written into `dist/index.html` after
//! Trunk built it.
//!
//! A static host cannot be counted on to send headers, so the policy is a
//! `<meta http-equiv>` in the page itself. It allows exactly what the app
//! does: its own script and wasm module (the page's inline scripts, Trunk's
//! loader and app/index.html's crash message, allowed by their SHA-256
//! rather than `'unsafe-inline'`, and
//! `'wasm-unsafe-eval'` to instantiate the module), its own stylesheet and
//! icon, and `fetch` of its own index files. Everything else, including any
//! script or image a document's text might smuggle into the page, is
//! refused. A per-request nonce is impossible without a server; a hash of
//! the build's own loader is the static equivalent.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::Result;

const MARKER: &str = "Content-Security-Policy";

/// Adds the policy to the built page, right after `<meta charset>` so that
/// it governs every element after it. Idempotent: a page that has a policy
/// already is rewritten with a fresh one.
pub fn apply(page: &Path) -> Result<()> {
    let html = std::fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
    let html = with_policy(&html).map_err(|e| format!("{}: {e}", page.display()))?;
    std::fs::write(page, html).map_err(|e| format!("{}: {e}", page.display()))
}

fn with_policy(html: &str) -> Result<String> {
    let html = without_policy(html);
    let scripts = inline_scripts(&html);
    if !scripts.iter().any(|s| s.contains("import ")) {
        return Err("no inline loader script: did Trunk's output change?".into());
    }
    let hashes: Vec<String> = scripts
        .iter()
        .map(|s| format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))))
        .collect();
    let policy = format!(
        "default-src 'none'; script-src 'self' {} 'wasm-unsafe-eval'; connect-src 'self'; \
         style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'",
        hashes.join(" ")
    );
    let meta = format!("<meta http-equiv={MARKER} content=\"{policy}\">");
    let at = charset_end(&html).ok_or("no <meta charset> in the page")?;
    Ok(format!("{}{meta}{}", &html[..at], &html[at..]))
}

/// The page without a policy `apply` wrote before.
fn without_policy(html: &str) -> String {
    let start = format!("<meta http-equiv={MARKER} ");
    match html.find(&start) {
        Some(at) => match html[at..].find('>') {
            Some(len) => format!("{}{}", &html[..at], &html[at + len + 1..]),
            None => html.to_string(),
        },
        None => html.to_string(),
    }
}

/// The contents of every `<script>` without `src`, as the browser hashes
/// them (the exact characters between the tags).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let Some(tag_end) = rest[open..].find('>') else { break };
        let tag = &rest[open..open + tag_end];
        let body_start = open + tag_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else { break };
        if !tag.contains(" src=") {
            found.push(&rest[body_start..body_start + close]);
        }
        rest = &rest[body_start + close..];
    }
    found
}

fn charset_end(html: &str) -> Option<usize> {
    let at = html.find("<meta charset")?;
    Some(at + html[at..].find('>')? + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!doctype html><html><meta charset=utf-8><title>t</title>\
        <script>addEventListener('error', f);</script>\
        <script type=module>import init from './a.js';\nawait init();</script>\
        <script src=./b.js></script></head><body></body></html>";

    #[test]
    fn the_policy_hashes_the_inline_loader_and_precedes_it() {
        let html = with_policy(PAGE).unwrap();
        let meta = html.find("Content-Security-Policy").unwrap();
        assert!(meta < html.find("<script").unwrap());
        // echo -n "import init from './a.js';\nawait init();" | openssl dgst -sha256 -binary | base64
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest("import init from './a.js';\nawait init();".as_bytes()));
        assert!(html.contains(&format!("'sha256-{expected}'")), "{html}");
        let handler = base64::engine::general_purpose::STANDARD.encode(Sha256::digest("addEventListener('error', f);".as_bytes()));
        assert!(html.contains(&format!("'sha256-{handler}'")), "every inline script is allowed: {html}");
        assert!(!html.contains("unsafe-inline"));
    }

    #[test]
    fn applying_twice_keeps_one_policy() {
        let once = with_policy(PAGE).unwrap();
        let twice = with_policy(&once).unwrap();
        assert_eq!(once, twice);
        assert_eq!(twice.matches("Content-Security-Policy").count(), 1);
    }

    #[test]
    fn a_page_without_a_loader_is_an_error() {
        assert!(with_policy("<meta charset=utf-8><body></body>").is_err());
        assert!(with_policy("<meta charset=utf-8><script>addEventListener('error', f);</script>").is_err());
    }
}

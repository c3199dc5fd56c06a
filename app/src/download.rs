//! Files the user downloads, made in the browser: the current result list
//! and indicator list as CSV, with the headers the site shows.

use jixiao_core::csv::{line, BOM};
use jixiao_core::index::docs::DocSummary;
use jixiao_core::table::{result_row, RESULT_HEADERS};
use wasm_bindgen::JsCast;

use crate::context::share_url;
use crate::url_state::{Screen, UrlState};

/// A CSV file (UTF-8 with BOM, so spreadsheets read Chinese).
pub fn csv_file(headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::from(BOM);
    out.push_str(&line(headers));
    for row in rows {
        out.push_str(&line(&row));
    }
    out
}

/// CSV of result summaries, each with the address of its page.
pub fn results_csv(summaries: &[DocSummary]) -> String {
    let link = |id: &str| share_url(&UrlState { screen: Screen::Project(id.to_string()), ..Default::default() });
    csv_file(&RESULT_HEADERS, summaries.iter().map(|s| result_row(s, &link(&s.id))))
}

/// Offers `text` as a file download.
pub fn download_text(file_name: &str, mime: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = document.create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    // The download starts from the click; release the blob a little later.
    leptos::prelude::set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(30));
}

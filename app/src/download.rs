//! Files the user downloads, made in the browser: the current result list
//! as CSV.

use jixiao_core::csv::{line, BOM};
use jixiao_core::index::docs::DocSummary;
use wasm_bindgen::JsCast;

/// CSV of result summaries (UTF-8 with BOM, so spreadsheets read Chinese).
pub fn results_csv(summaries: &[DocSummary]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&line(&[
        "id", "name", "kind", "province", "city", "county", "region_code", "department", "implementing_unit", "year",
        "total_yuan", "fund_sources", "project_code",
    ]));
    for s in summaries {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        out.push_str(&line(&[
            s.id.clone(),
            s.name.clone(),
            match s.kind {
                jixiao_core::model::Kind::Project => "project".into(),
                jixiao_core::model::Kind::Department => "department".into(),
            },
            opt(&s.region.province),
            opt(&s.region.city),
            opt(&s.region.county),
            opt(&s.region.code),
            opt(&s.department),
            opt(&s.implementing_unit),
            s.year.map(|y| y.to_string()).unwrap_or_default(),
            s.total_yuan.map(|y| y.to_string()).unwrap_or_default(),
            s.fund_sources
                .iter()
                .map(|t| if t.inferred { format!("{}(inferred)", t.source.key()) } else { t.source.key().to_string() })
                .collect::<Vec<_>>()
                .join(";"),
            opt(&s.project_code),
        ]));
    }
    out
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

//! `window.wasmBindings.jixiaoBench(queries, repeats)`: query latency as
//! measured inside the browser, for `cargo xtask bench`. It runs the same
//! code path a search from the search box runs (engine + summaries of the
//! first page), after a first cold run that fetches what each query needs.

use std::cell::RefCell;

use jixiao_core::search::{Filters, Sort};
use wasm_bindgen::prelude::*;

use crate::search::PAGE;
use crate::store::Store;

thread_local! {
    /// The loaded index, for this measurement hook only (the app itself
    /// passes the store through its context).
    static LOADED: RefCell<Option<Store>> = const { RefCell::new(None) };
}

pub fn register(store: &Store) {
    LOADED.with(|l| *l.borrow_mut() = Some(store.clone()));
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Returns JSON: `{"cold_us": [...], "warm_us": [...]}` (microseconds), one
/// cold time per query and `repeats` warm times per query.
#[wasm_bindgen(js_name = jixiaoBench)]
pub async fn bench(queries: Vec<String>, repeats: u32) -> Result<String, JsValue> {
    let store = LOADED.with(|l| l.borrow().clone()).ok_or_else(|| JsValue::from_str("index not loaded yet"))?;
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for q in &queries {
        for run in 0..=repeats {
            let start = now();
            let (_, results) = store
                .search(q, &Filters::default(), Sort::Relevance)
                .await
                .map_err(|e| JsValue::from_str(&e.message_zh()))?;
            let docs: Vec<u32> = results.hits.iter().take(PAGE).map(|h| h.doc).collect();
            store.summaries(&docs).await.map_err(|e| JsValue::from_str(&e.message_zh()))?;
            let elapsed = now() - start;
            if run == 0 {
                cold.push(elapsed);
            } else {
                warm.push(elapsed);
            }
        }
    }
    // Whole microseconds: integer formatting keeps float code out of the bundle.
    let list = |v: &[f64]| v.iter().map(|ms| ((ms * 1000.0) as u64).to_string()).collect::<Vec<_>>().join(",");
    Ok(format!("{{\"cold_us\":[{}],\"warm_us\":[{}]}}", list(&cold), list(&warm)))
}

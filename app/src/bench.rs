//! Measurement hooks for the benchmarks, run inside the browser on the same
//! code path a search from the search box runs (engine + summaries):
//!
//! - `window.wasmBindings.jixiaoBench(queries, repeats)` (`cargo xtask
//!   bench`): latency of each query's first run and of repeats;
//! - `window.wasmBindings.jixiaoQuery(query, shown)` (`cargo xtask scale`):
//!   one query from a cold start (nothing fetched but the manifest): time to
//!   the first result, to `shown` results, then warm repeats, and the ids
//!   found.

use std::cell::RefCell;

use jixiao_core::search::{Filters, Sort};
use wasm_bindgen::prelude::*;

use crate::fetch::FetchError;
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

fn loaded() -> Result<Store, JsValue> {
    LOADED.with(|l| l.borrow().clone()).ok_or_else(|| JsValue::from_str("index not loaded yet"))
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Returns JSON: `{"cold_us": [...], "warm_us": [...]}` (microseconds), one
/// cold time per query and `repeats` warm times per query.
#[wasm_bindgen(js_name = jixiaoBench)]
pub async fn bench(queries: Vec<String>, repeats: u32) -> Result<String, JsValue> {
    let store = loaded()?;
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for q in &queries {
        for run in 0..=repeats {
            let start = now();
            let (_, docs) = top_docs(&store, q, PAGE).await?;
            store.summaries(&docs).await.map_err(fail)?;
            let elapsed = now() - start;
            if run == 0 {
                cold.push(elapsed);
            } else {
                warm.push(elapsed);
            }
        }
    }
    Ok(format!("{{\"cold_us\":[{}],\"warm_us\":[{}]}}", micros(&cold), micros(&warm)))
}

fn fail(e: FetchError) -> JsValue {
    JsValue::from_str(&e.message_zh())
}

/// A search as the search box runs it: the number of hits and the
/// documents of the first `shown` (whose summaries the caller fetches).
async fn top_docs(store: &Store, q: &str, shown: usize) -> Result<(usize, Vec<u32>), JsValue> {
    let (_, results) = store.search(q, &Filters::default(), Sort::Relevance).await.map_err(fail)?;
    Ok((results.hits.len(), results.hits.iter().take(shown).map(|h| h.doc).collect()))
}

/// Whole microseconds: integer formatting keeps float code out of the bundle.
fn micros(v: &[f64]) -> String {
    v.iter().map(|ms| ((ms * 1000.0) as u64).to_string()).collect::<Vec<_>>().join(",")
}

/// Returns JSON: `{"first_us", "shown_us", "warm_us": [...], "total", "ids": [...]}`.
#[wasm_bindgen(js_name = jixiaoQuery)]
pub async fn query(q: String, shown: u32) -> Result<String, JsValue> {
    const WARM_RUNS: usize = 5;
    let store = loaded()?.cold_copy();
    let start = now();
    let (total, docs) = top_docs(&store, &q, shown as usize).await?;
    store.summaries(&docs[..docs.len().min(1)]).await.map_err(fail)?;
    let first = now() - start;
    let summaries = store.summaries(&docs).await.map_err(fail)?;
    let all = now() - start;
    let mut warm = Vec::with_capacity(WARM_RUNS);
    for _ in 0..WARM_RUNS {
        let start = now();
        let (_, docs) = top_docs(&store, &q, shown as usize).await?;
        store.summaries(&docs).await.map_err(fail)?;
        warm.push(now() - start);
    }
    // Record ids are letters, digits and dashes; quote them anyway.
    let ids: Vec<String> = summaries.iter().map(|s| format!("\"{}\"", s.id.replace(['"', '\\'], ""))).collect();
    Ok(format!(
        "{{\"first_us\":{},\"shown_us\":{},\"warm_us\":[{}],\"total\":{},\"ids\":[{}]}}",
        micros(&[first]),
        micros(&[all]),
        micros(&warm),
        total,
        ids.join(",")
    ))
}

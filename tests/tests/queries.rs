//! The public queries (`tests/fixtures/queries/public.json`) in the
//! browser: every project a query must find is among its first 10 cards.

use jixiao_e2e::{encode, root, Browser, Site};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn public_queries_find_their_projects_in_the_browser() {
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/fixtures/queries/public.json")).unwrap()).unwrap();
    let site = Site::start();
    let browser = Browser::start().await;
    let mut failures = Vec::new();
    let mut reciprocal_ranks = Vec::new();
    for q in file["queries"].as_array().unwrap() {
        let text = q["q"].as_str().unwrap();
        browser.open(&format!("{}?q={}", site.url(), encode(text))).await;
        browser.wait_until("document.querySelector('.card, .no-results')", "results").await;
        let names = browser.texts(".card .card-title").await;
        let regions = browser.texts(".card .region").await;
        for m in q["must_find"].as_array().unwrap() {
            let (name, region) = (m["name"].as_str().unwrap(), m["region"].as_str().unwrap());
            match names.iter().zip(&regions).take(10).position(|(n, r)| n.contains(name) && r == region) {
                Some(rank) => reciprocal_ranks.push(1.0 / (rank as f64 + 1.0)),
                None => failures.push(format!("{text}: {name} ({region}) not in the first 10 of {names:?}")),
            }
        }
    }
    let total = reciprocal_ranks.len() + failures.len();
    println!("browser: public queries, mean reciprocal rank {:.3}", reciprocal_ranks.iter().sum::<f64>() / total as f64);
    browser.close().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! The browser app (Leptos, client-side rendered, compiled to wasm).
//!
//! Module map: [`app`] shell and navigation, [`context`] what every screen
//! reaches (index, URL state, comparison basket, the reader's place),
//! [`store`] index loading and caching, [`fetch`] verified downloads,
//! [`url_state`] the URL as the single source of screen state; screens:
//! [`search`] (with [`facets`]), [`project`], [`compare`], [`overview`]
//! (and the start page's coverage and place pages), [`indicators`];
//! [`widgets`] shared pieces, [`download`] CSV export, `bench` the latency
//! hooks for `cargo xtask bench` and `scale` (feature `bench`). A crash
//! (a panic is a wasm trap) is shown by the page itself (index.html).

mod app;
#[cfg(feature = "bench")]
mod bench;
mod compare;
mod context;
mod download;
mod facets;
mod fetch;
mod indicators;
mod overview;
mod project;
mod search;
mod store;
mod url_state;
mod widgets;

fn main() {
    leptos::mount::mount_to_body(app::App);
}

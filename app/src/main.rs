//! The browser app (Leptos, client-side rendered, compiled to wasm).
//!
//! Module map: [`app`] shell and navigation, [`store`] index loading and
//! caching, [`fetch`] verified downloads, [`url_state`] the URL as the
//! single source of screen state; screens: [`search`] (with [`facets`]),
//! [`project`], [`compare`], [`overview`]; [`widgets`] shared pieces,
//! [`download`] CSV export, [`panic`] the crash message, `bench` the
//! latency hooks for `cargo xtask bench` and `scale` (feature `bench`).

mod app;
#[cfg(feature = "bench")]
mod bench;
mod compare;
mod download;
mod facets;
mod fetch;
mod overview;
mod panic;
mod project;
mod search;
mod store;
mod url_state;
mod widgets;

fn main() {
    panic::install_hook();
    leptos::mount::mount_to_body(app::App);
}

//! The browser app (Leptos, client-side rendered, compiled to wasm).
//!
//! Module map: [`app`] shell and navigation, [`store`] index loading and
//! caching, [`fetch`] verified downloads, [`url_state`] the URL as the
//! single source of screen state, [`search`] the search screen.

mod app;
mod bench;
mod fetch;
mod panic;
mod search;
mod store;
mod url_state;

fn main() {
    panic::install_hook();
    leptos::mount::mount_to_body(app::App);
}

//! What every screen reaches through Leptos' context: the index, the URL
//! state, the comparison basket (kept in local storage, so a reload keeps
//! it), and the place a reader was at (focus and scroll on a change of
//! screen, scroll restored on Back).

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::fetch::FetchError;
use crate::store::Store;
use crate::url_state::{UrlState, MAX_COMPARE};

#[derive(Clone, Debug, PartialEq)]
pub enum LoadState {
    Loading,
    Ready,
    Failed(String),
}

/// A project chosen for comparison: id and name (the name labels it in
/// the basket before its record is loaded).
pub type Chosen = (String, String);

#[derive(Clone, Copy)]
pub struct AppContext {
    pub store: StoredValue<Option<Store>, LocalStorage>,
    pub load: RwSignal<LoadState>,
    pub url: RwSignal<UrlState>,
    /// Projects chosen for comparison, kept while browsing and across reloads.
    pub basket: RwSignal<Vec<Chosen>>,
    /// A project waiting to join a full basket: the reader is asked which
    /// one it replaces.
    pub asking: RwSignal<Option<Chosen>>,
    /// Where to scroll when the screen is ready (Back and Forward).
    restore: StoredValue<Option<f64>>,
    /// The screen changed: focus its heading when it is ready.
    focus: StoredValue<bool>,
}

const BASKET_KEY: &str = "jixiao-compare";
const SITE: &str = "医保绩效目标检索";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl AppContext {
    pub fn new() -> AppContext {
        let basket = local_storage()
            .and_then(|s| s.get_item(BASKET_KEY).ok().flatten())
            .map(|text| text.lines().filter_map(|l| l.split_once('\t')).map(|(i, n)| (i.to_string(), n.to_string())).take(MAX_COMPARE).collect())
            .unwrap_or_default();
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            // The app restores scroll itself, once a screen has its content.
            let _ = js_sys::Reflect::set(&history, &"scrollRestoration".into(), &"manual".into());
        }
        AppContext {
            store: StoredValue::new_local(None),
            load: RwSignal::new(LoadState::Loading),
            url: RwSignal::new(UrlState::parse(&location_search())),
            basket: RwSignal::new(basket),
            asking: RwSignal::new(None),
            restore: StoredValue::new(None),
            focus: StoredValue::new(false),
        }
    }

    pub fn store(&self) -> Option<Store> {
        self.store.with_value(|s| s.clone())
    }

    /// Shows another state and records it in the browser history (the
    /// current entry keeps its scroll position for Back).
    pub fn navigate(&self, state: UrlState) {
        if let Some(w) = web_sys::window() {
            let y = w.scroll_y().unwrap_or(0.0);
            if let Ok(h) = w.history() {
                let _ = h.replace_state(&JsValue::from_f64(y), "");
            }
        }
        let new_screen = self.url.with_untracked(|u| std::mem::discriminant(&u.screen) != std::mem::discriminant(&state.screen));
        write_location(&state, true);
        self.restore.set_value(None);
        self.focus.set_value(new_screen);
        self.url.set(state);
    }

    /// Updates the URL without a new history entry (typing, 显示更多).
    pub fn replace(&self, state: UrlState) {
        write_location(&state, false);
        self.url.set(state);
    }

    /// Back or Forward: the state of that entry, and where it was scrolled.
    pub fn pop(&self) {
        let y = web_sys::window().and_then(|w| w.history().ok()).and_then(|h| h.state().ok()).and_then(|s| s.as_f64());
        self.restore.set_value(y);
        self.focus.set_value(false);
        self.url.set(UrlState::parse(&location_search()));
    }

    /// A screen has its content: its title, and the reader's place (the
    /// scroll position of a history entry, or focus on the new heading).
    pub fn ready(&self, title: &str) {
        let Some(w) = web_sys::window() else { return };
        if let Some(d) = w.document() {
            d.set_title(&if title.is_empty() { SITE.to_string() } else { format!("{title} · {SITE}") });
        }
        let restore = self.restore.get_value();
        let focus = self.focus.get_value();
        self.restore.set_value(None);
        self.focus.set_value(false);
        // After this render is in the page.
        request_animation_frame(move || {
            if let Some(y) = restore {
                w.scroll_to_with_x_and_y(0.0, y);
            } else if focus {
                if let Some(h) = w.document().and_then(|d| d.query_selector("main h1").ok().flatten()) {
                    let _ = h.set_attribute("tabindex", "-1");
                    let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&h).focus();
                }
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        });
    }

    fn save_basket(&self) {
        let text: String = self.basket.with_untracked(|b| b.iter().map(|(i, n)| format!("{i}\t{n}\n")).collect());
        if let Some(s) = local_storage() {
            let _ = s.set_item(BASKET_KEY, &text);
        }
    }

    /// The basket becomes these projects (a comparison link was opened).
    pub fn set_basket(&self, chosen: Vec<Chosen>) {
        self.basket.set(chosen);
        self.save_basket();
    }

    /// Adds a project to the comparison or takes it out again; a full
    /// basket asks which project to replace.
    pub fn toggle_basket(&self, id: &str, name: &str) {
        let present = self.basket.with_untracked(|b| b.iter().position(|(x, _)| x == id));
        match present {
            Some(i) => self.basket.update(|b| {
                b.remove(i);
            }),
            None if self.basket.with_untracked(Vec::len) >= MAX_COMPARE => {
                self.asking.set(Some((id.to_string(), name.to_string())));
                return;
            }
            None => self.basket.update(|b| b.push((id.to_string(), name.to_string()))),
        }
        self.save_basket();
    }

    /// Answers the question of a full basket: `replace` makes room for the
    /// waiting project (`None`: it does not join).
    pub fn answer(&self, replace: Option<usize>) {
        if let (Some(i), Some(waiting)) = (replace, self.asking.get_untracked()) {
            self.basket.update(|b| b[i] = waiting);
            self.save_basket();
        }
        self.asking.set(None);
    }

    pub fn in_basket(&self, id: &str) -> bool {
        self.basket.with(|b| b.iter().any(|(x, _)| x == id))
    }

    pub fn basket_ids(&self) -> Vec<String> {
        self.basket.with(|b| b.iter().map(|(i, _)| i.clone()).collect())
    }

    /// Reports a failure to load index data; the whole page shows it.
    pub fn fail(&self, error: FetchError) {
        web_sys::console::error_1(&JsValue::from_str(&error.detail()));
        self.load.set(LoadState::Failed(error.message_zh()));
    }
}

pub fn location_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

fn write_location(state: &UrlState, push: bool) {
    let Some(window) = web_sys::window() else { return };
    let query = state.to_query();
    // An empty query keeps the page's own path (works in any subdirectory).
    let target = if query.is_empty() { window.location().pathname().unwrap_or_default() } else { query };
    if let Ok(history) = window.history() {
        let _ = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&target))
        } else {
            history.replace_state_with_url(&history.state().unwrap_or(JsValue::NULL), "", Some(&target))
        };
    }
}

/// The address of a state as a reader would share it (absolute).
pub fn share_url(state: &UrlState) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    format!("{base}{}", state.to_query())
}

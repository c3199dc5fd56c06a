//! The application shell: loads the index, keeps the URL and the screen in
//! step, and shows the screen the URL names.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::fetch::FetchError;
use crate::search::SearchPage;
use crate::store::Store;
use crate::url_state::{Screen, UrlState};

#[derive(Clone, Debug, PartialEq)]
pub enum LoadState {
    Loading,
    Ready,
    Failed(String),
}

/// What every screen can reach: the index and the URL state.
#[derive(Clone, Copy)]
pub struct AppContext {
    pub store: StoredValue<Option<Store>, LocalStorage>,
    pub load: RwSignal<LoadState>,
    pub url: RwSignal<UrlState>,
}

impl AppContext {
    pub fn store(&self) -> Option<Store> {
        self.store.with_value(|s| s.clone())
    }

    /// Shows another state and records it in the browser history.
    pub fn navigate(&self, state: UrlState) {
        write_location(&state, true);
        self.url.set(state);
    }

    /// Updates the URL without a new history entry (typing in the search box).
    pub fn replace(&self, state: UrlState) {
        write_location(&state, false);
        self.url.set(state);
    }

    /// Reports a failure to load index data; the whole page shows it.
    pub fn fail(&self, error: FetchError) {
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
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target))
        } else {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target))
        };
    }
}

fn load_index(ctx: AppContext) {
    ctx.load.set(LoadState::Loading);
    spawn_local(async move {
        match Store::load().await {
            Ok(store) => {
                crate::bench::register(&store);
                ctx.store.set_value(Some(store));
                ctx.load.set(LoadState::Ready);
            }
            Err(e) => ctx.fail(e),
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = AppContext {
        store: StoredValue::new_local(None),
        load: RwSignal::new(LoadState::Loading),
        url: RwSignal::new(UrlState::parse(&location_search())),
    };
    provide_context(ctx);
    load_index(ctx);
    let _ = window_event_listener(leptos::ev::popstate, move |_| ctx.url.set(UrlState::parse(&location_search())));

    let home = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        ctx.navigate(UrlState::default());
    };
    view! {
        <header class="site-header">
            <a class="brand" href="./" on:click=home>"医保绩效目标检索"</a>
            <p class="tagline">"各地医疗保障部门预算项目的资金与绩效目标"</p>
        </header>
        <main id="main">
            {move || match ctx.load.get() {
                LoadState::Loading => view! { <p class="status" role="status">"正在加载索引…"</p> }.into_any(),
                LoadState::Failed(message) => view! {
                    <div class="error" role="alert">
                        <p>{message}</p>
                        <button type="button" on:click=move |_| load_index(ctx)>"重试"</button>
                    </div>
                }.into_any(),
                LoadState::Ready => match ctx.url.with(|u| u.screen.clone()) {
                    Screen::Search => view! { <SearchPage/> }.into_any(),
                    _ => view! { <SearchPage/> }.into_any(),
                },
            }}
        </main>
    }
}

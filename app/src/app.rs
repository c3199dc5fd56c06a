//! The application shell: loads the index, keeps the URL and the screen in
//! step, and shows the screen the URL names.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::compare::ComparePage;
use crate::fetch::{FetchError, INDEX_DIR};
use crate::overview::OverviewPage;
use crate::project::ProjectPage;
use crate::search::SearchPage;
use crate::store::Store;
use crate::url_state::{Screen, UrlState, MAX_COMPARE};
use crate::widgets::AppLink;

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
    /// Projects chosen for comparison (ids), kept while browsing.
    pub basket: RwSignal<Vec<String>>,
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

    /// Adds a project to the comparison, or takes it out again.
    pub fn toggle_basket(&self, id: &str) {
        self.basket.update(|b| match b.iter().position(|x| x == id) {
            Some(i) => {
                b.remove(i);
            }
            None => {
                if b.len() == MAX_COMPARE {
                    b.remove(0);
                }
                b.push(id.to_string());
            }
        });
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
                #[cfg(feature = "bench")]
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
        basket: RwSignal::new(Vec::new()),
    };
    provide_context(ctx);
    load_index(ctx);
    let _ = window_event_listener(leptos::ev::popstate, move |_| ctx.url.set(UrlState::parse(&location_search())));

    // Only a change of screen replaces the page; a change of query or
    // filters is handled by the page itself (the search box keeps focus).
    let screen = Memo::new(move |_| ctx.url.with(|u| u.screen.clone()));
    let compare_link = move || {
        let ids = ctx.basket.get();
        let n = ids.len();
        view! {
            <AppLink state=UrlState { screen: Screen::Compare(ids), ..Default::default() }>
                {format!("对比（{n}）")}
            </AppLink>
        }
    };
    view! {
        <a class="skip-link" href="#main">"跳到主要内容"</a>
        <header class="site-header">
            <AppLink class="brand" state=UrlState::default()>"医保绩效目标检索"</AppLink>
            <p class="tagline">"各地医疗保障部门预算项目的资金与绩效目标"</p>
            <nav aria-label="主导航">
                <AppLink state=UrlState::default()>"检索"</AppLink>
                <AppLink state=UrlState { screen: Screen::Overview, ..Default::default() }>"总览"</AppLink>
                {compare_link}
            </nav>
        </header>
        <main id="main" tabindex="-1">
            {move || match ctx.load.get() {
                LoadState::Loading => view! { <p class="status" role="status">"正在加载索引…"</p> }.into_any(),
                LoadState::Failed(message) => view! {
                    <div class="error" role="alert">
                        <h1>"数据加载失败"</h1>
                        <p>{message}</p>
                        <button type="button" on:click=move |_| load_index(ctx)>"重试"</button>
                    </div>
                }.into_any(),
                LoadState::Ready => match screen.get() {
                    Screen::Search => view! { <SearchPage/> }.into_any(),
                    Screen::Project(id) => view! { <ProjectPage id/> }.into_any(),
                    Screen::Compare(ids) => view! { <ComparePage ids/> }.into_any(),
                    Screen::Overview => view! { <OverviewPage/> }.into_any(),
                },
            }}
        </main>
        <footer class="site-footer">
            <p>"下载全部数据："
                <a href=format!("{INDEX_DIR}download/jixiao-records.json") download="">"JSON"</a>" · "
                <a href=format!("{INDEX_DIR}download/jixiao-records.csv") download="">"CSV"</a>" · "
                <a href=format!("{INDEX_DIR}download/datapackage.json") download="">"datapackage.json"</a>
                " · 每个项目的静态页面："<a href=format!("{INDEX_DIR}pages/index.html")>"项目目录"</a>
            </p>
            <p class="muted">"数据取自各地政府公开的绩效目标表，金额统一换算为元；每条记录均注明原文件及行号。"</p>
        </footer>
    }
}

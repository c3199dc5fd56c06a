//! The application shell: takes over from the static page, loads the
//! index, keeps the URL and the screen in step, and shows the screen the
//! URL names.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::compare::ComparePage;
use crate::context::{AppContext, LoadState};
use crate::fetch::INDEX_DIR;
use crate::indicators::IndicatorsPage;
use crate::overview::OverviewPage;
use crate::project::ProjectPage;
use crate::search::SearchPage;
use crate::store::Store;
use crate::url_state::{Screen, UrlState};
use crate::widgets::AppLink;

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

/// Removes the static page (`#shell` in index.html) the app replaces,
/// keeping what a reader typed into its search box meanwhile.
fn take_over_from_shell(ctx: AppContext) {
    let Some(shell) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("shell")) else { return };
    let typed = shell
        .query_selector("input[name=q]")
        .ok()
        .flatten()
        .map(|i| wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlInputElement>(i).value())
        .filter(|t| !t.trim().is_empty());
    shell.remove();
    if let Some(q) = typed {
        if ctx.url.with_untracked(|u| u.screen == Screen::Search && u.q.is_empty()) {
            ctx.replace(UrlState { q, ..Default::default() });
        }
    }
}

/// Links that work without the app: every project's static page, the data.
#[component]
fn StaticLinks() -> impl IntoView {
    view! {
        <p class="static-links">"不用本应用也可以查阅："
            <a href=format!("{INDEX_DIR}pages/index.html")>"全部项目的静态页面"</a>" · "
            <a href=format!("{INDEX_DIR}download/jixiao-records.csv")>"全部数据（CSV）"</a>
        </p>
    }
}

/// A full comparison basket asks which project the new one replaces.
#[component]
fn BasketQuestion() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    move || {
        ctx.asking.get().map(|(_, name)| {
            view! {
                <div class="asking" role="alertdialog" aria-labelledby="asking-title">
                    <p id="asking-title">{format!("对比最多 4 个项目。“{name}”要替换哪一个？")}</p>
                    <ul>
                        {ctx.basket.get().into_iter().enumerate().map(|(i, (_, name))| view! {
                            <li><button type="button" class="secondary" on:click=move |_| ctx.answer(Some(i))>{format!("替换“{name}”")}</button></li>
                        }).collect_view()}
                    </ul>
                    <button type="button" on:click=move |_| ctx.answer(None)>"不加入"</button>
                </div>
            }
        })
    }
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = AppContext::new();
    provide_context(ctx);
    take_over_from_shell(ctx);
    load_index(ctx);
    let _ = window_event_listener(leptos::ev::popstate, move |_| ctx.pop());

    // Only a change of screen replaces the page; a change of query or
    // filters is handled by the page itself (the search box keeps focus).
    let screen = Memo::new(move |_| ctx.url.with(|u| u.screen.clone()));
    let compare_link = move || {
        let n = ctx.basket.with(Vec::len);
        view! {
            <AppLink state=UrlState { screen: Screen::Compare(ctx.basket_ids()), ..Default::default() }>
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
        <BasketQuestion/>
        <main id="main" tabindex="-1">
            {move || match (ctx.load.get(), screen.get()) {
                (LoadState::Failed(message), _) => view! {
                    <div class="error" role="alert">
                        <h1>"暂时无法检索"</h1>
                        <p>{message}</p>
                        <button type="button" on:click=move |_| load_index(ctx)>"重试"</button>
                        <StaticLinks/>
                    </div>
                }.into_any(),
                // The search box works while the index loads.
                (_, Screen::Search) => view! { <SearchPage/> }.into_any(),
                (LoadState::Loading, _) => view! { <p class="status" role="status">"正在加载检索数据…"</p> }.into_any(),
                (LoadState::Ready, Screen::Project(id)) => view! { <ProjectPage id/> }.into_any(),
                (LoadState::Ready, Screen::Compare(ids)) => view! { <ComparePage ids/> }.into_any(),
                (LoadState::Ready, Screen::Overview) => view! { <OverviewPage/> }.into_any(),
                (LoadState::Ready, Screen::Indicators) => view! { <IndicatorsPage/> }.into_any(),
            }}
        </main>
        <footer class="site-footer">
            <p>"下载全部数据："
                <a href=format!("{INDEX_DIR}download/jixiao-records.csv") download="">"项目（CSV）"</a>" · "
                <a href=format!("{INDEX_DIR}download/jixiao-indicators.csv") download="">"绩效指标（CSV）"</a>" · "
                <a href=format!("{INDEX_DIR}download/jixiao.sqlite") download="">"SQLite 数据库"</a>" · "
                <a href=format!("{INDEX_DIR}download/jixiao-records.json") download="">"JSON"</a>" · "
                <a href=format!("{INDEX_DIR}download/datapackage.json") download="">"数据说明（datapackage.json）"</a>
            </p>
            <StaticLinks/>
            <p class="muted">"数据取自各地政府公开的绩效目标表，金额统一换算为元；每条记录都注明发布单位、文件和位置，并附原文件。"</p>
        </footer>
    }
}

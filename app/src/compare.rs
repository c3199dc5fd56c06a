//! Comparison of 2–4 projects side by side: key facts, money by source, and
//! indicators aligned by category (and by similar names within a category),
//! with differences highlighted. Projects can be added and removed.

use jixiao_core::format::yuan_zh;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::model::{FundSource, Indicator, Record};
use jixiao_core::search::{Filters, Sort};
use jixiao_core::text::similarity;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::AppContext;
use crate::url_state::{Screen, UrlState, MAX_COMPARE};
use crate::widgets::{amount_text, AppLink, MoneyBar};

/// Below this name similarity two indicators of one category get separate rows.
const SAME_INDICATOR: f64 = 0.35;

fn compare_state(ids: Vec<String>) -> UrlState {
    UrlState { screen: Screen::Compare(ids), ..Default::default() }
}

#[component]
pub fn ComparePage(ids: Vec<String>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    ctx.basket.set(ids.clone());
    let records: RwSignal<Option<Vec<Record>>> = RwSignal::new(None);
    let missing: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    if let Some(store) = ctx.store() {
        let ids = ids.clone();
        spawn_local(async move {
            let mut found = Vec::new();
            let mut unknown = Vec::new();
            for id in &ids {
                let record = match store.doc_of(id).await {
                    Ok(Some(doc)) => store.record(doc).await.map(Some),
                    other => other.map(|_| None),
                };
                match record {
                    Ok(Some(r)) => found.push(r),
                    Ok(None) => unknown.push(id.clone()),
                    Err(e) => return ctx.fail(e),
                }
            }
            missing.set(unknown);
            records.set(Some(found));
        });
    }
    let ids_for_add = ids.clone();
    view! {
        <article class="compare">
            <h1>"项目对比"</h1>
            {move || (!missing.get().is_empty()).then(|| view! {
                <p class="warning" role="alert">{format!("以下编号不在当前数据中，已略过：{}", missing.get().join("、"))}</p>
            })}
            {move || match records.get() {
                None => view! { <p class="status" role="status">"正在加载…"</p> }.into_any(),
                Some(list) if list.len() < 2 => view! {
                    <p class="note">"请至少选择两个项目进行对比：在检索结果或项目页面点击“加入对比”，或在下方添加。"</p>
                    {(!list.is_empty()).then(|| view! { <CompareTable records=list.clone()/> })}
                }.into_any(),
                Some(list) => view! { <CompareTable records=list/> }.into_any(),
            }}
            {(ids.len() < MAX_COMPARE).then(|| view! { <AddProject current=ids_for_add.clone()/> })}
        </article>
    }
}

/// A row of values, one per project; highlighted when they differ.
#[component]
fn FactRow(label: &'static str, values: Vec<String>) -> impl IntoView {
    let differs = values.windows(2).any(|w| w[0] != w[1]);
    view! {
        <tr class:differs=differs>
            <th scope="row">{label}{differs.then(|| view! { <span class="visually-hidden">"（不同）"</span> })}</th>
            {values.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
        </tr>
    }
}

#[component]
fn CompareTable(records: Vec<Record>) -> impl IntoView {
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    let col = |f: &dyn Fn(&Record) -> String| records.iter().map(f).collect::<Vec<_>>();
    let fund_rows: Vec<(FundSource, Vec<String>)> = FundSource::ALL
        .into_iter()
        .filter(|&s| records.iter().any(|r| r.money.by_source(s).is_some()))
        .map(|s| (s, records.iter().map(|r| r.money.by_source(s).map(yuan_zh).unwrap_or_else(|| "未列明".into())).collect()))
        .collect();
    let aligned = align_indicators(&records);
    let n = records.len();
    view! {
        <div class="compare-scroll">
            <table class="compare-table">
                <thead>
                    <tr>
                        <th scope="col">"项目"</th>
                        {records.clone().into_iter().map(|r| {
                            let remaining: Vec<String> = ids.iter().filter(|i| **i != r.id).cloned().collect();
                            let aria = format!("从对比中移除“{}”", r.name);
                            view! {
                                <th scope="col" class="project-head">
                                    <AppLink state=UrlState { screen: Screen::Project(r.id.clone()), ..Default::default() }>{r.name.clone()}</AppLink>
                                    <AppLink class="remove" state=compare_state(remaining)><span aria-label=aria>"移除"</span></AppLink>
                                </th>
                            }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <FactRow label="地区" values=col(&|r| r.region.full_name())/>
                    <FactRow label="年度" values=col(&|r| r.year.map(|y| y.to_string()).unwrap_or_default())/>
                    <FactRow label="主管部门" values=col(&|r| r.department.clone().unwrap_or_default())/>
                    <FactRow label="实施单位" values=col(&|r| r.implementing_unit.clone().unwrap_or_default())/>
                    <FactRow label="年度资金总额" values=col(&|r| amount_text(r.money.total_yuan))/>
                    <FactRow label="实施期资金总额" values=col(&|r| r.money.period_total_yuan.map(yuan_zh).unwrap_or_default())/>
                    {fund_rows.into_iter().map(|(s, values)| {
                        let label: &'static str = match s {
                            FundSource::Central => "中央财政资金",
                            FundSource::Provincial => "省级财政资金",
                            FundSource::Local => "市县区财政资金",
                            FundSource::SelfRaised => "单位自筹",
                            FundSource::Other => "其他资金",
                            FundSource::FiscalUnspecified => "财政资金（未分级）",
                        };
                        view! { <FactRow label values/> }
                    }).collect_view()}
                    <tr>
                        <th scope="row">"资金构成"</th>
                        {records.iter().map(|r| r.money.clone()).collect::<Vec<_>>().into_iter().map(|money| view! { <td><MoneyBar money/></td> }).collect_view()}
                    </tr>
                    <FactRow label="指标数" values=col(&|r| r.indicators.len().to_string())/>
                </tbody>
                {aligned.into_iter().map(|(level1, level2s)| view! {
                    <tbody class="indicator-block">
                        <tr class="level1"><th scope="colgroup" colspan=(n + 1).to_string()>{level1}</th></tr>
                        {level2s.into_iter().map(|(level2, rows)| {
                            let first = rows.len();
                            rows.into_iter().enumerate().map(|(i, cells)| {
                                let values: Vec<Option<String>> = cells.iter().map(|c| c.as_ref().map(|ind| ind.value.clone().unwrap_or_default())).collect();
                                let differs = values.iter().flatten().collect::<Vec<_>>().windows(2).any(|w| w[0] != w[1]) || values.iter().any(Option::is_none);
                                view! {
                                    <tr class="indicator-row" class:differs=differs>
                                        <th scope="row">{(i == 0).then(|| level2.clone())}{(i == 0 && first > 1).then(|| view! { <span class="muted">{format!("（{first} 行）")}</span> })}</th>
                                        {cells.into_iter().map(|c| match c {
                                            Some(ind) => view! {
                                                <td><span class="indicator-name">{ind.name}</span><span class="indicator-value">{ind.value.unwrap_or_else(|| "—".into())}</span></td>
                                            }.into_any(),
                                            None => view! { <td class="empty">"—"</td> }.into_any(),
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()
                        }).collect_view()}
                    </tbody>
                }).collect_view()}
            </table>
        </div>
    }
}

type Rows = Vec<Vec<Option<Indicator>>>;

/// Indicators of all projects by first level, second level, and rows that
/// pair indicators of similar names (one cell per project).
pub fn align_indicators(records: &[Record]) -> Vec<(String, Vec<(String, Rows)>)> {
    let n = records.len();
    let mut out: Vec<(String, Vec<(String, Rows)>)> = Vec::new();
    for (p, record) in records.iter().enumerate() {
        for ind in &record.indicators {
            let l1 = ind.level1.clone().unwrap_or_else(|| "其他指标".into());
            let l2 = ind.level2.clone().unwrap_or_else(|| "—".into());
            let g1 = match out.iter().position(|g| g.0 == l1) {
                Some(i) => i,
                None => {
                    out.push((l1, Vec::new()));
                    out.len() - 1
                }
            };
            let level2s = &mut out[g1].1;
            let g2 = match level2s.iter().position(|g| g.0 == l2) {
                Some(i) => i,
                None => {
                    level2s.push((l2, Vec::new()));
                    level2s.len() - 1
                }
            };
            let rows = &mut level2s[g2].1;
            // The free row whose indicators are most alike in name.
            let best = rows
                .iter()
                .enumerate()
                .filter(|(_, row)| row[p].is_none())
                .map(|(i, row)| {
                    let score = row.iter().flatten().map(|other| similarity(&other.name, &ind.name)).fold(0.0, f64::max);
                    (i, score)
                })
                .filter(|&(_, score)| score >= SAME_INDICATOR)
                .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
            match best {
                Some((i, _)) => rows[i][p] = Some(ind.clone()),
                None => {
                    let mut row = vec![None; n];
                    row[p] = Some(ind.clone());
                    rows.push(row);
                }
            }
        }
    }
    out
}

/// Search for a project to add to the comparison.
#[component]
fn AddProject(current: Vec<String>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let text = RwSignal::new(String::new());
    let found: RwSignal<Vec<DocSummary>> = RwSignal::new(Vec::new());
    let current = StoredValue::new(current);
    let search = move |value: String| {
        text.set(value.clone());
        let Some(store) = ctx.store() else { return };
        spawn_local(async move {
            if value.trim().is_empty() {
                found.set(Vec::new());
                return;
            }
            let result = async {
                let (_, r) = store.search(&value, &Filters::default(), Sort::Relevance).await?;
                let docs: Vec<u32> = r.hits.iter().take(8).map(|h| h.doc).collect();
                store.summaries(&docs).await
            }
            .await;
            match result {
                Ok(list) if text.get_untracked() == value => found.set(list),
                Ok(_) => {}
                Err(e) => ctx.fail(e),
            }
        });
    };
    view! {
        <section class="add-project" aria-labelledby="add-project">
            <h2 id="add-project">"添加项目"</h2>
            <label for="add-q" class="visually-hidden">"检索要添加的项目"</label>
            <input id="add-q" type="search" autocomplete="off" placeholder="输入项目名称或关键词"
                prop:value=move || text.get() on:input:target=move |ev| search(ev.target().value())/>
            <ul class="add-results">
                {move || found.get().into_iter().filter(|s| !current.with_value(|c| c.contains(&s.id))).map(|s| {
                    let mut ids = current.get_value();
                    ids.push(s.id.clone());
                    let label = format!("{}（{} · {}）", s.name, s.region.short_name(), amount_text(s.total_yuan));
                    view! { <li><AppLink state=compare_state(ids)>{"加入："}{label}</AppLink></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

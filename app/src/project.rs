//! The project page: every field of a record, money by source, indicators by
//! category (with their descriptions and bases where the table prints them),
//! text sections, warnings and conflicts, where each printing was published
//! with a link to the document, similar projects. The query the project was
//! found by is highlighted and kept in the breadcrumb.

use jixiao_core::format::yuan_zh;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::model::{FundSource, Indicator, Record, SourceRef};
use jixiao_core::search::Query;
use jixiao_core::table::indicator_columns;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::context::AppContext;
use crate::fetch::INDEX_DIR;
use crate::url_state::{encode, Screen, UrlState};
use crate::widgets::{amount_text, AppLink, CopyLink, FundBadges, Marked, MoneyBar};

#[derive(Clone, Debug, PartialEq)]
enum Page {
    Loading,
    NotFound(String),
    Ready(Box<Record>, Vec<DocSummary>),
}

#[component]
pub fn ProjectPage(id: String) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let page = RwSignal::new(Page::Loading);
    if let Some(store) = ctx.store() {
        let id = id.clone();
        spawn_local(async move {
            let loaded = async {
                let Some(doc) = store.doc_of(&id).await? else { return Ok(None) };
                let record = store.record(doc).await?;
                let mut similar = Vec::new();
                for s in &record.similar {
                    similar.extend(store.doc_of(s).await?);
                }
                let similar = store.summaries(&similar).await?;
                Ok::<_, crate::fetch::FetchError>(Some((record, similar)))
            }
            .await;
            match loaded {
                Ok(Some((record, similar))) => {
                    let title = record.name.clone();
                    page.set(Page::Ready(Box::new(record), similar));
                    ctx.ready(&title);
                }
                Ok(None) => {
                    page.set(Page::NotFound(id));
                    ctx.ready("未找到该项目");
                }
                Err(e) => ctx.fail(e),
            }
        });
    }
    move || match page.get() {
        Page::Loading => view! { <p class="status" role="status">"正在加载项目…"</p> }.into_any(),
        Page::NotFound(id) => view! {
            <div class="not-found" role="alert">
                <h1>"未找到该项目"</h1>
                <p>{format!("编号为“{id}”的项目不在当前数据中，可能链接有误或数据已更新。")}</p>
                <AppLink state=UrlState::default()>"返回检索"</AppLink>
            </div>
        }
        .into_any(),
        Page::Ready(record, similar) => view! { <RecordView record=*record similar/> }.into_any(),
    }
}

#[component]
fn RecordView(record: Record, similar: Vec<DocSummary>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let r = record;
    let id = r.id.clone();
    let chosen = StoredValue::new((id.clone(), r.name.clone()));
    let in_basket = move || chosen.with_value(|(id, _)| ctx.in_basket(id));
    let toggle = move |_| chosen.with_value(|(id, name)| ctx.toggle_basket(id, name));
    let q = ctx.url.with_untracked(|u| u.q.clone());
    let query: Option<Query> = (!q.trim().is_empty()).then(|| ctx.store().map(|s| s.parse(&q))).flatten();
    let marked = move |text: String| view! { <Marked text query=query.clone()/> };
    let static_page = format!("{INDEX_DIR}pages/{}.html", encode(&r.id));
    let facts: Vec<(&str, String)> = [
        ("编号", Some(r.id.clone())),
        ("地区", Some(r.region.full_name()).filter(|s| !s.is_empty())),
        ("行政区划代码", r.region.code.clone()),
        ("主管部门", r.department.clone()),
        ("主管部门（原表）", r.department_raw.clone()),
        ("部门代码", r.department_code.clone()),
        ("实施单位", r.implementing_unit.clone()),
        ("项目编码", r.project_code.clone()),
        ("年度资金总额", Some(amount_text(r.money.total_yuan))),
        ("实施期资金总额", r.money.period_total_yuan.map(yuan_zh)),
        ("原表金额单位", r.money.unit_in_doc.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let sources: Vec<(FundSource, Option<i64>)> = FundSource::ALL.into_iter().map(|s| (s, r.money.by_source(s))).collect();
    let groups = group_indicators(&r.indicators);
    let region_short = r.region.short_name().to_string();
    let region_full = r.region.full_name();
    let region_filter = UrlState { filters: jixiao_core::search::Filters { region: r.region.code.clone(), ..Default::default() }, ..Default::default() };
    let back_to_results = (!q.is_empty()).then(|| (format!("“{q}”的检索结果"), UrlState { q: q.clone(), ..Default::default() }));
    let columns = indicator_columns(&r.indicators);
    // Doubts of the reading (需核对) and corrections by hand (人工校正)
    // first: the values above are as read, or as corrected.
    let notes: Vec<String> = r
        .confidence
        .doubts
        .iter()
        .map(|d| d.message.clone())
        .chain(r.corrections.iter().map(|c| {
            let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "空".into());
            format!("人工校正 {}：原读作“{}”，校正为“{}”——{}（{}）", c.field, text(&c.read), text(&c.value), c.note, c.by)
        }))
        .chain(r.warnings.iter().map(|w| format!("{}（{} 第 {} 行）", w.message, w.document, w.line)))
        .collect();
    view! {
        <article class="project">
            <nav class="crumbs" aria-label="位置">
                <AppLink state=UrlState::default()>"检索"</AppLink>" › "
                {back_to_results.map(|(label, state)| view! { <AppLink state>{label}</AppLink>" › " })}
                <AppLink state=region_filter>{region_short}</AppLink>
            </nav>
            <h1>{marked(r.name.clone())}</h1>
            <p class="meta">
                {region_full}" · "{r.kind.label_zh()}{r.year.map(|y| format!(" · {y} 年度"))}
                " · "<strong class="amount">{amount_text(r.money.total_yuan)}</strong>
                {r.confidence.unsure().then(|| view! { " · " <a class="to-check" href="#doubts">"需核对"</a> })}
            </p>
            <FundBadges tags=r.fund_sources.clone()/>
            <div class="actions">
                <button type="button" aria-pressed=move || in_basket().to_string() on:click=toggle>
                    {move || if in_basket() { "✓ 已加入对比" } else { "＋ 加入对比" }}
                </button>
                {move || (ctx.basket.with(|b| b.len()) >= 2).then(|| view! {
                    <AppLink class="button-link" state=UrlState { screen: Screen::Compare(ctx.basket_ids()), ..Default::default() }>"查看对比"</AppLink>
                })}
                <a href=static_page>"静态页面"</a>
                <CopyLink/>
            </div>

            <section aria-labelledby="facts"><h2 id="facts">"基本信息"</h2>
                <dl class="facts">
                    {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                </dl>
            </section>

            <Results record=r.clone()/>

            <section aria-labelledby="money"><h2 id="money">"资金来源（年度）"</h2>
                <MoneyBar money=r.money.clone()/>
                <table class="sources-table">
                    <thead><tr><th scope="col">"来源"</th><th scope="col">"金额"</th></tr></thead>
                    <tbody>
                        {sources.into_iter().map(|(s, v)| view! {
                            <tr><th scope="row">{s.label_zh()}</th><td>{v.map(yuan_zh).unwrap_or_else(|| "未列明".into())}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>

            <section aria-labelledby="indicators"><h2 id="indicators">{format!("绩效指标（{} 项）", r.indicators.len())}</h2>
                {groups.into_iter().map(|(level1, level2s)| view! {
                    <section class="indicator-group">
                        <h3>{level1}</h3>
                        {level2s.into_iter().map(|(level2, items)| view! {
                            <table class="indicators">
                                <caption>{level2}</caption>
                                <thead><tr><th scope="col">"三级指标"</th>
                                    {columns.iter().map(|(label, _)| view! { <th scope="col">{*label}</th> }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|i| view! {
                                        <tr>
                                            <td>{marked(i.name.clone())}</td>
                                            {columns.iter().map(|(_, get)| view! { <td>{marked(get(&i).unwrap_or_default().to_string())}</td> }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }).collect_view()}
                    </section>
                }).collect_view()}
            </section>

            <section aria-labelledby="sections"><h2 id="sections">"项目说明"</h2>
                {r.sections.iter().filter(|s| !s.text.is_empty()).map(|s| view! {
                    <h3>{s.label.clone()}</h3><p class="section-text">{marked(s.text.clone())}</p>
                }).collect_view()}
            </section>

            {(!notes.is_empty() || !r.conflicts.is_empty()).then(|| view! {
                <section class="doubts" aria-labelledby="doubts"><h2 id="doubts">"提示与不一致"</h2>
                    {r.confidence.unsure().then(|| view! {
                        <p class="to-check">{format!("需核对（读取可信度 {}/100）：以下原因可能使上面的数值有误，请", r.confidence.score)}<a href="#provenance">"对照原表"</a></p>
                    })}
                    <ul>
                        {notes.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                        {r.conflicts.iter().map(|c| view! {
                            <li class="conflict">{c.message.clone()}
                                <ul>{c.values.iter().map(|v| view! { <li>{format!("“{}” — {} 第 {} 行", v.value, v.document, v.line)}</li> }).collect_view()}</ul>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}

            <section aria-labelledby="provenance"><h2 id="provenance">"来源"</h2>
                {r.sources.into_iter().map(|s| view! { <Source s/> }).collect_view()}
            </section>

            {(!similar.is_empty()).then(|| view! {
                <section aria-labelledby="similar"><h2 id="similar">"相似项目"</h2>
                    <ul class="similar">
                        {similar.into_iter().map(|s| view! {
                            <li>
                                <AppLink state=UrlState { screen: Screen::Project(s.id.clone()), ..Default::default() }>{s.name.clone()}</AppLink>
                                {format!("（{} · {}）", s.region.short_name(), amount_text(s.total_yuan))}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}

/// One printing of the record: who published the document, where in it
/// the table is, links to the document, and the table's text.
#[component]
fn Source(s: SourceRef) -> impl IntoView {
    let lines = format!("{} 第 {}–{} 行", s.document, s.line_start, s.line_end);
    let place = s.place.clone().unwrap_or(lines);
    let p = s.publication.clone().unwrap_or_default();
    let mut published: Vec<String> = p.publisher.iter().cloned().collect();
    published.push(format!("《{}》", p.title.clone().unwrap_or_else(|| s.document.clone())));
    published.extend(p.year.map(|y| format!("（{y} 年）")));
    view! {
        <div class="source">
            <p class="publication">{published.concat()}</p>
            <p class="place">{place}</p>
            <p class="source-links">
                {p.view.clone().map(|v| view! { <a class="view" href=format!("{INDEX_DIR}{v}")>"查看原文（已标出本表）"</a> })}
                {s.publication.is_some().then(|| view! { <a class="copy" href=format!("{INDEX_DIR}{}", p.copy)>"下载原文件"</a> })}
                {p.url.clone().map(|u| view! { <a class="url" href=u.clone() rel="noopener">"发布网址"</a> })}
            </p>
            <details>
                <summary>"查看原表文字"</summary>
                <pre class="raw">{s.raw_text}</pre>
            </details>
        </div>
    }
}

/// Indicators by first-level category, then second-level, in table order.
pub type IndicatorGroups = Vec<(String, Vec<(String, Vec<Indicator>)>)>;

pub fn group_indicators(indicators: &[Indicator]) -> IndicatorGroups {
    let mut groups: IndicatorGroups = Vec::new();
    for i in indicators {
        let l1 = i.level1.clone().unwrap_or_else(|| "其他指标".into());
        let l2 = i.level2.clone().unwrap_or_else(|| "—".into());
        let group = match groups.iter_mut().position(|g| g.0 == l1) {
            Some(p) => &mut groups[p].1,
            None => {
                groups.push((l1, Vec::new()));
                &mut groups.last_mut().expect("just pushed").1
            }
        };
        match group.iter_mut().find(|g| g.0 == l2) {
            Some(g) => g.1.push(i.clone()),
            None => group.push((l2, vec![i.clone()])),
        }
    }
    groups
}

/// Targets and results: a self-evaluation's money spent, score and the
/// target table it evaluates; a target's published self-evaluations.
#[component]
fn Results(record: Record) -> impl IntoView {
    let link = |id: &str, text: String| view! { <AppLink state=UrlState { screen: Screen::Project(id.to_string()), ..Default::default() }>{text}</AppLink> };
    let achieved = |a: jixiao_core::model::Achievement| record.indicators.iter().filter(|i| i.achievement == Some(a)).count();
    let tally = [jixiao_core::model::Achievement::Achieved, jixiao_core::model::Achievement::Missed, jixiao_core::model::Achievement::Unclear]
        .map(|a| (a.label_zh(), achieved(a)))
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{label} {n} 项"))
        .collect::<Vec<_>>()
        .join("，");
    let evaluation = record.evaluation.clone().map(|e| {
        let facts: Vec<(&str, String)> = [
            ("年初预算数", e.initial_budget_yuan.map(yuan_zh)),
            ("全年执行数", e.executed_yuan.map(yuan_zh)),
            ("执行率", e.execution_rate.clone()),
            ("自评得分", e.score.clone()),
            ("评价等级", e.grade.clone()),
            ("指标完成情况", (!tally.is_empty()).then(|| tally.clone())),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        view! {
            <section aria-labelledby="results"><h2 id="results">"目标与完成"</h2>
                <dl class="facts">{facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
                {match e.target {
                    Some(t) => view! { <p class="evaluation-link">"所评项目："{link(&t.id, "查看绩效目标表".into())}{format!("（{}，可信度 {}%）", t.reason, t.confidence)}</p> }.into_any(),
                    None => view! { <p class="evaluation-link">"未找到对应的绩效目标表。"</p> }.into_any(),
                }}
            </section>
        }
    });
    let evaluations = (!record.evaluations.is_empty()).then(|| {
        let ids = record.evaluations.clone();
        view! {
            <section aria-labelledby="results"><h2 id="results">"目标与完成"</h2>
                <p>"已发布绩效自评："{ids.iter().map(|id| view! { {link(id, "查看自评结果".into())}" " }).collect_view()}</p>
            </section>
        }
    });
    view! { {evaluation}{evaluations} }
}

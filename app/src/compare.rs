//! Comparison of 2–4 projects side by side: key facts, money by source, and
//! indicators aligned by category (categories printed differently, such as
//! 服务对象满意度指标 and 服务对象或受益者满意度指标, are one) and by similar
//! names within a category. A row is marked only where printed values
//! differ: targets compare as numbers in one unit (`2万元` = `20000元`), a
//! value one table leaves out is not a difference. Where a project's
//! self-evaluation is published, its results stand beside the targets
//! (money executed, score, each indicator's actual and whether it was met).
//! The label column stays in view when the table scrolls sideways (phones).

use jixiao_core::format::yuan_zh;
use jixiao_core::index::docs::DocSummary;
use jixiao_core::model::{FundSource, Indicator, Kind, Record};
use jixiao_core::search::{Filters, Sort};
use jixiao_core::text::{name_key, similarity};
use jixiao_core::units::Quantity;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::context::AppContext;
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
    let records: RwSignal<Option<Vec<Record>>> = RwSignal::new(None);
    let missing: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    if let Some(store) = ctx.store() {
        let ids = ids.clone();
        spawn_local(async move {
            let mut found = Vec::new();
            let mut unknown = Vec::new();
            for id in &ids {
                match store.record_of(id).await {
                    Ok(Some(mut r)) => {
                        // A target table shows its latest self-evaluation's results.
                        if r.kind != Kind::Evaluation {
                            if let Some(eval_id) = r.evaluations.last().cloned() {
                                match store.record_of(&eval_id).await {
                                    Ok(Some(e)) => {
                                        r.take_results_from(&e);
                                        r.evaluation = e.evaluation;
                                    }
                                    Ok(None) => {}
                                    Err(e) => return ctx.fail(e),
                                }
                            }
                        }
                        found.push(r)
                    }
                    Ok(None) => unknown.push(id.clone()),
                    Err(e) => return ctx.fail(e),
                }
            }
            missing.set(unknown);
            ctx.set_basket(found.iter().map(|r| (r.id.clone(), r.name.clone())).collect());
            let title = format!("项目对比（{}）", found.len());
            records.set(Some(found));
            ctx.ready(&title);
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

/// Do printed values differ? Values a table leaves out are not compared.
fn values_differ(values: &[String]) -> bool {
    let present: Vec<&String> = values.iter().filter(|v| !v.is_empty()).collect();
    present.windows(2).any(|w| w[0] != w[1])
}

/// A row of values, one per project; highlighted when they differ; no row
/// when no project has a value.
#[component]
fn FactRow(label: &'static str, values: Vec<String>) -> impl IntoView {
    let differs = values_differ(&values);
    values.iter().any(|v| !v.is_empty()).then(|| view! {
        <tr class:differs=differs>
            <th scope="row">{label}{differs.then(|| view! { <span class="visually-hidden">"（不同）"</span> })}</th>
            {values.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
        </tr>
    })
}

#[component]
fn CompareTable(records: Vec<Record>) -> impl IntoView {
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    let col = |f: &dyn Fn(&Record) -> String| records.iter().map(f).collect::<Vec<_>>();
    // A source no table names money for is no row; an unnamed source is
    // no amount (empty), not a difference.
    let fund_rows: Vec<(FundSource, Vec<String>)> = FundSource::ALL
        .into_iter()
        .filter(|&s| records.iter().any(|r| r.money.by_source(s).is_some_and(|v| v != 0)))
        .map(|s| (s, records.iter().map(|r| r.money.by_source(s).filter(|&v| v != 0).map(yuan_zh).unwrap_or_default()).collect()))
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
                    <FactRow label="自评结果" values=col(&|r| r.outcome.map(|o| o.label_zh().to_string()).unwrap_or_default())/>
                    <FactRow label="全年执行数" values=col(&|r| r.evaluation.as_ref().and_then(|e| e.executed_yuan).map(yuan_zh).unwrap_or_default())/>
                    <FactRow label="执行率" values=col(&|r| r.evaluation.as_ref().and_then(|e| e.execution_rate.clone()).unwrap_or_default())/>
                    <FactRow label="自评得分" values=col(&|r| r.evaluation.as_ref().and_then(|e| e.score.clone()).unwrap_or_default())/>
                    <FactRow label="指标数" values=col(&|r| r.indicators.len().to_string())/>
                </tbody>
                {aligned.into_iter().map(|(level1, level2s)| view! {
                    <tbody class="indicator-block">
                        <tr class="level1"><th scope="colgroup" colspan=(n + 1).to_string()>{level1}</th></tr>
                        {level2s.into_iter().map(|(level2, rows)| {
                            rows.into_iter().enumerate().map(|(i, row)| {
                                let differs = row.same && row.differs();
                                let note = if row.same { "" } else { "（各表不同指标）" };
                                view! {
                                    <tr class="indicator-row" class:differs=differs class:unpaired=!row.same>
                                        <th scope="row">{(i == 0).then(|| level2.clone())}<span class="muted">{note}</span>
                                            {differs.then(|| view! { <span class="visually-hidden">"（指标值不同）"</span> })}</th>
                                        {row.cells.into_iter().map(|c| match c {
                                            Some(ind) => view! {
                                                <td><span class="indicator-name">{ind.name}</span><span class="indicator-value">{ind.value.unwrap_or_else(|| "—".into())}</span>
                                                    {ind.actual.map(|a| view! {
                                                        <span class="indicator-actual">{format!("实际：{a}")}
                                                            {ind.achievement.map(|s| view! { " "<span class=format!("state {}", s.key())>{s.label_zh()}</span> })}
                                                        </span>
                                                    })}
                                                </td>
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

/// One row of the indicator table: a cell per project.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<Option<Indicator>>,
    /// The cells hold the same indicator (alike in name); otherwise they are
    /// the remaining indicators of one category, side by side, not compared.
    pub same: bool,
}

impl Row {
    /// Do the printed targets differ? Numbers compare in one unit; a
    /// project without this indicator is no difference.
    pub fn differs(&self) -> bool {
        let present: Vec<&Indicator> = self.cells.iter().flatten().collect();
        present.windows(2).any(|w| match (Quantity::of(w[0]), Quantity::of(w[1])) {
            (Some(a), Some(b)) => !a.same_as(&b),
            _ => name_key(w[0].value.as_deref().unwrap_or("")) != name_key(w[1].value.as_deref().unwrap_or("")),
        })
    }
}

/// A category's name without 指标 and punctuation, for matching.
fn category_key(name: &str) -> Vec<char> {
    let key = name_key(name);
    let n = key.len();
    if n > 2 && key[n - 2..] == ['指', '标'] {
        key[..n - 2].to_vec()
    } else {
        key
    }
}

/// Are two printed category names the same category? When one's
/// characters all stand, in order, in the other (服务对象满意度 in
/// 服务对象或受益者满意度; 成本 in 经济成本): tables of different years
/// spell the same category longer or shorter. Unless what the longer adds
/// negates it: 非服务对象或非受益者满意度 is the others' satisfaction.
pub fn same_category(a: &str, b: &str) -> bool {
    let (a, b) = (category_key(a), category_key(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < 2 {
        return short == long;
    }
    let mut added = Vec::new();
    let mut rest = long.iter();
    let within = short.iter().all(|c| {
        for x in rest.by_ref() {
            if x == c {
                return true;
            }
            added.push(*x);
        }
        false
    });
    added.extend(rest);
    within && !added.iter().any(|c| matches!(c, '非' | '不' | '无'))
}

type Level2s = Vec<(String, Vec<Row>)>;

/// Indicators of all projects by first level, second level, and rows that
/// pair indicators of similar names (one cell per project): the most alike
/// pairs first, then the rest of a category side by side.
pub fn align_indicators(records: &[Record]) -> Vec<(String, Level2s)> {
    let n = records.len();
    // Each category's indicators, per project.
    let mut groups: Vec<(String, Vec<(String, Vec<Vec<&Indicator>>)>)> = Vec::new();
    for (p, record) in records.iter().enumerate() {
        for ind in &record.indicators {
            let l1 = ind.level1.clone().unwrap_or_else(|| "其他指标".into());
            let l2 = ind.level2.clone().unwrap_or_else(|| "—".into());
            let g1 = match groups.iter().position(|g| same_category(&g.0, &l1)) {
                Some(i) => i,
                None => {
                    groups.push((l1, Vec::new()));
                    groups.len() - 1
                }
            };
            let level2s = &mut groups[g1].1;
            let g2 = match level2s.iter().position(|g| same_category(&g.0, &l2)) {
                Some(i) => i,
                None => {
                    level2s.push((l2, vec![Vec::new(); n]));
                    level2s.len() - 1
                }
            };
            level2s[g2].1[p].push(ind);
        }
    }
    groups.into_iter().map(|(l1, level2s)| (l1, level2s.into_iter().map(|(l2, per_project)| (l2, rows_of(&per_project))).collect())).collect()
}

/// The rows of one category, given each project's indicators in it.
fn rows_of(per_project: &[Vec<&Indicator>]) -> Vec<Row> {
    let n = per_project.len();
    let mut rows: Vec<Vec<Option<Indicator>>> = Vec::new();
    for (p, indicators) in per_project.iter().enumerate() {
        // Every (indicator, row) pair alike enough, the most alike taken first.
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (k, ind) in indicators.iter().enumerate() {
            for (r, row) in rows.iter().enumerate() {
                let score = row.iter().flatten().map(|other| similarity(&other.name, &ind.name)).fold(0.0, f64::max);
                if score >= SAME_INDICATOR {
                    pairs.push((score, k, r));
                }
            }
        }
        let order = jixiao_core::order::order(pairs.len(), &|a, b| pairs[b].0.partial_cmp(&pairs[a].0).unwrap_or(std::cmp::Ordering::Equal));
        let mut placed = vec![false; indicators.len()];
        for i in order {
            let (_, k, r) = pairs[i];
            if !placed[k] && rows[r][p].is_none() {
                rows[r][p] = Some(indicators[k].clone());
                placed[k] = true;
            }
        }
        for (k, ind) in indicators.iter().enumerate() {
            if !placed[k] {
                let mut row = vec![None; n];
                row[p] = Some((*ind).clone());
                rows.push(row);
            }
        }
    }
    // Paired rows as they are; indicators found in one table only share rows.
    let (paired, single): (Vec<_>, Vec<_>) = rows.into_iter().partition(|row| row.iter().flatten().count() > 1);
    let mut out: Vec<Row> = paired.into_iter().map(|cells| Row { cells, same: true }).collect();
    let mut packed: Vec<Vec<Option<Indicator>>> = Vec::new();
    for row in single {
        let p = row.iter().position(Option::is_some).unwrap_or(0);
        match packed.iter_mut().find(|r| r[p].is_none()) {
            Some(r) => r[p] = row.into_iter().nth(p).flatten(),
            None => packed.push(row),
        }
    }
    // With one project only, a single row is the project's own indicator.
    let alone = per_project.iter().filter(|i| !i.is_empty()).count() <= 1;
    out.extend(packed.into_iter().map(|cells| Row { cells, same: alone }));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_printed_differently_are_one() {
        // Spellings of one category in data/'s tables.
        for (a, b) in [
            ("服务对象满意度指标", "服务对象满意度"),
            ("服务对象满意度指标", "服务对象或受益者满意度指标"),
            ("服务对象满意度", "社会公众或服务对象满意度指标"),
            ("成本指标", "经济成本指标"),
            ("数量", "数量指标"),
        ] {
            assert!(same_category(a, b), "{a} = {b}");
        }
        for (a, b) in [
            ("服务对象或受益者满意度指标", "非服务对象或非受益者满意度指标"),
            ("社会效益指标", "经济效益指标"),
            ("数量指标", "质量指标"),
        ] {
            assert!(!same_category(a, b), "{a} ≠ {b}");
        }
    }

    #[test]
    fn alike_indicators_share_a_row_across_spellings_of_their_category() {
        let indicator = |level2: &str, name: &str, value: &str| Indicator {
            level1: Some("满意度指标".into()),
            level2: Some(level2.into()),
            name: name.into(),
            value: Some(value.into()),
            ..Default::default()
        };
        let records = [
            Record { indicators: vec![indicator("服务对象满意度指标", "参保群众满意度", "≥90%")], ..Default::default() },
            Record { indicators: vec![indicator("服务对象或受益者满意度指标", "参保群众满意度", "≥95%")], ..Default::default() },
        ];
        let aligned = align_indicators(&records);
        assert_eq!(aligned.len(), 1);
        let (_, level2s) = &aligned[0];
        assert_eq!(level2s.len(), 1, "one category: {level2s:?}");
        let rows = &level2s[0].1;
        assert_eq!(rows.len(), 1);
        assert!(rows[0].same && rows[0].differs(), "one row, the targets differ");
    }
}

//! A static HTML page per record: readable and printable with JavaScript
//! off (and by search engines), linking to the app's page for the record.
//! Every piece of data is HTML-escaped: it is text, never markup.

use std::fmt::Write;

use jixiao_core::format::yuan_zh;
use jixiao_core::model::{FundSource, Record};

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.6}\
h1{font-size:1.5rem;margin-bottom:.25rem}.meta{color:#444}table{border-collapse:collapse;width:100%;margin:1rem 0}\
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f0f0f0}\
pre{white-space:pre-wrap;background:#f6f6f6;padding:.75rem;font-size:.85rem}.warn{color:#8a4b00}a{color:#0645ad}\
@media print{a.app{display:none}details{display:block}details>*{display:block}}";

pub fn render(r: &Record, similar: &[&Record]) -> String {
    let mut h = String::new();
    let title = escape(&r.name);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'\">\
         <title>{title} · 绩效目标</title><style>{STYLE}</style></head><body>\n"
    );
    let _ = writeln!(h, "<p><a class=\"app\" href=\"../../?project={}\">在检索应用中打开此项目</a></p>", escape(&r.id));
    let _ = write!(h, "<h1>{title}</h1>\n<p class=\"meta\">{} · {}{}</p>\n", escape(&r.region.full_name()), r.kind.label_zh(), r.year.map(|y| format!(" · {y} 年度")).unwrap_or_default());

    h.push_str("<table><tbody>\n");
    let mut row = |label: &str, value: Option<String>| {
        if let Some(v) = value {
            let _ = writeln!(h, "<tr><th scope=\"row\">{label}</th><td>{}</td></tr>", escape(&v));
        }
    };
    row("编号", Some(r.id.clone()));
    row("主管部门", r.department.clone());
    row("主管部门（原文）", r.department_raw.clone());
    row("部门代码", r.department_code.clone());
    row("实施单位", r.implementing_unit.clone());
    row("项目编码", r.project_code.clone());
    row("年度资金总额", r.money.total_yuan.map(yuan_zh));
    row("实施期资金总额", r.money.period_total_yuan.map(yuan_zh));
    for source in FundSource::ALL {
        row(&format!("其中：{}", source.label_zh()), r.money.by_source(source).map(yuan_zh));
    }
    row("原表金额单位", r.money.unit_in_doc.clone());
    row(
        "资金来源",
        (!r.fund_sources.is_empty()).then(|| {
            r.fund_sources
                .iter()
                .map(|t| if t.inferred { format!("{}（据名称推断）", t.source.label_zh()) } else { t.source.label_zh().to_string() })
                .collect::<Vec<_>>()
                .join("、")
        }),
    );
    h.push_str("</tbody></table>\n");

    if !r.indicators.is_empty() {
        h.push_str("<h2>绩效指标</h2>\n<table><thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th><th>年度指标值</th></tr></thead><tbody>\n");
        for i in &r.indicators {
            let cell = |v: &Option<String>| escape(v.as_deref().unwrap_or(""));
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                cell(&i.level1),
                cell(&i.level2),
                escape(&i.name),
                cell(&i.value),
                cell(&i.annual_value)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    for s in &r.sections {
        if !s.text.is_empty() {
            let _ = writeln!(h, "<h2>{}</h2>\n<p>{}</p>", escape(&s.label), escape(&s.text).replace('\n', "<br>"));
        }
    }
    if !r.warnings.is_empty() || !r.conflicts.is_empty() {
        h.push_str("<h2>提示与不一致</h2>\n<ul>\n");
        for w in &r.warnings {
            let _ = writeln!(h, "<li class=\"warn\">{}（{} 第 {} 行）</li>", escape(&w.message), escape(&w.document), w.line);
        }
        for c in &r.conflicts {
            let _ = writeln!(h, "<li class=\"warn\">{}</li>", escape(&c.message));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<h2>来源</h2>\n");
    for s in &r.sources {
        let _ = writeln!(
            h,
            "<details><summary>{} 第 {}–{} 行</summary><pre>{}</pre></details>",
            escape(&s.document),
            s.line_start,
            s.line_end,
            escape(&s.raw_text)
        );
    }
    if !similar.is_empty() {
        h.push_str("<h2>相似项目</h2>\n<ul>\n");
        for other in similar {
            let _ = writeln!(
                h,
                "<li><a href=\"{}.html\">{}</a>（{}）</li>",
                escape(&other.id),
                escape(&other.name),
                escape(other.region.short_name())
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</body></html>\n");
    h
}

/// `pages/index.html`: every record, by region, linking to its page.
pub fn render_index(records: &[&Record]) -> String {
    let mut sorted: Vec<&Record> = records.to_vec();
    sorted.sort_by(|a, b| (a.region.full_name(), b.year, &a.name).cmp(&(b.region.full_name(), a.year, &b.name)));
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>全部项目 · 绩效目标</title><style>{STYLE}</style></head><body>\n\
         <p><a class=\"app\" href=\"../../\">打开检索应用</a></p><h1>全部项目（{} 条）</h1>\n",
        records.len()
    );
    let mut current = String::new();
    for r in sorted {
        let region = r.region.full_name();
        if region != current {
            if !current.is_empty() {
                h.push_str("</ul>\n");
            }
            let _ = writeln!(h, "<h2>{}</h2>\n<ul>", escape(if region.is_empty() { "地区未知" } else { &region }));
            current = region;
        }
        let _ = writeln!(
            h,
            "<li><a href=\"{}.html\">{}</a>（{}{}）</li>",
            escape(&r.id),
            escape(&r.name),
            r.year.map(|y| format!("{y} 年度 · ")).unwrap_or_default(),
            escape(&r.money.total_yuan.map(yuan_zh).unwrap_or_else(|| "金额未列明".into()))
        );
    }
    if !current.is_empty() {
        h.push_str("</ul>\n");
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped() {
        let record = Record {
            id: "x".into(),
            name: "<script>alert(1)</script>".into(),
            sources: vec![Default::default()],
            ..Default::default()
        };
        let html = render(&record, &[]);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>alert"));
    }
}

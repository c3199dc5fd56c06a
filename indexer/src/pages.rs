//! A static HTML page per record: readable and printable with JavaScript
//! off (and by search engines), linking to the app's page for the record.
//! Every piece of data is HTML-escaped: it is text, never markup.

use std::fmt::Write;

use jixiao_core::format::yuan_zh;
use jixiao_core::model::{FundSource, Publication, Record};
use jixiao_core::index::overview::Overview;
use jixiao_core::table::indicator_columns;

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

/// The start of a page, up to its style (the caller closes `<head>`):
/// charset, a policy that allows no script at all, title, and the Open
/// Graph tags link previews read.
pub fn head(title: &str, description: &str) -> String {
    let (title, description) = (escape(title), escape(description));
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'\">\
         <title>{title}</title><meta name=\"description\" content=\"{description}\">\
         <meta property=\"og:title\" content=\"{title}\"><meta property=\"og:description\" content=\"{description}\">\
         <meta property=\"og:type\" content=\"article\"><meta property=\"og:site_name\" content=\"{SITE_NAME}\">\
         <meta property=\"og:locale\" content=\"zh_CN\"><style>{STYLE}</style>"
    )
}

pub const SITE_NAME: &str = "医保绩效目标检索";

/// One line saying who published a document, what it is and when.
pub fn publication_line(p: &Publication, document: &str) -> String {
    let mut parts = Vec::new();
    if let Some(publisher) = &p.publisher {
        parts.push(publisher.clone());
    }
    parts.push(format!("《{}》", p.title.as_deref().unwrap_or(document)));
    if let Some(year) = p.year {
        parts.push(format!("（{year} 年）"));
    }
    parts.concat()
}

pub fn render(r: &Record, similar: &[&Record]) -> String {
    let description = format!(
        "{} · {}{} · 年度资金 {}",
        r.region.full_name(),
        r.kind.label_zh(),
        r.year.map(|y| format!(" · {y} 年度")).unwrap_or_default(),
        r.money.total_yuan.map(yuan_zh).unwrap_or_else(|| "未列明".into())
    );
    let mut h = head(&format!("{} · {SITE_NAME}", r.name), &description);
    let title = escape(&r.name);
    h.push_str("</head><body>\n");
    let _ = writeln!(h, "<p><a class=\"app\" href=\"../../?project={}\">在检索应用中打开此项目</a></p>", escape(&r.id));
    let _ = write!(h, "<h1>{title}</h1>\n<p class=\"meta\">{} · {}{}</p>\n", escape(&r.region.full_name()), r.kind.label_zh(), r.year.map(|y| format!(" · {y} 年度")).unwrap_or_default());
    if r.confidence.unsure() {
        let _ = writeln!(h, "<section class=\"to-check\"><h2>需核对</h2>\n<p>读取可信度 {}/100：以下数值按原表读出，可能有误，请对照原表。</p>\n<ul>", r.confidence.score);
        for d in &r.confidence.doubts {
            let _ = writeln!(h, "<li>{}</li>", escape(&d.message));
        }
        h.push_str("</ul>\n</section>\n");
    }
    if !r.corrections.is_empty() {
        h.push_str("<section class=\"corrected\"><h2>人工校正</h2>\n<ul>\n");
        for c in &r.corrections {
            let _ = writeln!(
                h,
                "<li>{}：原读作“{}”，校正为“{}”——{}（{}）</li>",
                escape(&c.field),
                escape(c.read.as_deref().unwrap_or("（空）")),
                escape(c.value.as_deref().unwrap_or("（空）")),
                escape(&c.note),
                escape(&c.by)
            );
        }
        h.push_str("</ul>\n</section>\n");
    }

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
        let columns = indicator_columns(&r.indicators);
        h.push_str("<h2>绩效指标</h2>\n<table><thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th>");
        for (label, _) in &columns {
            let _ = write!(h, "<th>{label}</th>");
        }
        h.push_str("</tr></thead><tbody>\n");
        for i in &r.indicators {
            let cell = |v: Option<&str>| escape(v.unwrap_or(""));
            let _ = write!(h, "<tr><td>{}</td><td>{}</td><td>{}</td>", cell(i.level1.as_deref()), cell(i.level2.as_deref()), escape(&i.name));
            for (_, get) in &columns {
                let _ = write!(h, "<td>{}</td>", cell(get(i)));
            }
            h.push_str("</tr>\n");
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
        let lines = format!("{} 第 {}–{} 行", s.document, s.line_start, s.line_end);
        let place = s.place.clone().unwrap_or(lines);
        match &s.publication {
            Some(p) => {
                let _ = write!(h, "<p class=\"source\">{}：{}<br>", escape(&publication_line(p, &s.document)), escape(&place));
                if let Some(view) = &p.view {
                    let _ = write!(h, "<a href=\"../{}\">查看原文（已标出本表）</a> · ", escape(view));
                }
                let _ = write!(h, "<a href=\"../{}\">原文件</a>", escape(&p.copy));
                if let Some(url) = &p.url {
                    let _ = write!(h, " · 发布网址：<a href=\"{0}\" rel=\"noopener\">{0}</a>", escape(url));
                }
                h.push_str("</p>\n");
            }
            None => {
                let _ = writeln!(h, "<p class=\"source\">{}</p>", escape(&place));
            }
        }
        let _ = writeln!(h, "<details><summary>原表文字</summary><pre>{}</pre></details>", escape(&s.raw_text));
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
    let mut h = head(&format!("全部项目 · {SITE_NAME}"), "各地医疗保障部门预算项目绩效目标表：按地区列出的全部项目");
    let _ = write!(h, "</head><body>\n<p><a class=\"app\" href=\"../../\">打开检索应用</a></p><h1>全部项目（{} 条）</h1>\n", records.len());
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

/// Places listed in the site's static page (`index.html`); the rest are counted.
const SHELL_PLACES: usize = 30;

/// What the site covers, as the static page before the app shows it: a
/// fragment of `index.html` (`idx/coverage.html`, put in by `cargo xtask build`).
pub fn render_coverage(o: &Overview, records: usize) -> String {
    let mut years: Vec<u16> = o.places.iter().flat_map(|p| p.years.iter().copied()).collect();
    years.sort_unstable();
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b} 年度"),
        (Some(a), _) => format!("{a} 年度"),
        _ => String::new(),
    };
    let mut h = format!("<p>{} 个地区公开的 {} 份绩效目标文件（{span}），共 {records} 条记录：</p><ul class=\"places\">", o.place_count, o.documents);
    for p in o.places.iter().take(SHELL_PLACES) {
        let years: Vec<String> = p.years.iter().map(|y| y.to_string()).collect();
        let _ = write!(h, "<li><a href=\"?region={}\">{}</a>（{} 年度）</li>", escape(&p.code), escape(&p.name), years.join("、"));
    }
    h.push_str("</ul>");
    let more = o.place_count as usize - o.places.len().min(SHELL_PLACES);
    if more > 0 {
        let _ = write!(h, "<p>另有 {more} 个地区，见全部项目。</p>");
    }
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

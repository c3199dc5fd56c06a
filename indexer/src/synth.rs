//! `indexer generate`: a seeded synthetic corpus for scale benchmarks.
//!
//! Real fields are recombined across real regions and years: project names,
//! indicators with their targets, narrative sections and amounts come from
//! the records extracted from `data/`; regions come from the gazetteer.
//! Every table is written in one of the layouts of `data/` (忻州 tab rows in
//! 元, 兴隆 tab rows in 万元, 神木 tab rows with HTML remnants, 石鼓 one
//! cell per line), so the corpus exercises the same extractor as the real
//! documents. Every document is marked `synthetic = true` in the generated
//! `sources.toml`. The output is for benchmarks only and is never committed.

use std::fmt::Write as _;
use std::path::Path;

use jixiao_core::model::{Indicator, Record};

use jixiao_reader::extract::region::{gazetteer, Level};
use crate::sources::Problem;

/// SplitMix64: tiny, fast, and the same sequence on every platform and
/// version (unlike the `rand` crate's generators), so a seed names a corpus.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What the real records offer to recombine.
struct Pool {
    names: Vec<String>,
    /// Indicators by second-level category.
    indicators: Vec<(String, Vec<Indicator>)>,
    sections: Vec<(String, Vec<String>)>,
    amounts: Vec<i64>,
}

impl Pool {
    fn from(records: &[Record]) -> Pool {
        let projects: Vec<&Record> = records.iter().filter(|r| r.kind == jixiao_core::model::Kind::Project).collect();
        let mut names: Vec<String> = projects
            .iter()
            .map(|r| {
                // Drop a leading year so a year of our own can go there.
                let n = r.name.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
                n.trim_start_matches('年').trim().to_string()
            })
            .filter(|n| n.chars().count() >= 3)
            .collect();
        names.sort();
        names.dedup();
        let mut indicators: Vec<(String, Vec<Indicator>)> = Vec::new();
        for r in &projects {
            for i in &r.indicators {
                let (Some(l2), Some(_)) = (&i.level2, &i.value) else { continue };
                if i.level1.as_deref().is_none_or(|l1| !["产出指标", "效益指标", "满意度指标"].contains(&l1)) {
                    continue;
                }
                match indicators.iter_mut().find(|(k, _)| k == l2) {
                    Some((_, list)) => list.push(i.clone()),
                    None => indicators.push((l2.clone(), vec![i.clone()])),
                }
            }
        }
        let mut sections: Vec<(String, Vec<String>)> = Vec::new();
        for r in &projects {
            for s in &r.sections {
                if ["项目概况", "立项依据", "设立必要性", "实施计划", "总体目标", "年度目标"].contains(&s.label.as_str()) && s.text.chars().count() > 10 {
                    let text = s.text.replace(['\n', '\t'], " ");
                    match sections.iter_mut().find(|(k, _)| *k == s.label) {
                        Some((_, list)) => list.push(text),
                        None => sections.push((s.label.clone(), vec![text])),
                    }
                }
            }
        }
        let amounts = projects.iter().filter_map(|r| r.money.total_yuan).filter(|&a| a > 0).collect();
        Pool { names, indicators, sections, amounts }
    }

    fn section(&self, rng: &mut Rng, label: &str) -> String {
        self.sections.iter().find(|(k, _)| k == label).map(|(_, v)| rng.pick(v).clone()).unwrap_or_else(|| "按照有关规定执行。".into())
    }
}

/// A synthetic project, before it is written in a layout.
struct Project {
    name: String,
    /// The name without the year put in front.
    base_name: String,
    year: u16,
    /// Region names: city, and county (None for a city-level table).
    city: String,
    county: Option<String>,
    region_code: String,
    total_yuan: i64,
    /// (central, provincial, local)
    split: (i64, i64, i64),
    indicators: Vec<Indicator>,
    overview: String,
    basis: String,
    goal: String,
}

impl Project {
    fn place(&self) -> &str {
        self.county.as_deref().unwrap_or(&self.city)
    }

    fn department(&self) -> String {
        format!("{}医疗保障局", self.place())
    }
}

const LEVEL2_ORDER: &[&str] = &["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "可持续影响指标", "服务对象满意度指标"];

fn make_project(pool: &Pool, rng: &mut Rng, places: &[(String, Option<String>, String)], year: u16, place: usize) -> Project {
    let (city, county, code) = places[place].clone();
    let base = rng.pick(&pool.names).clone();
    let name = if rng.below(2) == 0 { format!("{year}年{base}") } else { base.clone() };
    // Amounts: a real total scaled by 0.5–2, rounded to 100 yuan.
    let real = *rng.pick(&pool.amounts);
    let total = ((real as f64 * (0.5 + rng.below(1500) as f64 / 1000.0)) as i64 / 100).max(1) * 100;
    let split = match rng.below(4) {
        0 => (total, 0, 0),
        1 => (0, total, 0),
        _ => (0, 0, total),
    };
    let mut indicators = Vec::new();
    for l2 in LEVEL2_ORDER {
        if let Some((_, list)) = pool.indicators.iter().find(|(k, _)| k == l2) {
            for _ in 0..=rng.below(2) {
                let mut i = rng.pick(list).clone();
                i.annual_value = None;
                if !indicators.iter().any(|x: &Indicator| x.name == i.name) {
                    indicators.push(i);
                }
            }
        }
    }
    Project {
        name,
        base_name: base,
        year,
        city,
        county,
        region_code: code,
        total_yuan: total,
        split,
        indicators,
        overview: pool.section(rng, "项目概况"),
        basis: pool.section(rng, "立项依据"),
        goal: pool.section(rng, "总体目标"),
    }
}

fn level1_of(l2: &str) -> &'static str {
    match l2 {
        "数量指标" | "质量指标" | "时效指标" | "成本指标" => "产出指标",
        "服务对象满意度指标" => "满意度指标",
        _ => "效益指标",
    }
}

fn wan(yuan: i64) -> String {
    let s = format!("{}.{:02}", yuan / 10_000, (yuan % 10_000) / 100);
    s
}

fn grouped(yuan: i64) -> String {
    jixiao_core::format::grouped(yuan as u64)
}

/// 忻州 layout: tab rows, 元, mirrored indicator halves.
fn write_xinzhou(out: &mut String, p: &Project) {
    let (c, pr, l) = p.split;
    let total = grouped(p.total_yuan);
    let _ = write!(
        out,
        "\n{place}{level}级预算部门(单位)项目支出绩效目标表\n\n({year}年度)\n\n\
         项目名称\t\t{name}\t\t\t\t\n\
         主管部门及代码\t\t303-{dept}\t\t实施单位\t{dept}\t\n\
         项目属性\t\t一次性项目(1年结束)\t\t项目期\t1年\t\n\
         项目资金 (元)\t实施期资金总额:\t{total}\t年度资金总额:\t{total}\t\t\n\
         \t其中: 中央财政资金\t{c}\t其中: 中央财政资金\t{c}\t\t\n\
         \t省级财政资金\t{pr}\t省级财政资金\t{pr}\t\t\n\
         \t市县(区)财政资金\t{l}\t市县(区)财政资金\t{l}\t\t\n\
         \t单位自筹\t0\t单位自筹\t0\t\t\n\
         \t其他资金\t\t其他资金\t\t\t\n\
         项目概况\t{overview}\t\t\t\t\t\n\
         立项依据\t{basis}\t\t\t\t\t\n\
         实施期目标\t\t\t\t年度目标\t\t\n\
         总体目标\t{goal}\t\t\t{goal}\t\t\n\
         \t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值\n",
        place = p.place(),
        level = if p.county.is_some() { "县" } else { "市" },
        year = p.year,
        name = p.name,
        dept = p.department(),
        c = grouped(c),
        pr = grouped(pr),
        l = grouped(l),
        overview = p.overview,
        basis = p.basis,
        goal = p.goal,
    );
    let mut last_l1 = "";
    let mut last_l2 = "";
    for (n, i) in p.indicators.iter().enumerate() {
        let l2 = i.level2.as_deref().unwrap_or("");
        let l1 = level1_of(l2);
        let v = i.value.as_deref().unwrap_or("");
        let first = if n == 0 { "绩效指标" } else { "" };
        let l1_cell = if l1 != last_l1 { l1 } else { "" };
        let l2_cell = if l2 != last_l2 { l2 } else { "" };
        let _ = writeln!(out, "{first}\t{l1_cell}\t{l2_cell}\t{name}\t{v}\t{l2}\t{name}\t{v}", name = i.name);
        last_l1 = l1;
        last_l2 = l2;
    }
}

/// 兴隆 layout: tab rows, 万元, department line and unit above the table.
fn write_xinglong(out: &mut String, p: &Project, n: usize, serial: u64) {
    let amount = wan(p.total_yuan);
    let code = format!("{}{:02}P{:011}", p.region_code, p.year % 100, serial % 100_000_000_000);
    let _ = write!(
        out,
        "\n{n}.{year} 年{name}绩效目标表\n\n362001 {dept}本级\n\n单位：万元\n\n\
         项目编码\t{code}\t\t项目名称\t{name}\t\t\n\
         预算规模及资金用途\t预算数\t{amount}\t其中：财政资金\t{amount}\t其他资金\t\n\
         \t{overview}\t\t\t\t\t\n\
         资金支出计划（%）\t3 月底\t\t6 月底\t10 月底\t12 月底\t\n\
         \t25%\t\t50%\t75%\t100%\t\n\
         绩效目标\t{goal}\t\t\t\t\t\n\
         一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据\t\n",
        year = p.year,
        name = p.name,
        dept = p.department(),
        overview = p.overview,
        goal = p.goal,
    );
    let mut last_l1 = "";
    for i in &p.indicators {
        let l2 = i.level2.as_deref().unwrap_or("");
        let l1 = level1_of(l2);
        let l1_cell = if l1 != last_l1 { l1 } else { "" };
        let _ = writeln!(out, "{l1_cell}\t{l2}\t{name}\t{name}\t{v}\t行业依据\t", name = i.name, v = i.value.as_deref().unwrap_or(""));
        last_l1 = l1;
    }
}

/// 神木 layout: tab rows, 万元, HTML checkbox remnants, annual values only.
fn write_shenmu(out: &mut String, p: &Project, serial: u64) {
    let amount = wan(p.total_yuan);
    let _ = write!(
        out,
        "\n绩效目标申报编号：JXMB{year}{serial:08}\n\n## 项目（政策）支出绩效目标表\n\n（{year} 年度）\n\n\
         项目名称\t{name}\t\t项目实施起止时间\t{year}.01.01-{year}.12.31\t\n\
         项目主管部门\t{dept}\t\t项目实施单位\t{dept}\t\n\
         项目预算（万元）\t{amount}\t项目属性\t新增项目 <input type=\"checkbox\"/> 延续项目 <input checked=\"\" type=\"checkbox\"/>\t\t\n\
         设立依据\t{basis}\t\t\t\t\n\
         项目概述\t{overview}\t\t\t\t\n\
         预算安排情况\t资金金额 (万元)\t实施期资金总额：\t\t年度资金总额：\t{amount}\t\t\n\
         \t\t其中：财政拨款\t\t其中：财政拨款\t{amount}\t\t\n\
         绩效目标\t实施期总体目标\t\t\t年度目标\t\t\t\n\
         \t\t\t\t{goal}\t\t\t\n\
         绩效指标\t一级指标\t二级指标\t三级指标\t\t实施期总体目标值\t年度指标值\t备注\n",
        year = p.year,
        name = p.name,
        dept = p.department(),
        basis = p.basis,
        overview = p.overview,
        goal = p.goal,
    );
    let mut last_l1 = "";
    let mut last_l2 = "";
    for i in &p.indicators {
        let l2 = i.level2.as_deref().unwrap_or("");
        let l1 = level1_of(l2);
        let l1_cell = if l1 != last_l1 { l1 } else { "" };
        let l2_cell = if l2 != last_l2 { l2 } else { "" };
        let _ = writeln!(out, "\t{l1_cell}\t{l2_cell}\t{name}\t\t\t{v}\t", name = i.name, v = i.value.as_deref().unwrap_or(""));
        last_l1 = l1;
        last_l2 = l2;
    }
}

/// 石鼓 layout: one cell per line, rows between blank lines, 万元.
fn write_shigu(out: &mut String, p: &Project) {
    let cells = |out: &mut String, cells: &[&str]| {
        for c in cells {
            let _ = writeln!(out, "\t{c}");
        }
        out.push('\n');
    };
    let _ = write!(out, "\n项目资金绩效目标申报表\n（{}年度）\n填报单位（盖章）{}\n", p.year, p.department());
    cells(out, &["项目名称", &p.name, "项目属性", "延续项目☑     新增项目□"]);
    cells(out, &["部门名称", &p.department(), "资金总额（万元）", &wan(p.total_yuan)]);
    cells(out, &["项目立项依据", &p.basis]);
    cells(out, &["项目长期绩效目标", &p.goal]);
    cells(out, &["项目年度绩效指标", "一级指标", "二级指标", "指标内容", "指标值", "备注"]);
    let mut last_l1 = "";
    for i in &p.indicators {
        let l2 = i.level2.as_deref().unwrap_or("");
        let l1 = level1_of(l2);
        let l1_cell = if l1 != last_l1 { l1 } else { "" };
        cells(out, &["", l1_cell, l2, &i.name, i.value.as_deref().unwrap_or(""), "　"]);
        last_l1 = l1;
    }
    cells(out, &["项目实施保障措施", "按照政策规定执行。"]);
    let _ = writeln!(out, "填报人：张三\t联系电话：0000000\t填报日期：{}.3.1\n", p.year);
}

/// Writes `projects` synthetic project tables into `out/data/`.
pub fn generate(real_data: &Path, out: &Path, projects: usize, seed: u64) -> Result<(), Problem> {
    let problem = |path: &Path, e: std::io::Error| Problem { file: path.display().to_string(), line: None, message: e.to_string() };
    let real = crate::extract_data(real_data)?;
    let pool = Pool::from(&real.records);
    let g = gazetteer();
    // Counties and cities of the gazetteer, with their city.
    let places: Vec<(String, Option<String>, String)> = g
        .places
        .iter()
        .filter(|p| p.level != Level::Province)
        .filter_map(|p| {
            let region = g.region(g.by_code(&p.code)?);
            let city = region.city.clone()?;
            (city != "市辖区" && !p.name.contains("市辖区")).then(|| (city, region.county.clone(), p.code.clone()))
        })
        .collect();
    let data = out.join("data");
    std::fs::create_dir_all(&data).map_err(|e| problem(&data, e))?;
    let mut rng = Rng::new(seed);
    let mut registry = String::from("# Synthetic corpus written by `indexer generate` for benchmarks. Never commit it.\n\n");
    let mut written = 0;
    let mut document = 0;
    // Every few projects, what a query about it could be made of.
    let sample_every = (projects / 400).max(1);
    let mut samples: Vec<(String, String, Option<String>)> = Vec::new();
    while written < projects {
        // One document: one region, one year, one layout, 10–40 tables.
        let place = rng.below(places.len());
        let year = 2020 + rng.below(6) as u16;
        let layout = rng.below(4);
        let count = (10 + rng.below(31)).min(projects - written);
        let mut text = String::new();
        if layout == 1 {
            let p = &places[place];
            let _ = write!(text, "\n{}医疗保障局\n{year} 年部门预算绩效文本\n", p.1.as_deref().unwrap_or(&p.0));
        }
        for n in 0..count {
            let project = make_project(&pool, &mut rng, &places, year, place);
            if (written + n) % sample_every == 0 {
                samples.push((project.place().to_string(), project.base_name.clone(), project.indicators.first().map(|i| i.name.clone())));
            }
            let serial = (document as u64) * 100 + n as u64;
            match layout {
                0 => write_xinzhou(&mut text, &project),
                1 => write_xinglong(&mut text, &project, n + 1, serial),
                2 => write_shenmu(&mut text, &project, serial),
                _ => write_shigu(&mut text, &project),
            }
        }
        let file = format!("synthetic-{document:06}.txt");
        std::fs::write(data.join(&file), &text).map_err(|e| problem(&data.join(&file), e))?;
        let (city, county, _) = &places[place];
        let _ = write!(
            registry,
            "[[document]]\nfile = \"{file}\"\npublisher = \"{}医疗保障局\"\nregion = \"{city}{}\"\nyear = {year}\n\
             title = \"synthetic\"\ncontains = \"{count} synthetic project tables\"\nsynthetic = true\n\n",
            county.as_deref().unwrap_or(city),
            county.as_deref().unwrap_or("")
        );
        written += count;
        document += 1;
    }
    std::fs::write(data.join("sources.toml"), registry).map_err(|e| problem(&data.join("sources.toml"), e))?;
    if let Ok(synonyms) = std::fs::read(real_data.join("synonyms.toml")) {
        std::fs::write(data.join("synonyms.toml"), synonyms).map_err(|e| problem(&data.join("synonyms.toml"), e))?;
    }
    let queries = synthetic_queries(&samples, seed);
    let list: Vec<serde_json::Value> = queries.iter().map(|q| serde_json::json!({ "q": q })).collect();
    let file = serde_json::json!({
        "about": format!("Queries about the synthetic corpus of seed {seed}, made of its project names, places and indicators by `indexer generate`."),
        "queries": list,
    });
    let path = out.join("queries.json");
    std::fs::write(&path, serde_json::to_string_pretty(&file).expect("queries serialise")).map_err(|e| problem(&path, e))?;
    eprintln!("indexer: wrote {written} synthetic project tables in {document} documents to {}, and {} queries", data.display(), queries.len());
    Ok(())
}

/// Queries a user could type about the corpus: a project name, part of one
/// (four characters), a place with part of a name, part of an indicator.
pub const SYNTHETIC_QUERIES: usize = 40;

fn synthetic_queries(samples: &[(String, String, Option<String>)], seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0x5155_4552_4945_5321);
    let part = |rng: &mut Rng, text: &str, len: usize| -> String {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_ascii_punctuation() && !"（）()、，".contains(*c)).collect();
        let start = rng.below(chars.len().saturating_sub(len) + 1);
        chars[start..(start + len).min(chars.len())].iter().collect()
    };
    let mut queries: Vec<String> = Vec::new();
    let mut attempts = 0;
    while queries.len() < SYNTHETIC_QUERIES && !samples.is_empty() && attempts < 10 * SYNTHETIC_QUERIES {
        attempts += 1;
        let (place, name, indicator) = rng.pick(samples);
        let q = match attempts % 4 {
            0 => name.clone(),
            1 => part(&mut rng, name, 4),
            2 => format!("{place} {}", part(&mut rng, name, 4)),
            _ => match indicator {
                Some(i) => part(&mut rng, i, 4),
                None => continue,
            },
        };
        if q.chars().count() >= 2 && !queries.contains(&q) {
            queries.push(q);
        }
    }
    queries
}

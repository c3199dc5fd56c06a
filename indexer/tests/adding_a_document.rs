//! README "Adding a document", followed step by step on a new document
//! (`tests/adding/005_yudu_2024.txt`, two project tables of 于都县医疗保障局):
//! the sources.toml entry, the commands, the report line and the query are
//! taken from the README itself, so the section cannot drift from what the
//! indexer does.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use common::{repo, scratch};

/// The README section, from its heading to the next.
fn section() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find("\n## Adding a document\n").expect("README has the section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    rest[..end].to_string()
}

/// The fenced blocks of a language in the section, in order.
fn blocks(section: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}\n");
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```").expect("closed fence");
        out.push(body[..end].to_string());
        rest = &body[end + 3..];
    }
    out
}

/// `cargo run -p jixiao-indexer -- <args>` → the arguments of the binary
/// (single quotes group words, as a shell does).
fn indexer_args(command: &str) -> Vec<String> {
    let (_, args) = command.trim().split_once("cargo run -p jixiao-indexer -- ").expect("an indexer command");
    let mut out = Vec::new();
    for (i, part) in args.split('\'').enumerate() {
        if i % 2 == 1 {
            out.push(part.to_string());
        } else {
            out.extend(part.split_whitespace().map(String::from));
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn readme_steps_add_a_searchable_document() {
    let section = section();
    // A checkout of its own: data/ as it is, the indexer run from its root.
    let root = scratch("adding");
    copy_dir(&repo().join("data"), &root.join("data"));

    // 1. Put the file in data/ (the name the entry of step 2 gives).
    let entry = blocks(&section, "toml").into_iter().next().expect("step 2 shows the entry");
    let entry_value: toml::Value = toml::from_str(&entry).unwrap();
    let file = entry_value["document"][0]["file"].as_str().unwrap().to_string();
    assert_eq!(file, "005_yudu_2024.txt");
    assert!(section.contains(&format!("`data/{file}`")), "step 1 names the file");
    std::fs::copy(repo().join("indexer/tests/adding").join(&file), root.join("data").join(&file)).unwrap();

    // 2. Append the entry to data/sources.toml, exactly as shown.
    let sources = root.join("data/sources.toml");
    let mut registry = std::fs::read_to_string(&sources).unwrap();
    registry.push('\n');
    registry.push_str(&entry);
    std::fs::write(&sources, &registry).unwrap();

    // 3. Build.
    let commands = blocks(&section, "sh");
    assert_eq!(commands.len(), 2, "a build command and a query command");
    let build = Command::new(env!("CARGO_BIN_EXE_indexer")).current_dir(&root).args(indexer_args(&commands[0])).output().unwrap();
    let report = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{report}");

    // 4. The report lists it, as the README shows.
    let shown = blocks(&section, "text").into_iter().next().expect("step 4 shows the report line");
    for line in shown.lines().filter(|l| !l.trim().is_empty()) {
        assert!(report.lines().any(|l| l == line), "the README's report line\n{line}\nis not in the report:\n{report}");
    }
    assert!(!report.contains(&format!("{file}:")), "no problem or warning for the new document:\n{report}");
    let quality: Value = serde_json::from_slice(&std::fs::read(root.join("public/idx/quality.json")).unwrap()).unwrap();
    let document = quality["documents"].as_array().unwrap().iter().find(|d| d["file"] == file.as_str()).expect("in quality.json");
    assert_eq!((document["project_tables"].as_u64(), document["encoding"].as_str()), (Some(2), Some("UTF-8")));
    // The README names every field quality.json has.
    for key in document.as_object().unwrap().keys().chain(quality.as_object().unwrap().keys()) {
        assert!(section.contains(&format!("`{key}`")), "README does not explain quality.json field `{key}`");
    }

    // 5. Find it, with the region code and amount the README says.
    let query = Command::new(env!("CARGO_BIN_EXE_indexer")).current_dir(&root).args(indexer_args(&commands[1])).output().unwrap();
    assert!(query.status.success(), "{}", String::from_utf8_lossy(&query.stderr));
    let hits: Vec<Value> = serde_json::from_slice(&query.stdout).unwrap();
    let hit = &hits[0];
    assert_eq!(hit["name"], "医疗救助县级配套资金");
    assert_eq!(hit["region"], "于都县");
    for (field, value) in [("region_code", "360731"), ("total_yuan", "1200000")] {
        assert_eq!(hit[field].to_string().trim_matches('"'), value);
        assert!(section.contains(&format!("`{field}` `{value}`")), "the README says {field} {value}");
    }
    assert!(hit["id"].as_str().unwrap().starts_with("360731-2024-"));
    assert!(section.contains("`360731-2024-…`"));
    // The other project of the document is there too.
    let other = Command::new(env!("CARGO_BIN_EXE_indexer"))
        .current_dir(&root)
        .args(["query", "城乡居民基本医疗保险县级财政补助资金", "--json"])
        .output()
        .unwrap();
    let hits: Vec<Value> = serde_json::from_slice(&other.stdout).unwrap();
    let hit = hits.iter().find(|h| h["name"] == "城乡居民基本医疗保险县级财政补助资金").expect("found");
    assert_eq!((hit["region_code"].as_str(), hit["total_yuan"].as_i64()), (Some("360731"), Some(3_256_000)));
}

#[path = "renderings/mod.rs"]
mod renderings;

/// The same document in each form the README accepts: added by the same
/// steps (the file in data/, the entry at the end of sources.toml, build),
/// it gives the same two projects, and the report names the format found.
#[test]
fn readme_steps_add_a_document_in_every_form() {
    let section = section();
    let entry = blocks(&section, "toml").into_iter().next().expect("step 2 shows the entry");
    let text = std::fs::read(repo().join("indexer/tests/adding/005_yudu_2024.txt")).unwrap();
    let grid = jixiao_reader::decode::decode(&text).unwrap().grid();
    let forms: Vec<(&str, Vec<u8>, &str)> = vec![
        ("005_yudu_2024.html", renderings::html(&grid, "于都县医疗保障局2024年项目支出绩效目标表").into_bytes(), "html"),
        ("005_yudu_2024.xlsx", renderings::xlsx(&grid), "spreadsheet"),
        ("005_yudu_2024.xls", std::fs::read(repo().join("indexer/tests/formats/005_yudu_2024.xls")).unwrap(), "spreadsheet"),
        ("005_yudu_2024.docx", renderings::docx(&grid), "docx"),
        ("005_yudu_2024.pdf", renderings::pdf(&grid, "于都县医疗保障局2024年项目支出绩效目标表"), "pdf"),
        // A web page saved under the name a site gave it.
        ("005_yudu_2024_page.xls", renderings::html(&grid, "").into_bytes(), "html"),
    ];
    for (file, bytes, format) in forms {
        let root = scratch(&format!("adding-{file}"));
        copy_dir(&repo().join("data"), &root.join("data"));
        std::fs::write(root.join("data").join(file), bytes).unwrap();
        let sources = root.join("data/sources.toml");
        let mut registry = std::fs::read_to_string(&sources).unwrap();
        registry.push('\n');
        registry.push_str(&entry.replace("005_yudu_2024.txt", file));
        std::fs::write(&sources, &registry).unwrap();
        let build = Command::new(env!("CARGO_BIN_EXE_indexer")).current_dir(&root).args(["build"]).output().unwrap();
        let report = String::from_utf8_lossy(&build.stderr);
        assert!(build.status.success(), "{file}: {report}");
        assert!(!report.contains(&format!("{file}:")), "{file}: no problem or warning:\n{report}");
        let quality: Value = serde_json::from_slice(&std::fs::read(root.join("public/idx/quality.json")).unwrap()).unwrap();
        let document = quality["documents"].as_array().unwrap().iter().find(|d| d["file"] == file).expect("in quality.json");
        assert_eq!((document["project_tables"].as_u64(), document["format"].as_str()), (Some(2), Some(format)), "{file}");
        for (query, total) in [("医疗救助县级配套资金", 1_200_000), ("城乡居民基本医疗保险县级财政补助资金", 3_256_000)] {
            let out = Command::new(env!("CARGO_BIN_EXE_indexer")).current_dir(&root).args(["query", query, "--json"]).output().unwrap();
            let hits: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
            let hit = hits.iter().find(|h| h["name"] == query).unwrap_or_else(|| panic!("{file}: {query} not found"));
            assert_eq!((hit["region_code"].as_str(), hit["total_yuan"].as_i64()), (Some("360731"), Some(total)), "{file}");
        }
    }
}

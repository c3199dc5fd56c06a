//! `indexer`: builds everything the site needs from `data/`.
//!
//! ```text
//! indexer build                  read data/, write the index and data files to public/idx/
//! indexer query '<text>' --json  the top 10 hits, with the app's query engine
//! indexer export --format json   the extracted records (stdout, or --out FILE)
//! indexer score [--verbose]      extraction against hand-checked expectations
//! indexer matrix [--pairs]       every checked table in every layout and noise, read back
//! indexer inspect FILE           how one document is read (layout, rows, records)
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use jixiao_indexer::{build, export};

#[derive(Parser)]
#[command(name = "indexer", about = "绩效目标表 → structured records → static search index")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract every document in data/ and write the site's data files.
    Build {
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// The folder Trunk copies into the site.
        #[arg(long, default_value = "public/idx")]
        out: PathBuf,
        /// Exit non-zero when any document has a problem.
        #[arg(long)]
        strict: bool,
    },
    /// Search the built index and print the top hits.
    Query {
        /// The query as a user types it (`-词` excludes, `"…"` is a phrase).
        #[arg(allow_hyphen_values = true)]
        text: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "public/idx")]
        index: PathBuf,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Also print the files the query read and their bytes (what a
        /// browser with an empty cache downloads after the manifest).
        #[arg(long)]
        files: bool,
    },
    /// Measure build time, index size and native query latency (JSON).
    Bench {
        #[arg(long, default_value = "data")]
        data: PathBuf,
        #[arg(long, default_value = "target/bench-idx")]
        out: PathBuf,
        /// A JSON file with {"queries": [{"q": …}, …]}.
        #[arg(long, default_value = "tests/fixtures/queries/public.json")]
        queries: PathBuf,
        #[arg(long, default_value_t = 50)]
        repeats: usize,
    },
    /// Write a seeded synthetic corpus (for benchmarks; never commit it).
    Generate {
        /// Number of project tables.
        #[arg(long)]
        projects: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output folder (the corpus goes into <out>/data/).
        #[arg(long)]
        out: PathBuf,
        /// The real documents whose fields are recombined.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
    /// Compare extraction with hand-checked expectations and print the
    /// share of values read right (default: the wild excerpts).
    Score {
        #[arg(long, default_value = "tests/fixtures/wild/expect.json")]
        expect: PathBuf,
        /// List every value read wrong.
        #[arg(long)]
        verbose: bool,
    },
    /// Print the layout matrix: every hand-checked table saved in each
    /// layout with each noise, and the share of its values read back.
    Matrix {
        /// Also the pairs of noises (the test holds them too).
        #[arg(long)]
        pairs: bool,
        /// Only this layout (`tabs`, `pipes`, `lines` …).
        #[arg(long)]
        layout: Option<String>,
        /// List the misses of the worst cells.
        #[arg(long)]
        verbose: bool,
        /// Raise the floors of tests/fixtures/matrix_floor.json to what
        /// the cells reach (never lowers one).
        #[arg(long)]
        raise_floors: bool,
        /// Set every floor to what its cell reaches, lowering those a
        /// change costs (say which in the commit).
        #[arg(long, conflicts_with = "raise_floors")]
        set_floors: bool,
        /// Print the rendering of the table whose origin contains this
        /// text, in `--layout` with `--noise` (`a+b`), instead.
        #[arg(long)]
        show: Option<String>,
        #[arg(long, default_value = "none")]
        noise: String,
    },
    /// Measure how fast documents are read, per format (JSON).
    BenchReading {
        /// Folders of documents in any format.
        #[arg(default_values = ["data", "tests/fixtures/wild", "indexer/tests/formats", "indexer/tests/adding", "reader/tests/pdf"])]
        dirs: Vec<PathBuf>,
        #[arg(long, default_value_t = 5)]
        repeats: usize,
    },
    /// Show how one document is read: format, layout, rows, records.
    Inspect { file: PathBuf },
    /// Print the extracted records.
    Export {
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { data, out, strict } => build::run(&data, &out, strict),
        Command::Query { text, json, index, limit, files } => jixiao_indexer::query::run(&index, &text, json, limit, files),
        Command::Bench { data, out, queries, repeats } => read_queries(&queries)
            .and_then(|queries| jixiao_indexer::bench::run(&data, &out, &queries, repeats)),
        Command::Generate { projects, seed, out, data } => {
            jixiao_indexer::synth::generate(&data, &out, projects, seed).map(|_| ExitCode::SUCCESS)
        }
        Command::Inspect { file } => jixiao_indexer::inspect::run(&file),
        Command::BenchReading { dirs, repeats } => jixiao_indexer::bench::reading(&dirs, repeats),
        Command::Score { expect, verbose } => jixiao_indexer::score::run(&expect, verbose),
        Command::Matrix { layout, show: Some(origin), noise, .. } => {
            jixiao_indexer::matrix::show(Path::new("."), &origin, layout.as_deref().unwrap_or("tabs"), &noise)
        }
        Command::Matrix { pairs, layout, verbose, raise_floors, set_floors, show: None, .. } => {
            use jixiao_indexer::matrix::FloorMove;
            let floors = if set_floors { Some(FloorMove::Set) } else { raise_floors.then_some(FloorMove::Raise) };
            jixiao_indexer::matrix::run(Path::new("."), pairs, verbose, layout.as_deref(), floors)
        }
        Command::Export { format, out, data } => {
            let format = match format {
                Format::Json => export::Format::Json,
                Format::Csv => export::Format::Csv,
            };
            export::run(&data, format, out.as_deref())
        }
    };
    match result {
        Ok(code) => code,
        Err(problem) => {
            eprintln!("indexer: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn read_queries(path: &std::path::Path) -> Result<Vec<String>, jixiao_indexer::sources::Problem> {
    let problem = |message: String| jixiao_indexer::sources::Problem { file: path.display().to_string(), line: None, message };
    let text = std::fs::read_to_string(path).map_err(|e| problem(e.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| problem(e.to_string()))?;
    value["queries"]
        .as_array()
        .map(|qs| qs.iter().filter_map(|q| q["q"].as_str().map(String::from)).collect())
        .ok_or_else(|| problem("expected {\"queries\": [{\"q\": …}]}".into()))
}

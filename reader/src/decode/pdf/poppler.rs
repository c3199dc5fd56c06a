//! The words of a PDF and their boxes, from poppler's command-line tools:
//! `pdfinfo` for the page count, `pdftotext -tsv` for every word with its
//! page and box. Each runs as a child process fed on standard input, with a
//! time limit, so a hostile file can stall neither the reader nor the build.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What to install when poppler is missing (Debian and Ubuntu package names).
pub const INSTALL_HINT: &str =
    "读取 PDF 需要 poppler 的 pdftotext：请安装 poppler-utils 和 poppler-data（Debian/Ubuntu：apt-get install poppler-utils poppler-data，或运行 cargo xtask setup）";

/// A word as poppler placed it: its box in points from the page's top left
/// corner (of the crop box, `-cropbox`, as the page is shown: rotation
/// applied).
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub text: String,
}

/// One page: its size in points and its words in poppler's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub words: Vec<Word>,
}

/// Why a poppler tool gave no answer.
#[derive(Debug)]
pub enum Failure {
    /// The tool is not installed.
    Missing(String),
    /// It ran longer than its limit and was stopped.
    TimedOut(Duration),
    /// It failed; what it said on standard error.
    Failed(String),
    /// It wrote more than this many megabytes: no budget document has
    /// this much text, a hostile one may.
    TooLarge(u64),
}

/// pdftotext's output read at most (it writes about 50 MB for 1,000 dense
/// pages).
const MAX_OUTPUT: u64 = 512 << 20;

/// The number of pages, from `pdfinfo`.
pub fn page_count(pdf: &[u8]) -> Result<u32, Failure> {
    let out = run("pdfinfo", &["-"], pdf, Duration::from_secs(30), 1 << 20)?;
    let out = String::from_utf8_lossy(&out);
    out.lines()
        .find_map(|line| line.strip_prefix("Pages:").and_then(|n| n.trim().parse().ok()))
        .ok_or_else(|| Failure::Failed(format!("pdfinfo 没有给出页数：{}", out.trim())))
}

/// The words of pages `1..=pages`, from `pdftotext -tsv`: two processes
/// for the two halves of a long document (poppler uses one core).
pub fn words(pdf: &[u8], pages: u32, limit: Duration) -> Result<Vec<Page>, Failure> {
    let range = |first: u32, last: u32| -> Result<Vec<Page>, Failure> {
        let (first_arg, last_arg) = (first.to_string(), last.to_string());
        let args = ["-tsv", "-cropbox", "-enc", "UTF-8", "-f", &first_arg, "-l", &last_arg, "-", "-"];
        let tsv = run("pdftotext", &args, pdf, limit, MAX_OUTPUT)?;
        let mut pages = parse_tsv(&String::from_utf8_lossy(&tsv));
        pages.resize_with(last as usize, Page::default);
        Ok(pages.split_off(first as usize - 1))
    };
    if pages < 40 {
        return range(1, pages);
    }
    let middle = pages / 2;
    let (head, tail) = std::thread::scope(|scope| {
        let tail = scope.spawn(|| range(middle + 1, pages));
        (range(1, middle), tail.join().expect("pdftotext runner"))
    });
    let mut head = head?;
    head.extend(tail?);
    Ok(head)
}

/// Reads poppler's TSV: `level page par block line word left top width
/// height conf text`; level 1 rows are pages, level 5 rows are words.
pub fn parse_tsv(tsv: &str) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    for row in tsv.lines().skip(1) {
        let fields: Vec<&str> = row.splitn(12, '\t').collect();
        let [level, page, _, _, _, _, left, top, width, height, _, text] = fields[..] else { continue };
        let (Ok(page), Ok(left), Ok(top), Ok(width), Ok(height)) =
            (page.parse::<usize>(), left.parse::<f32>(), top.parse::<f32>(), width.parse::<f32>(), height.parse::<f32>())
        else {
            continue;
        };
        if page == 0 {
            continue;
        }
        if pages.len() < page {
            pages.resize_with(page, Page::default);
        }
        let target = &mut pages[page - 1];
        match level {
            "1" => (target.width, target.height) = (width, height),
            "5" if !text.trim().is_empty() => target.words.push(Word {
                x0: left,
                y0: top,
                x1: left + width,
                y1: top + height,
                text: text.trim().to_string(),
            }),
            _ => {}
        }
    }
    pages
}

/// Runs `tool` with `input` on standard input; its standard output, or why
/// there is none. Past `limit` the process is killed; past `max_output`
/// bytes its output is closed.
pub(super) fn run(tool: &str, args: &[&str], input: &[u8], limit: Duration, max_output: u64) -> Result<Vec<u8>, Failure> {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Failure::Missing(tool.to_string()),
            _ => Failure::Failed(format!("无法运行 {tool}：{e}")),
        })?;
    let (mut stdin, mut stdout, mut stderr) =
        (child.stdin.take().expect("piped"), child.stdout.take().expect("piped"), child.stderr.take().expect("piped"));
    let started = Instant::now();
    std::thread::scope(|scope| {
        // A tool that stops reading early (a broken file) closes the pipe:
        // the write error is of no interest, its exit status says it all.
        scope.spawn(move || stdin.write_all(input));
        // Past the maximum the pipe is closed, which ends the tool.
        let out = scope.spawn(move || {
            let mut buf = Vec::new();
            (&mut stdout).take(max_output + 1).read_to_end(&mut buf).map(|_| buf)
        });
        // What a broken file makes poppler say can be long: the start is
        // kept, the rest read and dropped (a closed pipe would end the tool).
        let err = scope.spawn(move || {
            let mut buf = Vec::new();
            (&mut stderr).take(64 << 10).read_to_end(&mut buf)?;
            std::io::copy(&mut stderr, &mut std::io::sink()).map(|_| buf)
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() > limit => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(Failure::TimedOut(limit));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => break Err(Failure::Failed(format!("{tool}：{e}"))),
            }
        }?;
        let out = out.join().expect("reader thread").unwrap_or_default();
        let err = err.join().expect("reader thread").unwrap_or_default();
        if out.len() as u64 > max_output {
            return Err(Failure::TooLarge(max_output >> 20));
        }
        let said = String::from_utf8_lossy(&err).trim().to_string();
        if status.success() {
            if said.contains("Missing language pack") {
                return Err(Failure::Failed(said));
            }
            Ok(out)
        } else {
            Err(Failure::Failed(if said.is_empty() { format!("{tool} 退出码 {status}") } else { said }))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_rows_become_pages_of_words() {
        let tsv = "level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0.0\t0.0\t595.0\t842.0\t-1\t###PAGE###\n\
                   4\t1\t0\t0\t0\t0\t10.0\t20.0\t40.0\t12.0\t-1\t###LINE###\n\
                   5\t1\t0\t0\t0\t0\t10.00\t20.00\t40.00\t12.00\t100\t项目名称\n\
                   1\t2\t0\t0\t0\t0\t0.0\t0.0\t842.0\t595.0\t-1\t###PAGE###\n";
        let pages = parse_tsv(tsv);
        assert_eq!(pages.len(), 2);
        assert_eq!((pages[1].width, pages[1].height), (842.0, 595.0));
        assert_eq!(pages[0].words, [Word { x0: 10.0, y0: 20.0, x1: 50.0, y1: 32.0, text: "项目名称".into() }]);
        assert!(pages[1].words.is_empty());
    }
}

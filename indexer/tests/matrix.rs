//! The layout matrix (`indexer::matrix`): every hand-checked table of the
//! repository printed in the national template, saved in every layout with
//! every noise and every pair of noises, read back. Each cell must read
//! back at least its floor (`tests/fixtures/matrix_floor.json`); the goal
//! is 99 % in every cell. `indexer matrix --pairs --verbose` prints the
//! matrix and the misses of the worst cells.

mod common;

use jixiao_indexer::matrix::{matrix, noise_key, noise_sets, read_floors, specimens, Layout};

use common::repo;

#[test]
fn every_cell_of_the_matrix_reads_back_its_floor() {
    let specimens = specimens(&repo()).expect("specimens");
    assert!(specimens.len() >= 70, "the gold and the wild set: {}", specimens.len());
    let floors = read_floors(&repo()).expect("floors");
    let sets = noise_sets();
    let cells = matrix(&specimens, &Layout::ALL, &sets);
    let mut below = Vec::new();
    for c in &cells {
        let (layout, noises) = (c.layout.key(), noise_key(&c.noises));
        let floor = floors.get(layout).and_then(|l| l.get(&noises)).copied().unwrap_or_else(|| panic!("no floor for {layout} × {noises}"));
        println!("{layout:<12} {noises:<24} {:>5.1} % (floor {:>5.1} %)", 100.0 * c.share(), 100.0 * floor);
        if c.share() + 1e-9 < floor {
            below.push(format!("{layout} × {noises}: {}/{} = {:.1} % < {:.1} %\n    {}", c.read, c.values, 100.0 * c.share(), 100.0 * floor, c.misses.iter().take(5).cloned().collect::<Vec<_>>().join("\n    ")));
        }
    }
    assert!(below.is_empty(), "cells below their floor:\n{}", below.join("\n"));
    let (read, values) = cells.iter().fold((0, 0), |(r, v), c| (r + c.read, v + c.values));
    println!("overall {read}/{values} = {:.1} %", 100.0 * read as f64 / values as f64);
}

/// A rendering is the table it renders: the layouts and noises change how
/// it is printed, never what it says (a test of the generator, so a floor
/// is not met by a rendering that lost its values).
#[test]
fn renderings_print_every_value_of_the_table() {
    let specimens = specimens(&repo()).expect("specimens");
    let gold = specimens.iter().find(|s| s.origin.starts_with("gold")).expect("a gold table");
    for layout in Layout::ALL {
        let document = jixiao_indexer::matrix::render(gold, layout, &[]);
        let squeezed: String = document.chars().filter(|c| !c.is_whitespace() && *c != '|').collect();
        for i in &gold.indicators {
            let name: String = i.name.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(squeezed.contains(&name), "{}: {name} printed", layout.key());
        }
        assert!(squeezed.contains(&gold.name.replace(' ', "")), "{}: name printed", layout.key());
    }
}

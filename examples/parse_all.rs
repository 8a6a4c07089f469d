//! The baseline of the check benchmark (`benches/check.sh`): read every Markdown file
//! under a folder and parse it as the reader does (decode, front matter, Markdown with
//! shortcodes), on all cores, as a whole process, so `folio check` can be timed against
//! parsing the same posts on equal terms.

use rayon::prelude::*;

fn main() {
    let Some(root) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_all FOLDER");
        std::process::exit(2);
    };
    let files: Vec<std::path::PathBuf> = ignore::WalkBuilder::new(&root)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "markdown"))
        .collect();
    let blocks: usize = files
        .par_iter()
        .filter_map(|path| std::fs::read(path).ok())
        .map(|bytes| {
            let text = folio::library::text::decode(&bytes).text;
            let (_, body, _) = folio::library::front_matter::split_body(text);
            folio::markdown::parse(&body).blocks.len()
        })
        .sum();
    println!("{} files, {blocks} blocks", files.len());
}

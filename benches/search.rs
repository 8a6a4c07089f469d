//! Search speed on a 10 000-post corpus: the median time of one keystroke in the list's
//! fuzzy search (typed through the real key dispatch, as in the TUI) and of one
//! full-text query once every body is loaded (targets: 10 ms and 50 ms in release),
//! and of sorting the whole list by title.
//!
//! The corpus comes from `FOLIO_BENCH_CORPUS` (a folder of posts) if set, else it is
//! generated into a temporary folder with `../shared/tools/gen-corpus` (or the tool
//! named by `FOLIO_GEN_CORPUS`); without either the bench says so and skips.
//!
//! `cargo bench --bench search`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use folio::app::{App, handle_key, listing};
use folio::bodies;
use folio::library::Library;
use folio::library::query::{self, Chips, Searcher};

const POSTS: usize = 10_000;

fn main() {
    let temp = tempfile::tempdir().ok();
    let Some(corpus) = corpus(temp.as_ref().map(|t| t.path())) else {
        return;
    };
    let start = Instant::now();
    let library = match Library::scan(&corpus) {
        Ok(library) => library,
        Err(err) => {
            eprintln!(
                "search bench skipped: cannot scan {}: {err}",
                corpus.display()
            );
            return;
        }
    };
    println!(
        "corpus: {} posts in {} (index {:.0} ms)",
        library.posts().len(),
        corpus.display(),
        ms(start.elapsed())
    );
    fuzzy_keystrokes(library.clone());
    title_sort(library.clone());
    full_text(library);
}

/// Where the corpus is: given, or freshly generated into `temp`.
fn corpus(temp: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FOLIO_BENCH_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    let tool = std::env::var_os("FOLIO_GEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-corpus")
        });
    let Some(temp) = temp.filter(|_| tool.exists()) else {
        eprintln!(
            "search bench skipped: no corpus (set FOLIO_BENCH_CORPUS) and no generator at {}",
            tool.display()
        );
        return None;
    };
    let out = temp.join("corpus");
    eprintln!("generating {POSTS} posts with {} ...", tool.display());
    let status = Command::new(&tool)
        .args(["-n", &POSTS.to_string()])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => Some(out),
        other => {
            eprintln!("search bench skipped: gen-corpus failed: {other:?}");
            None
        }
    }
}

/// CPU time used by the whole process (all threads) so far. On a machine shared with
/// other work, wall-clock times measure the neighbours too; CPU time measures folio.
fn cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the pointer it is given.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Wall-clock and CPU time of one call.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (wall, cpu) = (Instant::now(), cpu_now());
    let out = f();
    (out, wall.elapsed(), cpu_now().saturating_sub(cpu))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Medians of wall-clock and CPU time over many samples.
#[derive(Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Samples {
    fn push(&mut self, wall: Duration, cpu: Duration) {
        self.wall.push(wall);
        self.cpu.push(cpu);
    }

    fn report(&self, what: &str) {
        let max = self.wall.iter().max().copied().unwrap_or_default();
        println!(
            "{what}: median {:.2} ms wall, {:.2} ms CPU (all threads), over {} (max {:.1} ms wall)",
            ms(median(self.wall.clone())),
            ms(median(self.cpu.clone())),
            self.wall.len(),
            ms(max)
        );
    }
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> (Duration, Duration) {
    let (_, wall, cpu) = timed(|| handle_key(app, KeyEvent::new(code, modifiers)));
    (wall, cpu)
}

/// Typing queries into `/` one key at a time, as a user would, each followed by
/// Ctrl-u to clear the line.
fn fuzzy_keystrokes(library: Library) {
    let mut app = App::new(library, "bench".into(), (120, 40));
    app.resize(120, 40);
    // The matcher's view of the library, built by the background loader in the TUI.
    let (searcher, prepare, _) = timed(|| Searcher::from_posts(app.library.posts()));
    app.search.offer_searcher(searcher);
    key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
    let queries = [
        "istio",
        "rust async",
        "性能优化",
        "kubernetes config",
        "渲染",
        "#rust cache",
        "tokio",
        "服务 网格",
        "reader",
        "parser",
    ];
    let mut samples = Samples::default();
    let mut shown = Vec::new();
    for _round in 0..3 {
        shown.clear();
        for query in queries {
            for c in query.chars() {
                let (wall, cpu) = key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
                samples.push(wall, cpu);
            }
            shown.push(format!("{query}: {}", app.row_count()));
            let (wall, cpu) = key(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
            samples.push(wall, cpu);
        }
    }
    samples.report("fuzzy keystroke");
    println!(
        "  matcher view of the library (built in the background): {:.0} ms",
        ms(prepare)
    );
    println!("  results: {}", shown.join(", "));
}

/// The list sorted by title through `s`, every post: as in the TUI, with the titles'
/// collation keys made ahead by the background loader, and without them (the first `s`
/// before the loader got there).
fn title_sort(library: Library) {
    let mut cold = App::new(library.clone(), "bench".into(), (120, 40));
    let (cold_wall, cold_cpu) = key(&mut cold, KeyCode::Char('s'), KeyModifiers::NONE);
    let mut app = App::new(library, "bench".into(), (120, 40));
    let (keys, prepare, _) = timed(|| listing::TitleKeys::of(app.library.posts()));
    listing::offer_title_keys(&mut app, keys);
    let mut samples = Samples::default();
    for _ in 0..20 {
        let (wall, cpu) = key(&mut app, KeyCode::Char('s'), KeyModifiers::NONE);
        samples.push(wall, cpu);
        key(&mut app, KeyCode::Char('s'), KeyModifiers::NONE);
    }
    samples.report("title sort (s)");
    println!(
        "  title keys (made in the background): {:.0} ms; the first s without them: {:.1} ms wall, {:.1} ms CPU",
        ms(prepare),
        ms(cold_wall),
        ms(cold_cpu)
    );
}

/// Full-text queries over every body, loaded first.
fn full_text(library: Library) {
    let mut app = App::new(library, "bench".into(), (120, 40));
    // The TUI reads bodies on one background thread, so the CPU time is about how long
    // that takes; here they are read on every core.
    let ((), wall, cpu) = timed(|| bodies::load_now(&mut app));
    println!(
        "bodies: read {} in {:.0} ms wall, {:.0} ms CPU (all threads)",
        app.bodies.loaded,
        ms(wall),
        ms(cpu)
    );
    let mut searcher = Searcher::new(&app.library);
    let queries = [
        "服务网格",
        "istio",
        "Prometheus 缓存",
        "tokio runtime",
        "zebra",
        "性能",
        "渲染 终端",
        "the",
        "kubectl get pods",
        "延迟",
    ];
    let mut samples = Samples::default();
    let mut shown = Vec::new();
    for _round in 0..3 {
        shown.clear();
        for q in queries {
            let parsed = query::parse(q);
            let (hits, wall, cpu) =
                timed(|| searcher.search(&Chips::default(), &parsed, true, &app.bodies.bodies));
            samples.push(wall, cpu);
            shown.push(format!("{q}: {}", hits.len()));
        }
    }
    samples.report("full-text query");
    println!("  results: {}", shown.join(", "));
    // And typed, through the TUI: each keystroke in full-text mode runs the query.
    key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    let mut typed = Samples::default();
    for _round in 0..3 {
        for word in ["性能", "istio", "延迟"] {
            for c in word.chars() {
                let (wall, cpu) = key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
                typed.push(wall, cpu);
            }
            key(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
        }
    }
    typed.report("full-text keystroke (typing 性能, istio, 延迟)");
}

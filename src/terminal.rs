//! The only code that puts the terminal in raw mode. Whatever happens (a normal quit, an
//! error, a panic anywhere) the terminal is handed back as it was found: raw mode off,
//! main screen, cursor shown, mouse reporting off.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use anyhow::{Context, Result};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

#[cfg(unix)]
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
#[cfg(unix)]
use signal_hook::iterator::Signals;
/// Where there are no signals (Windows), no signal ever matches.
#[cfg(not(unix))]
const SIGTSTP: i32 = -1;

use crate::app::msg::{self, Msg};
use crate::app::{App, Effect};
use crate::images::worker as images;
use crate::indexer::{self, IndexJob};
use crate::input::Input;
use crate::store::state::StateStore;
use crate::theme::Theme;
use crate::watch::{self, Watch};
use crate::{bodies, effects, external};

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Undo everything `enter` did. Safe to call twice; errors are ignored because this
/// also runs while panicking, when there is nobody left to report them to.
fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        // A panic while a frame was drawn leaves its synchronized update open.
        let _ = execute!(
            out,
            EndSynchronizedUpdate,
            DisableMouseCapture,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = disable_raw_mode();
        let _ = out.flush();
    }
}

/// Restores the terminal when dropped, so `?` and early returns cannot leave it raw.
struct Session;

impl Session {
    fn enter() -> Result<Self> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        activate()?;
        Ok(Session)
    }
}

/// Raw mode, alternate screen, mouse on: what `restore` undoes. Used at start and
/// again after the editor had the terminal.
fn activate() -> Result<()> {
    enable_raw_mode().context("cannot switch the terminal to raw mode")?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        cursor::Hide
    )
    .context("cannot set up the terminal")
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
    }
}

/// Runs the TUI until the user quits. `initial` is performed before the first frame
/// (opening a file given on the command line). `theme` is the theme to start with; the
/// theme picker may change it (it lives in `app.theme` from here on).
///
/// The loop waits on one channel: terminal input ([`Input`]) and background results
/// arrive there as messages, so it sleeps while nothing happens and never polls.
pub fn run(
    mut app: App,
    theme: &Theme,
    initial: Option<Effect>,
    index: Option<IndexJob>,
    mut store: Option<StateStore>,
) -> Result<()> {
    if app.theme != *theme {
        app.set_theme(theme.clone());
    }
    let session = Session::enter()?;
    let mut terminal: Terminal<CrosstermBackend<Stdout>> =
        Terminal::new(CrosstermBackend::new(io::stdout())).context("cannot open the terminal")?;
    let size = terminal.size().context("cannot read the terminal size")?;
    // How pictures are drawn is asked of the terminal before anything reads its input
    // (the replies would be taken for keys) and before the first post is laid out.
    app.images.graphics = crate::images::query::graphics(app.images.setting);
    app.resize(size.width, size.height);
    if let Some(effect) = initial {
        effects::perform(&mut app, effect);
    }
    let forced = ForcedPanic::from_env();
    let (tx, rx) = mpsc::channel::<Msg>();
    let input = Input::spawn(tx.clone()).context("cannot read terminal input")?;
    watch_signals(tx.clone()).context("cannot watch for signals")?;
    // The signal that ended folio, for its exit status.
    let mut ended_by: Option<i32> = None;
    // The collection (by epoch) the watch is for, and the watch.
    let mut watching: Option<(u64, Option<Watch>)> = None;
    let mut index = index;
    // The image thread, started when the first picture is wanted.
    let mut images: Option<images::Worker> = None;
    let mut dirty = true;
    loop {
        if dirty {
            app.prepare_images();
            app.highlight_visible();
            draw_whole(&mut terminal, |frame| {
                if forced == ForcedPanic::Draw {
                    panic!("forced panic in draw (FOLIO_TEST_PANIC=draw)");
                }
                crate::ui::draw(frame, &app, &app.theme);
            })?;
            dirty = false;
        }
        if app.should_quit {
            // Where the open post was left is remembered on the way out.
            app.leave_post();
            remember(&mut app, &mut store);
            if let Some(signal) = ended_by {
                drop(session);
                std::process::exit(128 + signal);
            }
            return Ok(());
        }
        // The first screen of a long post is up; the rest is laid out beside the loop.
        if let Some(job) = app.take_layout_job() {
            let tx = tx.clone();
            let spawned = std::thread::Builder::new()
                .name("folio-layout".into())
                .spawn(move || {
                    if let Some(result) = job.run(crate::effects::body_for_layout) {
                        let _ = tx.send(Msg::LaidOut(Box::new(result)));
                    }
                });
            if let Err(err) = spawned {
                app.say(format!("cannot lay the post out: {err}"));
            }
        }
        // Once the collection is indexed, `folio check`'s checks run beside the loop
        // (and again after each change), for the list's badges and the reader's `!`.
        if app.index_status == crate::app::change::IndexStatus::Idle
            && let Some(job) = app.checks.take_job(&app.library, app.collection_epoch)
        {
            let tx = tx.clone();
            let spawned = std::thread::Builder::new()
                .name("folio-check".into())
                .spawn(move || {
                    let _ = tx.send(Msg::Checked(Box::new(job.run())));
                });
            if let Err(err) = spawned {
                app.checks.not_started();
                app.say(format!("cannot check the collection: {err}"));
            }
        }
        // Pictures are found, decoded and encoded beside the loop, after the frame that
        // shows their placeholders.
        if let Some(batch) = app.take_image_batch() {
            send_images(&mut app, &mut images, &tx, batch);
        }
        // The collection is checked against its folder once the first frame is up.
        if let Some(job) = index.take() {
            spawn_index(&mut app, job, &tx);
        }
        // The matcher is made after the first frame, never before it (and again for
        // each collection switched to); the title keys and bodies for full-text
        // search once the collection is checked.
        if app.index_status == crate::app::change::IndexStatus::Idle {
            bodies::spawn_search_index(&mut app, tx.clone());
        }
        if app.bodies_due() {
            bodies::spawn_loader(&mut app, tx.clone());
        }
        // Titles too many to key on the loop for the title sort are keyed beside it.
        if let Some(posts) = app.list_options.take_title_keys_job() {
            bodies::spawn_title_keys(&mut app, posts, tx.clone());
        }
        // A full-text query past the memory budget reads the files it needs, beside the
        // loop, its hits arriving as messages.
        if let Some(job) = app.text_search.take() {
            let tx = tx.clone();
            let spawned = std::thread::Builder::new()
                .name("folio-text-search".into())
                .spawn(move || bodies::run_file_search(job, |msg| tx.send(msg).is_ok()));
            if let Err(err) = spawned {
                app.say(format!("cannot search the files: {err}"));
            }
        }
        // The folder is watched from the first frame on, and anew after a switch.
        if watching
            .as_ref()
            .is_none_or(|(epoch, _)| *epoch != app.collection_epoch)
        {
            watching = Some((app.collection_epoch, watch_collection(&app, &tx)));
        }
        remember(&mut app, &mut store);
        let Ok(first) = rx.recv() else {
            return Ok(());
        };
        // Everything that has arrived meanwhile is applied before the next frame.
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            dirty |= msg.changes_screen();
            if let Msg::Signal(signal) = msg {
                if signal == SIGTSTP {
                    suspend(&mut terminal, &input)?;
                    app.images.forget_pictures();
                } else {
                    ended_by = Some(signal);
                    app.should_quit = true;
                    break;
                }
                continue;
            }
            if forced == ForcedPanic::Event && matches!(msg, Msg::Key(_)) {
                panic!("forced panic in event handling (FOLIO_TEST_PANIC=event)");
            }
            if let Some(effect) = msg::handle(&mut app, msg) {
                perform(&mut terminal, &input, &tx, &mut app, effect)?;
            }
            if app.should_quit {
                break;
            }
        }
    }
}

/// Where a test has folio panic (`FOLIO_TEST_PANIC=draw` in drawing a frame, `event` in
/// handling a key), to see the terminal handed back whatever panics where. Read only in
/// debug builds: a release build has no such switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(debug_assertions), allow(dead_code))]
enum ForcedPanic {
    Never,
    Draw,
    Event,
}

impl ForcedPanic {
    #[cfg(debug_assertions)]
    fn from_env() -> ForcedPanic {
        match std::env::var("FOLIO_TEST_PANIC").as_deref() {
            Ok("draw") => ForcedPanic::Draw,
            Ok("event") => ForcedPanic::Event,
            _ => ForcedPanic::Never,
        }
    }

    #[cfg(not(debug_assertions))]
    fn from_env() -> ForcedPanic {
        ForcedPanic::Never
    }
}

/// Turns the signals that end or stop a program into messages for the loop, which
/// restores the terminal before it goes. A second ending signal while the first is not
/// yet acted on (the loop is busy) restores the terminal and exits from here.
#[cfg(not(unix))]
fn watch_signals(_tx: mpsc::Sender<Msg>) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn watch_signals(tx: mpsc::Sender<Msg>) -> io::Result<()> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP])?;
    std::thread::Builder::new()
        .name("folio-signals".into())
        .spawn(move || {
            let mut asked_to_end = false;
            for signal in signals.forever() {
                let ending = signal != SIGTSTP;
                if ending && asked_to_end {
                    restore();
                    std::process::exit(128 + signal);
                }
                asked_to_end |= ending;
                if tx.send(Msg::Signal(signal)).is_err() && ending {
                    restore();
                    std::process::exit(128 + signal);
                }
            }
        })?;
    Ok(())
}

/// Ctrl-Z or SIGTSTP: the terminal as it was found, the process stopped as the shell
/// expects; on `fg` (SIGCONT) everything set up again and drawn anew.
fn suspend(terminal: &mut Terminal<CrosstermBackend<Stdout>>, input: &Input) -> Result<()> {
    input.pause();
    restore();
    // Stops here until continued.
    #[cfg(unix)]
    let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
    activate()?;
    redraw_from_scratch(terminal)?;
    input.resume();
    Ok(())
}

/// Draws a frame as one synchronized update (mode 2026): a terminal that knows the mode
/// shows the frame once it has all of it, never its top over the last frame's bottom
/// (a frame is written over many writes, top first); one that does not ignores both
/// sequences.
fn draw_whole(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    render: impl FnOnce(&mut ratatui::Frame),
) -> Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(render)?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

/// Clears the screen and has the next frame drawn whole. (ratatui's `clear` would ask
/// the terminal where its cursor is, an answer the input thread can take first.)
fn redraw_from_scratch(terminal: &mut Terminal<CrosstermBackend<Stdout>>) -> Result<()> {
    execute!(
        io::stdout(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )
    .context("cannot redraw the terminal")?;
    // The frame on screen is forgotten: the next draw compares with nothing.
    terminal.swap_buffers();
    Ok(())
}

/// Hands what the reading memory recorded since the last time to its store, in one
/// transaction (a post left, marked, bookmarked: never every keystroke).
fn remember(app: &mut App, store: &mut Option<StateStore>) {
    let writes = app.memory.take_pending();
    let Some(store) = store.as_mut().filter(|_| !writes.is_empty()) else {
        return;
    };
    let mut warnings = Vec::new();
    store.write(&writes, &mut warnings);
    for warning in warnings {
        app.say(warning);
    }
}

/// Hands a batch of image jobs to the image thread, starting it the first time.
fn send_images(
    app: &mut App,
    worker: &mut Option<images::Worker>,
    tx: &mpsc::Sender<Msg>,
    batch: images::Batch,
) {
    if worker.is_none() {
        let tx = tx.clone();
        match images::Worker::spawn(move |done| tx.send(Msg::Image(Box::new(done))).is_ok()) {
            Ok(started) => *worker = Some(started),
            Err(err) => {
                app.say(format!("cannot draw images: {err}"));
                return;
            }
        }
    }
    if let Some(worker) = worker {
        worker.submit(batch);
    }
}

/// Checks the open collection against its folder in a thread of its own.
fn spawn_index(app: &mut App, job: IndexJob, tx: &mpsc::Sender<Msg>) {
    let epoch = app.collection_epoch;
    let tx = tx.clone();
    let spawned = std::thread::Builder::new()
        .name("folio-index".into())
        .spawn(move || indexer::run(job, epoch, |msg| tx.send(msg).is_ok()));
    if let Err(err) = spawned {
        app.index_status = crate::app::change::IndexStatus::Idle;
        app.say(format!("cannot check the collection: {err}"));
    }
}

/// Starts watching the open collection's folder, beside the loop; where that is not
/// possible, a [`Msg::Watching`] says so (once, for this collection) and how to rescan
/// by hand.
fn watch_collection(app: &App, tx: &mpsc::Sender<Msg>) -> Option<Watch> {
    let root = effects::watchable_root(&app.library)?;
    Some(watch::spawn(&root, app.collection_epoch, tx.clone()))
}

/// Effects that need the terminal or leave folio are done here; the rest by `effects`.
fn perform(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    input: &Input,
    tx: &mpsc::Sender<Msg>,
    app: &mut App,
    effect: Effect,
) -> Result<()> {
    match effect {
        Effect::Suspend => {
            suspend(terminal, input)?;
            // The terminal dropped the pictures it was sent with the alternate screen.
            app.images.forget_pictures();
        }
        // Another collection: its cached list at once, checked beside the loop.
        Effect::SwitchCollection(index) => {
            let Some(collection) = app.prefs.collections.get(index).cloned() else {
                return Ok(());
            };
            if let Err(err) = indexer::check_root(&collection.path) {
                app.say(format!("cannot open collection {}: {err}", collection.name));
                return Ok(());
            }
            let mut warnings = Vec::new();
            let settings = crate::store::Settings::from_env();
            let (mut library, job) =
                indexer::prepare(&collection.path, &settings, false, &mut warnings);
            app.prefs.filter(&mut library);
            let label = collection.path.display().to_string();
            app.apply(vec![crate::app::change::LibraryChange::Replaced {
                library,
                label,
            }]);
            app.prefs.current_collection = Some(index);
            for warning in warnings {
                app.log_only(warning);
            }
            app.say(format!("collection {}", collection.name));
            app.index_status = if job.warm {
                crate::app::change::IndexStatus::Checking
            } else {
                crate::app::change::IndexStatus::Indexing
            };
            spawn_index(app, job, tx);
        }
        // Reading a whole collection again takes long enough to run beside the loop.
        Effect::Rescan => {
            let library = app.library.clone();
            let epoch = app.collection_epoch;
            let tx = tx.clone();
            let spawned = std::thread::Builder::new()
                .name("folio-rescan".into())
                .spawn(move || {
                    let _ = tx.send(match effects::rescan(&library) {
                        Some(changes) => Msg::Rescanned { epoch, changes },
                        None => Msg::RescanFailed { epoch },
                    });
                });
            if let Err(err) = spawned {
                app.say(format!("cannot rescan: {err}"));
            }
        }
        Effect::Edit(path) => edit(terminal, input, app, &path)?,
        Effect::OpenExternal(url) => {
            if let Err(err) = external::open_url(&url) {
                app.say(err);
            }
        }
        Effect::OpenImage { post_dir, url } => {
            let opened = effects::image_file(app, post_dir.as_deref(), &url)
                .and_then(|path| external::open_file(&path));
            if let Err(err) = opened {
                app.say(err);
            }
        }
        Effect::Copy(text) => {
            // Straight to the terminal, not through ratatui's buffer: it is a command
            // to the terminal, not something to draw.
            let mut out = io::stdout();
            let written = out
                .write_all(external::osc52(&text).as_bytes())
                .and_then(|()| out.flush());
            if let Err(err) = written {
                app.say(format!("cannot copy: {err}"));
            }
        }
        other => effects::perform(app, other),
    }
    Ok(())
}

/// Hands the terminal to the editor and takes it back: leave the alternate screen and
/// raw mode, run the editor in the foreground, set everything up again, redraw from
/// scratch, then reload the post.
fn edit(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    input: &Input,
    app: &mut App,
    path: &std::path::Path,
) -> Result<()> {
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    let argv = external::editor_command(visual.as_deref(), editor.as_deref());
    // Nothing of folio reads the terminal while the editor has it.
    input.pause();
    restore();
    let status = external::run_editor(&argv, path);
    activate()?;
    redraw_from_scratch(terminal)?;
    app.images.forget_pictures();
    input.resume();
    let size = terminal.size().context("cannot read the terminal size")?;
    app.resize(size.width, size.height);
    effects::perform(app, Effect::ReloadPost);
    let program = argv.first().map(String::as_str).unwrap_or("editor");
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => app.say(format!("{program} exited with {status}")),
        Err(err) => app.say(format!("cannot run {program}: {err}")),
    }
    Ok(())
}

//! The terminal's input, as messages on the event loop's channel. A thread waits for
//! terminal events without a timeout (crossterm's event stream blocks until the terminal
//! has something, and can be woken), turns each into a [`Msg`] and sends it; the loop
//! itself only ever waits on its channel, so nothing wakes folio while nothing happens.
//!
//! The thread can be parked: while `$EDITOR` has the terminal, nothing of folio may read
//! from it, or the editor would lose keystrokes. [`Input::pause`] returns only once the
//! thread has stopped reading, and [`Input::resume`] starts it again.

use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Instant;

use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use futures_core::Stream;

use crate::app::Action;
use crate::app::msg::Msg;
use crate::late_reply::LateReplies;

/// What the input thread is told, besides "the terminal has an event".
enum Control {
    /// Stop reading and say so on the acknowledgement channel.
    Pause,
    Resume,
    /// The terminal stream of this generation has something (its waker fired). A
    /// stream dropped on a pause may still wake once: its generation tells.
    Ready(u64),
}

/// Wakes the input thread when crossterm's stream of one generation has an event.
struct StreamWaker {
    tx: Mutex<Sender<Control>>,
    generation: u64,
}

impl Wake for StreamWaker {
    fn wake(self: Arc<Self>) {
        if let Ok(tx) = self.tx.lock() {
            let _ = tx.send(Control::Ready(self.generation));
        }
    }
}

pub struct Input {
    control: Sender<Control>,
    parked: Receiver<()>,
}

impl Input {
    /// Starts the thread; events go to `tx` until the receiver is dropped.
    pub fn spawn(tx: Sender<Msg>) -> std::io::Result<Input> {
        let (control_tx, control_rx) = mpsc::channel();
        let (parked_tx, parked_rx) = mpsc::channel();
        let waker_tx = control_tx.clone();
        thread::Builder::new()
            .name("folio-input".into())
            .spawn(move || run(tx, control_rx, waker_tx, parked_tx))?;
        Ok(Input {
            control: control_tx,
            parked: parked_rx,
        })
    }

    /// Stops reading the terminal; returns once the thread has let go of it.
    pub fn pause(&self) {
        if self.control.send(Control::Pause).is_ok() {
            let _ = self.parked.recv();
        }
    }

    pub fn resume(&self) {
        let _ = self.control.send(Control::Resume);
    }
}

fn run(tx: Sender<Msg>, control: Receiver<Control>, waker_tx: Sender<Control>, parked: Sender<()>) {
    let started = Instant::now();
    let mut late = LateReplies::new(crate::late_reply::owed(), started);
    let mut generation = 0;
    'reading: loop {
        generation += 1;
        let waker = Waker::from(Arc::new(StreamWaker {
            tx: Mutex::new(waker_tx.clone()),
            generation,
        }));
        let mut cx = Context::from_waker(&waker);
        let mut stream = EventStream::new();
        'waiting: loop {
            match Pin::new(&mut stream).poll_next(&mut cx) {
                Poll::Ready(Some(Ok(event))) => {
                    if let Event::Key(key) = &event
                        && !late.keep(key, Instant::now())
                    {
                        continue;
                    }
                    if let Some(msg) = to_msg(event, &started)
                        && tx.send(msg).is_err()
                    {
                        return; // the event loop is gone
                    }
                    continue;
                }
                Poll::Ready(Some(Err(e))) if e.kind() == std::io::ErrorKind::Interrupted => {
                    continue;
                }
                // The terminal is gone (closed, hung up): nothing more will come.
                Poll::Ready(Some(Err(_)) | None) => {
                    let _ = tx.send(Msg::Quit);
                    return;
                }
                Poll::Pending => {}
            }
            // Wait for this stream's waker (polling the stream before it fires would
            // wait on crossterm's lock instead), or a pause.
            loop {
                match control.recv() {
                    Ok(Control::Ready(g)) if g == generation => break,
                    Ok(Control::Ready(_) | Control::Resume) => {}
                    Ok(Control::Pause) => break 'waiting,
                    Err(_) => return,
                }
            }
        }
        // Dropping the stream wakes and ends crossterm's own waiting thread, so nothing
        // reads the terminal until `resume`.
        drop(stream);
        if parked.send(()).is_err() {
            return;
        }
        loop {
            match control.recv() {
                Ok(Control::Resume) => continue 'reading,
                Ok(Control::Ready(_)) => {}
                Ok(Control::Pause) => {
                    let _ = parked.send(());
                }
                Err(_) => return,
            }
        }
    }
}

/// The message for a terminal event; `None` for events folio ignores (key releases,
/// mouse moves, focus changes).
fn to_msg(event: Event, started: &Instant) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Mouse(MouseEvent {
            kind, column, row, ..
        }) => match kind {
            MouseEventKind::ScrollDown => Some(Msg::Wheel(Action::ScrollDown)),
            MouseEventKind::ScrollUp => Some(Msg::Wheel(Action::ScrollUp)),
            MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click {
                column,
                row,
                at_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Msg::Resize(width, height)),
        _ => None,
    }
}

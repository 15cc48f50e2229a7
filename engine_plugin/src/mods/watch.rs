//! The `notify` watcher on the mods folder: changed paths, debounced.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// Watches a folder recursively; [`ModWatcher::poll`] returns the paths that changed and
/// then stayed quiet for the debounce time (a copied folder arrives as one batch).
pub struct ModWatcher {
    _watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<Event>>,
    pending: HashMap<PathBuf, Instant>,
    debounce: Duration,
}

impl ModWatcher {
    pub fn new(dir: &Path, debounce: Duration) -> notify::Result<ModWatcher> {
        let (tx, rx) = channel();
        let mut w = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })?;
        w.watch(dir, RecursiveMode::Recursive)?;
        Ok(ModWatcher {
            _watcher: w,
            rx,
            pending: HashMap::new(),
            debounce,
        })
    }

    /// Paths changed and quiet since the debounce time. A batch is released only when
    /// every pending path is quiet, so a folder being copied is seen whole.
    pub fn poll(&mut self) -> Vec<PathBuf> {
        let now = Instant::now();
        while let Ok(ev) = self.rx.try_recv() {
            let Ok(ev) = ev else { continue };
            if matches!(
                ev.kind,
                EventKind::Access(notify::event::AccessKind::Open(_))
            ) || matches!(ev.kind, EventKind::Access(notify::event::AccessKind::Read))
            {
                continue;
            }
            for p in ev.paths {
                self.pending.insert(p, now);
            }
        }
        let quiet = self
            .pending
            .values()
            .all(|t| now.duration_since(*t) >= self.debounce);
        if !quiet || self.pending.is_empty() {
            return Vec::new();
        }
        self.pending.drain().map(|(p, _)| p).collect()
    }
}

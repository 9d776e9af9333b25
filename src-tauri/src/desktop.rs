//! The app's remembered settings (ccm-core's `DesktopSettings`): the window's size and position,
//! restored at start and saved shortly after each move or resize (not only at exit: a session
//! ended by logging out or a kill must not lose it), and the last template per library.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ccm_core::desktop_settings::{default_settings_path, Area, DesktopSettings, WindowGeometry};
use tauri::{PhysicalPosition, PhysicalSize, WebviewWindow, Window, WindowEvent};

/// Quiet time after the last move/resize before the settings file is written.
const SAVE_AFTER: Duration = Duration::from_millis(400);

pub struct DesktopState {
    /// `None` when the platform has no config folder: nothing is remembered then.
    path: Option<PathBuf>,
    settings: Arc<Mutex<DesktopSettings>>,
    window_saves: Mutex<Option<Sender<WindowGeometry>>>,
}

impl DesktopState {
    pub fn load() -> DesktopState {
        let path = default_settings_path();
        let settings = path
            .as_deref()
            .map(DesktopSettings::load)
            .unwrap_or_default();
        DesktopState {
            path,
            settings: Arc::new(Mutex::new(settings)),
            window_saves: Mutex::new(None),
        }
    }

    pub fn last_template(&self, library: &Path) -> Option<String> {
        let s = self.settings.lock().ok()?;
        s.last_template(library).map(str::to_owned)
    }

    pub fn remember_template(&self, library: &Path, id: Option<&str>) {
        if let Ok(mut s) = self.settings.lock() {
            if s.last_template(library) != id {
                s.set_last_template(library, id);
                save(self.path.as_deref(), &s);
            }
        }
    }

    /// Puts the main window where it was last time (on a monitor that is still there).
    pub fn restore_window(&self, window: &WebviewWindow, min: (u32, u32)) {
        let Some(saved) = self.settings.lock().ok().and_then(|s| s.window) else {
            return;
        };
        let monitors: Vec<Area> = window
            .available_monitors()
            .unwrap_or_default()
            .iter()
            .map(|m| Area {
                x: m.position().x,
                y: m.position().y,
                width: m.size().width,
                height: m.size().height,
            })
            .collect();
        let place = saved.placement(&monitors, min);
        let _ = window.set_size(PhysicalSize::new(place.width, place.height));
        if let Some((x, y)) = place.position {
            let _ = window.set_position(PhysicalPosition::new(x, y));
        }
        if place.maximized {
            let _ = window.maximize();
        }
    }

    /// Called for every window event: a move or resize schedules a save.
    pub fn on_window_event(&self, window: &Window, event: &WindowEvent) {
        if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            return;
        }
        let (Ok(pos), Ok(size)) = (window.outer_position(), window.inner_size()) else {
            return;
        };
        let maximized = window.is_maximized().unwrap_or(false);
        // A maximized window keeps the size it had before, so un-maximizing next time works.
        let previous = self.settings.lock().ok().and_then(|s| s.window);
        let geometry = match (maximized, previous) {
            (true, Some(p)) => WindowGeometry {
                maximized: true,
                ..p
            },
            _ => WindowGeometry {
                x: pos.x,
                y: pos.y,
                width: size.width,
                height: size.height,
                maximized,
            },
        };
        if let Some(tx) = self.saver() {
            let _ = tx.send(geometry);
        }
    }

    /// The channel to the thread that writes window geometry once moves settle.
    fn saver(&self) -> Option<Sender<WindowGeometry>> {
        let mut slot = self.window_saves.lock().ok()?;
        if slot.is_none() {
            let (tx, rx) = channel::<WindowGeometry>();
            let settings = Arc::clone(&self.settings);
            let path = self.path.clone();
            std::thread::spawn(move || {
                let mut pending: Option<WindowGeometry> = None;
                loop {
                    match rx.recv_timeout(SAVE_AFTER) {
                        Ok(g) => pending = Some(g),
                        Err(RecvTimeoutError::Timeout) => {
                            if let Some(g) = pending.take() {
                                if let Ok(mut s) = settings.lock() {
                                    s.window = Some(g);
                                    save(path.as_deref(), &s);
                                }
                            }
                        }
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            });
            *slot = Some(tx);
        }
        slot.clone()
    }
}

fn save(path: Option<&Path>, settings: &DesktopSettings) {
    if let Some(path) = path {
        if let Err(e) = settings.save(path) {
            eprintln!(
                "CCM Studio: cannot save settings to {}: {e}",
                path.display()
            );
        }
    }
}

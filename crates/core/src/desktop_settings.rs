//! What the desktop app remembers between runs, in one small JSON file in the platform config
//! folder (`~/.config/ccm-studio/settings.json`): the window's size and position, and the
//! template that was open, per library file. A missing or unreadable file means "nothing
//! remembered" — settings never stop the app from starting.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesktopSettings {
    #[serde(default)]
    pub window: Option<WindowGeometry>,
    /// Library path → id of the template open when the app last ran on it.
    #[serde(default)]
    pub last_template: BTreeMap<String, String>,
}

/// The window's outer position and inner size in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowGeometry {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub maximized: bool,
}

/// A monitor's area in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// `~/.config/ccm-studio/settings.json` (the platform config folder; `XDG_CONFIG_HOME` on Linux).
pub fn default_settings_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ccm-studio")
        .map(|d| d.config_dir().join("settings.json"))
}

impl DesktopSettings {
    /// The settings in `path`; defaults when it is missing or not valid JSON.
    pub fn load(path: &Path) -> DesktopSettings {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes atomically (a temporary file renamed over the old one), so a crash mid-write
    /// leaves the previous settings.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec_pretty(self).map_err(io::Error::other)?,
        )?;
        std::fs::rename(&tmp, path)
    }

    pub fn last_template(&self, library: &Path) -> Option<&str> {
        self.last_template.get(&key(library)).map(String::as_str)
    }

    /// Records the open template (`None`: back to the library list).
    pub fn set_last_template(&mut self, library: &Path, id: Option<&str>) {
        match id {
            Some(id) => self.last_template.insert(key(library), id.to_owned()),
            None => self.last_template.remove(&key(library)),
        };
    }
}

fn key(library: &Path) -> String {
    library
        .canonicalize()
        .unwrap_or_else(|_| library.to_owned())
        .display()
        .to_string()
}

impl WindowGeometry {
    /// Where to put the window next time: the saved geometry when its title bar area is on one
    /// of `monitors` (a monitor unplugged since must not leave the window off-screen), else only
    /// the saved size, shrunk to fit the first monitor. Never below `min` (the configured minimum).
    pub fn placement(&self, monitors: &[Area], min: (u32, u32)) -> Placement {
        let width = self.width.max(min.0);
        let height = self.height.max(min.1);
        let visible = monitors.iter().any(|m| {
            // The top-left 100×40 px, where the title bar is, lies on the monitor.
            let (right, bottom) = (m.x + m.width as i32, m.y + m.height as i32);
            self.x + 100 > m.x && self.x < right - 100 && self.y >= m.y && self.y < bottom - 40
        });
        if visible {
            return Placement {
                position: Some((self.x, self.y)),
                width,
                height,
                maximized: self.maximized,
            };
        }
        let (width, height) = match monitors.first() {
            Some(m) => (
                width.min(m.width).max(min.0),
                height.min(m.height).max(min.1),
            ),
            None => (width, height),
        };
        Placement {
            position: None,
            width,
            height,
            maximized: self.maximized,
        }
    }
}

/// What to apply to the window at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub position: Option<(i32, i32)>,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCREEN: Area = Area {
        x: 0,
        y: 0,
        width: 1920,
        height: 1080,
    };

    #[test]
    fn settings_survive_a_restart_and_a_broken_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/settings.json");
        assert_eq!(DesktopSettings::load(&path), DesktopSettings::default());
        let lib_a = dir.path().join("a.sqlite");
        let lib_b = dir.path().join("b.sqlite");
        let mut s = DesktopSettings {
            window: Some(WindowGeometry {
                x: 10,
                y: 20,
                width: 1200,
                height: 800,
                maximized: false,
            }),
            ..Default::default()
        };
        s.set_last_template(&lib_a, Some("jp-bank-payment-reminder"));
        s.set_last_template(&lib_b, Some("us-retail-spring-sale"));
        s.save(&path).unwrap();
        let loaded = DesktopSettings::load(&path);
        assert_eq!(loaded, s);
        assert_eq!(
            loaded.last_template(&lib_a),
            Some("jp-bank-payment-reminder")
        );
        assert_eq!(loaded.last_template(&lib_b), Some("us-retail-spring-sale"));

        let mut closed = loaded.clone();
        closed.set_last_template(&lib_a, None);
        assert_eq!(closed.last_template(&lib_a), None);

        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(DesktopSettings::load(&path), DesktopSettings::default());
    }

    #[test]
    fn a_window_on_screen_comes_back_where_it_was() {
        let g = WindowGeometry {
            x: 300,
            y: 200,
            width: 1300,
            height: 850,
            maximized: false,
        };
        let p = g.placement(&[SCREEN], (1024, 640));
        assert_eq!(
            p,
            Placement {
                position: Some((300, 200)),
                width: 1300,
                height: 850,
                maximized: false
            }
        );
    }

    #[test]
    fn a_window_left_on_an_unplugged_monitor_comes_back_on_the_first_one() {
        let g = WindowGeometry {
            x: 2500,
            y: 100,
            width: 2400,
            height: 1400,
            maximized: false,
        };
        let p = g.placement(&[SCREEN], (1024, 640));
        assert_eq!(
            p.position, None,
            "no position: the window manager places it"
        );
        assert_eq!(
            (p.width, p.height),
            (1920, 1080),
            "shrunk to fit the monitor"
        );
        let second = Area {
            x: 1920,
            y: 0,
            width: 2560,
            height: 1440,
        };
        assert_eq!(
            g.placement(&[SCREEN, second], (1024, 640)).position,
            Some((2500, 100))
        );
    }

    #[test]
    fn never_below_the_minimum_size() {
        let g = WindowGeometry {
            x: 0,
            y: 0,
            width: 200,
            height: 100,
            maximized: true,
        };
        let p = g.placement(&[SCREEN], (1024, 640));
        assert_eq!((p.width, p.height, p.maximized), (1024, 640, true));
    }
}

//! Watching a templates folder (and its assets) while people edit files in any editor.
//!
//! Raw file-system events are debounced (~150 ms) and then *classified* by the pure function
//! [`classify`] into what changed at the level the library cares about: one template, the
//! shared blocks, one brand. Editor temp/swap/backup files are dropped there, and a burst of
//! events for one template (vim writes `4913`, a backup, the file, then renames) becomes one
//! [`WatchEvent::TemplateChanged`].
//!
//! An event means "look again", not "this is valid": a file may be half-written or contain a
//! syntax error. Callers re-read the folder (e.g. [`crate::format::load_template_dir`]), and if
//! that fails report the errors and keep the last good version.

use crate::format::{is_ignored_file, is_valid_id, FormatError, BLOCKS_DIR};
use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, NoCache};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// How long a path must be quiet before its events are reported. Short enough that a save is
/// reported well within 500 ms, long enough to merge an editor's write-rename-chmod burst.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Folder of brands inside the assets folder.
const BRANDS_DIR: &str = "brands";

/// What changed, at the level the library acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    /// Something in `dir` (= templates folder / `id`) was created, changed or removed, or the
    /// folder itself appeared. Re-read and validate the folder.
    TemplateChanged { id: String, dir: PathBuf },
    /// The template folder no longer exists.
    TemplateRemoved { id: String },
    /// A file in `templates/_blocks/` changed; re-read the blocks (templates that include them
    /// may change validity).
    BlocksChanged,
    /// Something in `assets/brands/<id>/` changed (or the folder was removed); re-read it.
    BrandChanged { id: String },
    /// The operating system dropped events (queue overflow): re-read everything.
    Rescan,
    /// Something that cannot be acted on: a symbolic link in the library, a watch error.
    Problem(FormatError),
}

/// The part of a raw event that matters for classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    Create,
    Modify,
    Remove,
    Rename,
    /// Access, metadata-only changes and the like: never a content change.
    Other,
}

/// A file-system event, independent of `notify` so classification can be tested without a disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    pub kind: RawKind,
    /// For renames: from, then to (either may be missing when the other side is outside the
    /// watched folder).
    pub paths: Vec<PathBuf>,
    /// The OS dropped events; the whole tree must be re-read.
    pub rescan: bool,
}

impl RawEvent {
    pub fn new(kind: RawKind, paths: &[&Path]) -> Self {
        RawEvent {
            kind,
            paths: paths.iter().map(|p| p.to_path_buf()).collect(),
            rescan: false,
        }
    }

    pub fn from_notify(event: &notify::Event) -> Self {
        let kind = match event.kind {
            EventKind::Create(_) => RawKind::Create,
            EventKind::Modify(ModifyKind::Metadata(_)) => RawKind::Other,
            EventKind::Modify(ModifyKind::Name(_)) => RawKind::Rename,
            EventKind::Modify(_) | EventKind::Any => RawKind::Modify,
            EventKind::Remove(_) => RawKind::Remove,
            EventKind::Access(_) | EventKind::Other => RawKind::Other,
        };
        RawEvent {
            kind,
            paths: event.paths.clone(),
            rescan: event.need_rescan(),
        }
    }
}

/// What is at a path now, without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathState {
    Missing,
    File,
    Dir,
    Symlink,
}

/// Looks at the disk (`symlink_metadata`, so links are not followed).
pub fn probe_disk(path: &Path) -> PathState {
    match std::fs::symlink_metadata(path) {
        Err(_) => PathState::Missing,
        Ok(m) if m.file_type().is_symlink() => PathState::Symlink,
        Ok(m) if m.is_dir() => PathState::Dir,
        Ok(_) => PathState::File,
    }
}

/// Turns a batch of raw events into library-level events.
///
/// Pure apart from `probe`, which says what is at a path *now* (tests pass a closure; the
/// watcher passes [`probe_disk`]). Asking the disk at classification time rather than
/// trusting event order is what makes "removed then recreated" (git checkout, atomic saves of
/// whole folders) come out right.
///
/// Output order: `Rescan`, problems, `BlocksChanged`, `BrandChanged` (by id), then template
/// events (by id) — blocks and brands first because templates are validated against them.
/// At most one event per template, brand, or blocks folder. Ignored: editor temp files,
/// hidden entries at the top of the templates folder (`.git`), plain files at the top of the
/// templates folder (a README), access and metadata-only events, paths outside both roots,
/// and everything in the assets folder outside `brands/`.
pub fn classify(
    templates_dir: &Path,
    assets_dir: Option<&Path>,
    events: &[RawEvent],
    probe: impl Fn(&Path) -> PathState,
) -> Vec<WatchEvent> {
    let mut rescan = false;
    let mut templates = BTreeSet::new();
    let mut blocks = false;
    let mut brands = BTreeSet::new();
    let mut problems = BTreeMap::new();

    for event in events {
        rescan |= event.rescan;
        if event.kind == RawKind::Other {
            continue;
        }
        for path in &event.paths {
            if is_ignored_file(path) {
                continue;
            }
            if let Ok(rel) = path.strip_prefix(templates_dir) {
                let Some(parts) = normal_parts(rel) else {
                    continue;
                };
                let Some(first) = parts.first() else {
                    if probe(templates_dir) != PathState::Dir {
                        problems.insert(
                            path.clone(),
                            FormatError::new(
                                path,
                                "the watched templates folder was removed or renamed",
                                "changes are no longer seen; restore the folder and start watching again",
                            ),
                        );
                    }
                    continue;
                };
                if first.starts_with('.') || *first == crate::format::ARCHIVE_DIR {
                    continue;
                }
                if *first == BLOCKS_DIR {
                    blocks = true;
                    continue;
                }
                if parts.len() > 1 {
                    templates.insert(first.to_string());
                    continue;
                }
                match probe(path) {
                    PathState::Dir => {
                        templates.insert(first.to_string());
                    }
                    // Gone: a removed template folder (or a removed top-level file, which a
                    // valid id rules out in practice: template ids have no dots).
                    PathState::Missing if is_valid_id(first) => {
                        templates.insert(first.to_string());
                    }
                    PathState::Symlink => {
                        problems.insert(path.clone(), symlink_problem(path));
                    }
                    PathState::Missing | PathState::File => {}
                }
            } else if let Some(rel) = assets_dir.and_then(|a| path.strip_prefix(a).ok()) {
                let Some(parts) = normal_parts(rel) else {
                    continue;
                };
                if let [BRANDS_DIR, id, ..] = parts.as_slice() {
                    if !id.starts_with('.') {
                        brands.insert(id.to_string());
                    }
                }
            }
        }
    }

    let mut out = Vec::new();
    if rescan {
        out.push(WatchEvent::Rescan);
    }
    out.extend(problems.into_values().map(WatchEvent::Problem));
    if blocks {
        out.push(WatchEvent::BlocksChanged);
    }
    out.extend(brands.into_iter().map(|id| WatchEvent::BrandChanged { id }));
    for id in templates {
        let dir = templates_dir.join(&id);
        match probe(&dir) {
            PathState::Dir => out.push(WatchEvent::TemplateChanged { id, dir }),
            PathState::Missing => out.push(WatchEvent::TemplateRemoved { id }),
            PathState::Symlink => out.push(WatchEvent::Problem(symlink_problem(&dir))),
            PathState::File => {}
        }
    }
    out
}

/// The path's components as UTF-8 names; `None` if any is `..`, a root, or not UTF-8.
fn normal_parts(rel: &Path) -> Option<Vec<&str>> {
    rel.components()
        .map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect()
}

fn symlink_problem(path: &Path) -> FormatError {
    FormatError::new(
        path,
        "this is a symbolic link; links are not followed inside a library folder",
        "replace the link with the real file or folder",
    )
}

/// Keeps the watcher alive; dropping it stops watching.
pub struct WatchHandle {
    _debouncer: Debouncer<RecommendedWatcher, NoCache>,
    templates_dir: PathBuf,
}

impl WatchHandle {
    /// The canonical templates folder being watched (event paths start with it).
    pub fn templates_dir(&self) -> &Path {
        &self.templates_dir
    }
}

/// Watches `templates_dir` (and `assets_dir/brands` when given) recursively and calls
/// `on_events` with each non-empty batch of classified events, on the watcher's thread.
///
/// Symbolic links are never followed (so a link loop cannot hang the watcher); links found in
/// the tree at start are reported as [`WatchEvent::Problem`]s through `on_events` before this
/// returns. Watch errors from the OS are reported as problems too. Paths in events are under
/// the canonicalised folders.
pub fn watch(
    templates_dir: &Path,
    assets_dir: Option<&Path>,
    mut on_events: impl FnMut(Vec<WatchEvent>) + Send + 'static,
) -> Result<WatchHandle, FormatError> {
    let canonical = |dir: &Path, what: &str| {
        dir.canonicalize().map_err(|e| {
            FormatError::new(
                dir,
                format!("cannot watch the {what} folder: {e}"),
                "give the path of an existing folder",
            )
        })
    };
    let templates_dir = canonical(templates_dir, "templates")?;
    let assets_dir = assets_dir.map(|a| canonical(a, "assets")).transpose()?;

    let mut startup = Vec::new();
    find_symlinks(&templates_dir, 0, &mut startup);
    if let Some(assets) = &assets_dir {
        find_symlinks(&assets.join(BRANDS_DIR), 0, &mut startup);
    }
    if !startup.is_empty() {
        on_events(
            startup
                .into_iter()
                .map(|p| WatchEvent::Problem(symlink_problem(&p)))
                .collect(),
        );
    }

    let (roots_templates, roots_assets) = (templates_dir.clone(), assets_dir.clone());
    let handler = move |result: DebounceEventResult| {
        let batch = match result {
            Ok(events) => {
                let raw: Vec<RawEvent> = events.iter().map(|e| RawEvent::from_notify(&e.event)).collect();
                classify(&roots_templates, roots_assets.as_deref(), &raw, probe_disk)
            }
            Err(errors) => errors
                .into_iter()
                .map(|e| {
                    let path = e.paths.first().cloned().unwrap_or_else(|| roots_templates.clone());
                    WatchEvent::Problem(FormatError::new(
                        path,
                        format!("watching failed: {e}"),
                        "changes here may be missed; restart the watch, and if the folder is huge raise fs.inotify.max_user_watches",
                    ))
                })
                .collect(),
        };
        if !batch.is_empty() {
            on_events(batch);
        }
    };
    let watch_error = |e: notify::Error| {
        FormatError::new(
            &templates_dir,
            format!("cannot start watching: {e}"),
            "check the folder exists and you may read it",
        )
    };
    // No file-id cache: it walks the tree following links, and classification does not need
    // rename pairs (both sides map to their template anyway).
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut debouncer = new_debouncer_opt::<_, RecommendedWatcher, NoCache>(
        DEBOUNCE, None, handler, NoCache, config,
    )
    .map_err(watch_error)?;
    debouncer
        .watch(&templates_dir, RecursiveMode::Recursive)
        .map_err(watch_error)?;
    if let Some(assets) = &assets_dir {
        let brands = assets.join(BRANDS_DIR);
        let target = if brands.is_dir() {
            brands
        } else {
            assets.clone()
        };
        debouncer
            .watch(&target, RecursiveMode::Recursive)
            .map_err(watch_error)?;
    }
    Ok(WatchHandle {
        _debouncer: debouncer,
        templates_dir,
    })
}

/// Lists symbolic links under `dir` without following any (depth-limited).
fn find_symlinks(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    const MAX_DEPTH: usize = 8;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        match entry.file_type() {
            Ok(t) if t.is_symlink() => out.push(entry.path()),
            Ok(t) if t.is_dir() && depth < MAX_DEPTH => {
                find_symlinks(&entry.path(), depth + 1, out)
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::mpsc;

    const T: &str = "/lib/templates";
    const A: &str = "/lib/assets";

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    /// A fake disk: listed paths have the given state, everything else is missing.
    fn disk(entries: &[(&str, PathState)]) -> impl Fn(&Path) -> PathState {
        let map: HashMap<PathBuf, PathState> = entries.iter().map(|(k, v)| (p(k), *v)).collect();
        move |path| map.get(path).copied().unwrap_or(PathState::Missing)
    }

    fn ev(kind: RawKind, paths: &[&str]) -> RawEvent {
        RawEvent {
            kind,
            paths: paths.iter().map(|s| p(s)).collect(),
            rescan: false,
        }
    }

    fn run(events: &[RawEvent], probe: impl Fn(&Path) -> PathState) -> Vec<WatchEvent> {
        classify(Path::new(T), Some(Path::new(A)), events, probe)
    }

    fn changed(id: &str) -> WatchEvent {
        WatchEvent::TemplateChanged {
            id: id.into(),
            dir: Path::new(T).join(id),
        }
    }

    #[test]
    fn vim_save_burst_is_one_template_change() {
        let d = "/lib/templates/pay";
        let events = [
            ev(RawKind::Create, &[&format!("{d}/4913")]),
            ev(RawKind::Remove, &[&format!("{d}/4913")]),
            ev(
                RawKind::Rename,
                &[&format!("{d}/email.md"), &format!("{d}/email.md~")],
            ),
            ev(RawKind::Create, &[&format!("{d}/email.md")]),
            ev(RawKind::Modify, &[&format!("{d}/email.md")]),
            ev(RawKind::Other, &[&format!("{d}/email.md")]),
            ev(RawKind::Remove, &[&format!("{d}/email.md~")]),
            ev(RawKind::Modify, &[&format!("{d}/.email.md.swp")]),
        ];
        assert_eq!(
            run(&events, disk(&[(d, PathState::Dir)])),
            vec![changed("pay")]
        );
    }

    #[test]
    fn temp_files_and_metadata_alone_change_nothing() {
        let d = "/lib/templates/pay";
        let events = [
            ev(RawKind::Modify, &[&format!("{d}/.email.md.swp")]),
            ev(RawKind::Create, &[&format!("{d}/.email.md.1.2.tmp")]),
            ev(RawKind::Create, &[&format!("{d}/email.md___jb_tmp___")]),
            ev(RawKind::Other, &[&format!("{d}/email.md")]),
        ];
        assert!(run(&events, disk(&[(d, PathState::Dir)])).is_empty());
    }

    #[test]
    fn atomic_save_by_rename_counts_for_the_target() {
        let d = "/lib/templates/pay";
        let events = [ev(
            RawKind::Rename,
            &[&format!("{d}/.goutputstream-XYZ"), &format!("{d}/sms.txt")],
        )];
        assert_eq!(
            run(&events, disk(&[(d, PathState::Dir)])),
            vec![changed("pay")]
        );
    }

    #[test]
    fn removed_and_recreated_folders() {
        let events = [
            ev(RawKind::Remove, &["/lib/templates/old/email.md"]),
            ev(RawKind::Remove, &["/lib/templates/old"]),
            ev(RawKind::Remove, &["/lib/templates/back"]),
            ev(RawKind::Create, &["/lib/templates/back"]),
        ];
        let out = run(&events, disk(&[("/lib/templates/back", PathState::Dir)]));
        assert_eq!(
            out,
            vec![
                changed("back"),
                WatchEvent::TemplateRemoved { id: "old".into() }
            ]
        );
    }

    #[test]
    fn renamed_template_folder_is_removed_plus_changed() {
        let events = [ev(
            RawKind::Rename,
            &["/lib/templates/a", "/lib/templates/b"],
        )];
        let out = run(&events, disk(&[("/lib/templates/b", PathState::Dir)]));
        assert_eq!(
            out,
            vec![WatchEvent::TemplateRemoved { id: "a".into() }, changed("b")]
        );
    }

    #[test]
    fn blocks_brands_and_unrelated_files() {
        let events = [
            ev(
                RawKind::Modify,
                &["/lib/templates/_blocks/legal-footer.ja.md"],
            ),
            ev(
                RawKind::Modify,
                &["/lib/templates/_blocks/legal-footer.en.md"],
            ),
            ev(RawKind::Modify, &["/lib/templates/README.md"]),
            ev(RawKind::Modify, &["/lib/templates/.git/index"]),
            ev(
                RawKind::Modify,
                &["/lib/assets/brands/sakura-bank/logo.png"],
            ),
            ev(
                RawKind::Modify,
                &["/lib/assets/fonts/NotoSansJP-Regular.ttf"],
            ),
            ev(RawKind::Modify, &["/elsewhere/x.md"]),
        ];
        let out = run(
            &events,
            disk(&[("/lib/templates/README.md", PathState::File)]),
        );
        assert_eq!(
            out,
            vec![
                WatchEvent::BlocksChanged,
                WatchEvent::BrandChanged {
                    id: "sakura-bank".into()
                }
            ]
        );
    }

    #[test]
    fn symlink_at_the_top_is_a_problem_not_a_template() {
        let events = [ev(RawKind::Create, &["/lib/templates/loop"])];
        let out = run(
            &events,
            disk(&[("/lib/templates/loop", PathState::Symlink)]),
        );
        assert_eq!(out.len(), 1);
        let WatchEvent::Problem(e) = &out[0] else {
            panic!("{out:?}")
        };
        assert!(e
            .to_string()
            .starts_with("/lib/templates/loop: this is a symbolic link"));
    }

    #[test]
    fn removing_the_watched_folder_is_a_problem() {
        let out = run(&[ev(RawKind::Remove, &[T])], disk(&[]));
        let [WatchEvent::Problem(e)] = out.as_slice() else {
            panic!("{out:?}")
        };
        assert!(e.message.contains("removed or renamed"));
        assert!(run(&[ev(RawKind::Modify, &[T])], disk(&[(T, PathState::Dir)])).is_empty());
    }

    #[test]
    fn rescan_is_passed_on() {
        let mut e = ev(RawKind::Other, &[]);
        e.rescan = true;
        assert_eq!(run(&[e], disk(&[])), vec![WatchEvent::Rescan]);
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Waits for a batch matching `want`; the timeout only guards against a hang.
    fn wait_for(
        rx: &mpsc::Receiver<Vec<WatchEvent>>,
        want: impl Fn(&WatchEvent) -> bool,
    ) -> Vec<WatchEvent> {
        let mut seen = Vec::new();
        while let Ok(batch) = rx.recv_timeout(Duration::from_secs(20)) {
            let hit = batch.iter().any(&want);
            seen.extend(batch);
            if hit {
                return seen;
            }
        }
        panic!("expected event not seen; got {seen:?}");
    }

    #[test]
    fn watching_reports_a_saved_file_as_its_template() {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join("templates");
        write(&templates.join("pay/sms.txt"), "v1\n");
        let (tx, rx) = mpsc::channel();
        let handle = watch(&templates, None, move |batch| {
            let _ = tx.send(batch);
        })
        .unwrap();
        write(&templates.join("pay/.sms.txt.swp"), "swap");
        write(&templates.join("pay/sms.txt"), "v2\n");
        let seen = wait_for(
            &rx,
            |e| matches!(e, WatchEvent::TemplateChanged { id, .. } if id == "pay"),
        );
        assert!(
            seen.iter()
                .all(|e| matches!(e, WatchEvent::TemplateChanged { .. })),
            "{seen:?}"
        );
        let dir = handle.templates_dir().join("pay");
        assert!(seen.contains(&WatchEvent::TemplateChanged {
            id: "pay".into(),
            dir
        }));

        std::fs::remove_dir_all(templates.join("pay")).unwrap();
        wait_for(
            &rx,
            |e| matches!(e, WatchEvent::TemplateRemoved { id } if id == "pay"),
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_in_the_watched_folder_is_a_problem_not_a_hang() {
        let root = tempfile::tempdir().unwrap();
        let templates = root.path().join("templates");
        write(&templates.join("pay/sms.txt"), "v1\n");
        std::os::unix::fs::symlink(&templates, templates.join("loop")).unwrap();
        std::os::unix::fs::symlink("../pay", templates.join("pay/self")).unwrap();
        let (tx, rx) = mpsc::channel();
        let _handle = watch(&templates, None, move |batch| {
            let _ = tx.send(batch);
        })
        .unwrap();
        let startup = rx.recv_timeout(Duration::from_secs(20)).unwrap();
        let problems: Vec<String> = startup
            .iter()
            .map(|e| match e {
                WatchEvent::Problem(p) => p.to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains("loop: this is a symbolic link"),
            "{problems:?}"
        );
        assert!(problems[1].contains("pay/self: this is a symbolic link"));
        // Still watching normally afterwards.
        write(&templates.join("pay/sms.txt"), "v2\n");
        wait_for(
            &rx,
            |e| matches!(e, WatchEvent::TemplateChanged { id, .. } if id == "pay"),
        );
    }
}

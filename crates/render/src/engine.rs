//! The warm renderer: what stays loaded between renders. It is meant to live as long as the
//! app: parsed Tera templates (keyed by sha256 of their sources), checked images (keyed by
//! content hash) and the print compiler (fonts loaded once, lazily, on the first print render).

use crate::context::{ChannelTemplates, TemplateSet};
use crate::images::{self, ImageCheck};
use crate::push;
use ccm_core::diagnostic::Diagnostic;
use ccm_core::model::ContentHash;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// How many parsed template sets stay cached (a few per open template and locale).
const TEMPLATE_CACHE_CAPACITY: usize = 256;
const IMAGE_CACHE_CAPACITY: usize = 64;

pub(crate) type Built = Arc<Result<ChannelTemplates, Vec<Diagnostic>>>;

/// A small least-recently-used map. Eviction scans (n ≤ a few hundred), inserts are rare.
struct Lru<K, V> {
    map: HashMap<K, (V, u64)>,
    tick: u64,
    capacity: usize,
}

impl<K: std::hash::Hash + Eq + Clone, V: Clone> Lru<K, V> {
    fn new(capacity: usize) -> Self {
        Lru {
            map: HashMap::new(),
            tick: 0,
            capacity,
        }
    }
    fn get(&mut self, k: &K) -> Option<V> {
        self.tick += 1;
        let t = self.tick;
        self.map.get_mut(k).map(|(v, used)| {
            *used = t;
            v.clone()
        })
    }
    fn insert(&mut self, k: K, v: V) {
        if self.map.len() >= self.capacity && !self.map.contains_key(&k) {
            if let Some(oldest) = self
                .map
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            {
                self.map.remove(&oldest);
            }
        }
        self.tick += 1;
        self.map.insert(k, (v, self.tick));
    }
}

/// The warm renderer. `Send + Sync`: share one per process.
pub struct Engine {
    templates: Mutex<Lru<[u8; 32], Built>>,
    images: Mutex<Lru<ContentHash, Arc<Result<ImageCheck, String>>>>,
    printer: OnceLock<Result<ccm_print::Printer, String>>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    pub fn new() -> Self {
        Engine {
            templates: Mutex::new(Lru::new(TEMPLATE_CACHE_CAPACITY)),
            images: Mutex::new(Lru::new(IMAGE_CACHE_CAPACITY)),
            printer: OnceLock::new(),
        }
    }

    pub(crate) fn printer(&self) -> Result<&ccm_print::Printer, String> {
        self.printer
            .get_or_init(|| ccm_print::Printer::new().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parsed templates for `set`, from the cache when its sources were seen before.
    pub(crate) fn templates(&self, set: &TemplateSet<'_>) -> Built {
        let key = set.cache_key();
        if let Some(hit) = self.templates.lock().ok().and_then(|mut c| c.get(&key)) {
            return hit;
        }
        let built: Built = Arc::new(set.build());
        if let Ok(mut c) = self.templates.lock() {
            c.insert(key, built.clone());
        }
        built
    }

    pub(crate) fn image(&self, bytes: &[u8]) -> Arc<Result<ImageCheck, String>> {
        let key = ContentHash::of_bytes(bytes);
        if let Some(hit) = self.images.lock().ok().and_then(|mut c| c.get(&key)) {
            return hit;
        }
        let checked = Arc::new(images::check_image(bytes, push::IMAGE_MAX_BYTES));
        if let Ok(mut c) = self.images.lock() {
            c.insert(key, checked.clone());
        }
        checked
    }
}

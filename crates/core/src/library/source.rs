//! What rendering reads from a library, as a small trait. The live preview's drafts (and later
//! batch runs and packs) need three things — a brand kit, the shared blocks and a template's
//! saved files — not a SQLite connection; the [`Store`] is one source, an in-memory set of
//! files (tests, a pack being verified) is another.

use crate::model::{Block, Brand, TemplateFiles};
use crate::store::Store;
use crate::Result;

pub trait LibrarySource {
    /// The latest version of brand kit `id`; `Error::NotFound` when the library has none.
    fn brand(&self, id: &str) -> Result<Brand>;
    /// The latest version of every shared block.
    fn blocks(&self) -> Result<Vec<Block>>;
    /// The latest saved files of template `id`; `None` for a template never saved.
    fn saved_files(&self, id: &str) -> Option<TemplateFiles>;
}

impl LibrarySource for Store {
    fn brand(&self, id: &str) -> Result<Brand> {
        Store::brand(self, id)
    }

    fn blocks(&self) -> Result<Vec<Block>> {
        Store::blocks(self)
    }

    fn saved_files(&self, id: &str) -> Option<TemplateFiles> {
        self.get(id, None).ok().map(|v| v.files)
    }
}

//! Creating templates in the library — from a starter ([`create_from_starter`]) or as a copy of
//! another template ([`create_copy`]). Both end in [`create_template`], which refuses an id that
//! is already taken and a template whose brand or blocks the library does not have.

use std::collections::BTreeMap;

use serde::Serialize;

use super::duplicate::duplicate;
use super::new_id::{id_problem, validate_new_id, IdProblem};
use super::starter::{starter_files, StarterOptions};
use crate::error::{Error, Result};
use crate::format::{check_references, parse_template};
use crate::model::{Brand, ContentHash, Purpose, TemplateFiles};
use crate::store::{ListFilter, Store};

/// A template that was just created (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Created {
    pub id: String,
    pub version: u32,
    pub hash: ContentHash,
    /// The files stored, e.g. to write them out with `--out`.
    pub files: TemplateFiles,
}

/// Stores `files` as a new template after checking that its brand and every block it
/// includes are in the library. An id already in the library is [`Error::AlreadyExists`].
pub fn create_template(
    store: &mut Store,
    files: TemplateFiles,
    author: &str,
    message: &str,
) -> Result<Created> {
    let source = parse_template(&files).map_err(Error::Invalid)?;
    let id = source.manifest.id.clone();
    refuse_taken(store, &id)?;
    let brand = library_brand(store, &source.manifest.brand)?;
    let problems = check_references(&source, &store.blocks()?, std::slice::from_ref(&brand));
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let (id, outcome) = store.create_template(files.clone(), author, message)?;
    Ok(Created {
        id,
        version: outcome.version(),
        hash: outcome.hash().clone(),
        files,
    })
}

/// A new template from the starter for `opts` (see [`starter_files`]).
pub fn create_from_starter(
    store: &mut Store,
    opts: &StarterOptions,
    author: &str,
) -> Result<Created> {
    validate_new_id(&opts.id)?;
    refuse_taken(store, &opts.id)?;
    let brand = library_brand(store, &opts.brand)?;
    if opts.purpose == Purpose::Marketing
        && brand
            .kit
            .contact
            .opt_out_url
            .as_deref()
            .is_none_or(str::is_empty)
    {
        return Err(Error::InvalidInput {
            field: "brand",
            message: format!(
                "brand `{}` has no opt-out URL, which every marketing message must show",
                opts.brand
            ),
            hint: format!(
                "add opt_out_url under [contact] in assets/brands/{}/brand.toml and import it, or choose another brand",
                opts.brand
            ),
        });
    }
    let files = starter_files(opts)?;
    create_template(store, files, author, "new template from the starter")
}

/// A copy of the latest version of `from_id` named `new_id` / `new_name` (see [`duplicate`]).
pub fn create_copy(
    store: &mut Store,
    from_id: &str,
    new_id: &str,
    new_name: &str,
    author: &str,
) -> Result<Created> {
    validate_new_id(new_id)?;
    refuse_taken(store, new_id)?;
    let original = store.get(from_id, None)?;
    let files = duplicate(&original.files, new_id, new_name)?;
    let message = format!("copy of {from_id} v{}", original.number);
    create_template(store, files, author, &message)
}

/// Whether `id` can be the id of a new template, for checking while a person types.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdStatus {
    /// What is wrong with the id's spelling; `None` when it is a valid id.
    pub problem: Option<IdProblem>,
    /// True when a template with this id is already in the library.
    pub taken: bool,
}

pub fn id_status(store: &Store, id: &str) -> Result<IdStatus> {
    let problem = id_problem(id);
    Ok(IdStatus {
        problem,
        taken: problem.is_none() && store.template_exists(id)?,
    })
}

/// A brand a new template can use, with what a new-template form preselects for it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrandChoice {
    pub id: String,
    pub name: String,
    /// The brand kit's own locale (the starter's default locale when it has copy in it).
    pub default_locale: String,
    /// The industry most of the brand's templates have; `None` before it has any.
    pub usual_industry: Option<String>,
}

/// Every brand kit in the library, ordered by id.
pub fn brand_choices(store: &Store) -> Result<Vec<BrandChoice>> {
    store
        .brands()?
        .into_iter()
        .map(|b| {
            let kit = store.brand(&b.id)?.kit;
            Ok(BrandChoice {
                usual_industry: usual_industry(store, &b.id)?,
                id: b.id,
                name: b.name,
                default_locale: kit.default_locale,
            })
        })
        .collect()
}

/// The industry most of `brand`'s templates have (a tie goes to the first in name order).
pub fn usual_industry(store: &Store, brand: &str) -> Result<Option<String>> {
    let filter = ListFilter {
        brand: Some(brand.to_string()),
        ..ListFilter::default()
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for t in store.list(&filter)? {
        *counts.entry(t.industry).or_default() += 1;
    }
    let mut best: Option<(String, usize)> = None;
    for (industry, n) in counts {
        if best.as_ref().is_none_or(|(_, m)| n > *m) {
            best = Some((industry, n));
        }
    }
    Ok(best.map(|(i, _)| i))
}

fn refuse_taken(store: &Store, id: &str) -> Result<()> {
    if store.template_exists(id)? {
        return Err(Error::AlreadyExists {
            what: "template",
            id: id.to_string(),
        });
    }
    Ok(())
}

/// The brand kit `id` from the library, or [`Error::InvalidInput`] listing the brands there
/// are and how to add one.
pub fn library_brand(store: &Store, id: &str) -> Result<Brand> {
    match store.brand(id) {
        Err(Error::NotFound { .. }) => {
            let ids: Vec<String> = store.brands()?.into_iter().map(|b| b.id).collect();
            let choose = if ids.is_empty() {
                "the library has no brand kits yet".to_string()
            } else {
                format!("choose one of {}", ids.join(", "))
            };
            Err(Error::InvalidInput {
                field: "brand",
                message: format!("brand `{id}` is not in the library"),
                hint: format!(
                    "{choose}, or import the brand kit (assets/brands/{id}/) with `ccm import`"
                ),
            })
        }
        other => other,
    }
}

#[cfg(test)]
mod tests;

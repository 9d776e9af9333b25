//! A new template from scratch: [`starter_files`] writes a complete template folder in the
//! file format (docs/FILE-FORMAT.md) for the choices a designer makes — purpose, brand,
//! locales, channels — with placeholder copy to replace and two sample customers. A starter
//! parses, renders every channel and passes the rule packs it declares, so the designer starts
//! from a green preview and every finding that appears later is about their own words.

mod copy;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use self::copy::{Lang, Market, Voice};
use super::new_id::validate_new_id;
use crate::error::{Error, Result};
use crate::format::{is_valid_id, MANIFEST_FILE};
use crate::model::{Channel, Purpose, TemplateFiles};

/// The locales starter copy is written in.
pub const STARTER_LOCALES: [&str; 2] = ["ja", "en"];

/// What a designer chooses for a new template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarterOptions {
    /// Template id, `[a-z0-9-]+` (also the folder name).
    pub id: String,
    pub name: String,
    /// Brand kit id (`assets/brands/<brand>/`).
    pub brand: String,
    pub purpose: Purpose,
    /// bank | insurance | telco | utility | retail | … (lowercase, `-` between words).
    pub industry: String,
    /// Default locale first; each one of [`STARTER_LOCALES`].
    pub locales: Vec<String>,
    /// Any of the four, in any order (written in the canonical order).
    pub channels: Vec<Channel>,
}

/// The files of a new template for `opts`, or [`Error::InvalidInput`] naming the first
/// option that cannot be used and what to choose instead.
pub fn starter_files(opts: &StarterOptions) -> Result<TemplateFiles> {
    check_options(opts)?;
    let default_locale = opts.locales[0].as_str();
    let market = Market::of(default_locale);
    let channels: Vec<Channel> = Channel::ALL
        .into_iter()
        .filter(|c| opts.channels.contains(c))
        .collect();
    let has_print = channels.contains(&Channel::Print);

    let mut files = TemplateFiles::default();
    let mut put = |path: String, text: String| {
        files.0.insert(path, text);
    };
    put(
        MANIFEST_FILE.to_string(),
        manifest(opts, market, &channels, has_print),
    );
    for locale in &opts.locales {
        let voice = Voice {
            lang: Lang::of(locale),
            market,
            purpose: opts.purpose,
        };
        for &channel in &channels {
            let text = match channel {
                Channel::Email => copy::email(voice),
                Channel::Sms => copy::sms(voice),
                Channel::Push => copy::push(voice),
                Channel::Print => copy::print(voice),
            };
            put(channel.source_file(locale, default_locale), text);
        }
    }
    for (id, text) in copy::personas(market, opts.purpose, has_print) {
        put(format!("data/{id}.json"), text);
    }
    Ok(files)
}

fn check_options(opts: &StarterOptions) -> Result<()> {
    validate_new_id(&opts.id)?;
    validate_name(&opts.name)?;
    if !is_valid_id(&opts.brand) {
        return Err(Error::InvalidInput {
            field: "brand",
            message: format!("`{}` is not a brand id", opts.brand),
            hint: "use the id of a brand kit in the library (a folder name in assets/brands/)"
                .into(),
        });
    }
    if !is_valid_id(&opts.industry) {
        return Err(Error::InvalidInput {
            field: "industry",
            message: format!(
                "industry `{}` may only use lowercase letters a-z, digits and `-`",
                opts.industry
            ),
            hint: "use a word such as bank, insurance, telco, utility or retail".into(),
        });
    }
    if opts.locales.is_empty() {
        return Err(Error::InvalidInput {
            field: "locales",
            message: "no locale was chosen".into(),
            hint: "choose ja, en or both (the first is the default locale)".into(),
        });
    }
    for (i, locale) in opts.locales.iter().enumerate() {
        if !STARTER_LOCALES.contains(&locale.as_str()) {
            return Err(Error::InvalidInput {
                field: "locales",
                message: format!("there is no starter copy in locale `{locale}`"),
                hint: "choose ja and/or en; add other locales' files to the template afterwards"
                    .into(),
            });
        }
        if opts.locales[..i].contains(locale) {
            return Err(Error::InvalidInput {
                field: "locales",
                message: format!("locale `{locale}` is chosen twice"),
                hint: "list each locale once, the default first".into(),
            });
        }
    }
    if opts.channels.is_empty() {
        return Err(Error::InvalidInput {
            field: "channels",
            message: "no channel was chosen".into(),
            hint: "choose at least one of email, sms, push and print".into(),
        });
    }
    Ok(())
}

/// A template name: something people recognise in the library list, on one line.
pub fn validate_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::InvalidInput {
            field: "name",
            message: "the name is empty".into(),
            hint: "give the template a name people will recognise in the library list".into(),
        });
    }
    if name.chars().any(char::is_control) {
        return Err(Error::InvalidInput {
            field: "name",
            message: "the name contains a line break or another control character".into(),
            hint: "write the name on one line".into(),
        });
    }
    Ok(())
}

/// `template.toml` for a starter: the options, the rule packs that apply to its market,
/// purpose and channels, and the variables its files use.
fn manifest(
    opts: &StarterOptions,
    market: Market,
    channels: &[Channel],
    has_print: bool,
) -> String {
    let ja = market == Market::Japan;
    let description = if ja {
        "このテンプレートの用途（いつ・どなたに送るか）をここに書きます。"
    } else {
        "What this template is for: when it is sent, and to whom."
    };
    let list = |items: &[&str]| {
        let quoted: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let locales: Vec<&str> = opts.locales.iter().map(String::as_str).collect();
    let channel_names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
    let purpose = match opts.purpose {
        Purpose::Transactional => "transactional",
        Purpose::Marketing => "marketing",
    };

    let mut s = String::new();
    // `write!` into a String cannot fail.
    let _ = writeln!(s, "id = {}", toml_string(&opts.id));
    let _ = writeln!(s, "name = {}", toml_string(opts.name.trim()));
    let _ = writeln!(s, "description = {}", toml_string(description));
    let _ = writeln!(s, "tags = []");
    let _ = writeln!(s, "industry = {}", toml_string(&opts.industry));
    let _ = writeln!(s, "purpose = {}", toml_string(purpose));
    let _ = writeln!(s, "brand = {}", toml_string(&opts.brand));
    let _ = writeln!(s, "default_locale = {}", toml_string(&opts.locales[0]));
    let _ = writeln!(s, "locales = {}", list(&locales));
    let _ = writeln!(
        s,
        "rule_packs = {}",
        list(&rule_packs(market, opts.purpose, channels))
    );
    let _ = writeln!(s, "channels = {}", list(&channel_names));
    s.push('\n');
    s.push_str(if ja {
        "# 差し込み項目: 各ファイルの {{ … }} で使う名前と、data/*.json のサンプル顧客が持つ値。\n"
    } else {
        "# Variables: the names used in {{ … }} in the channel files, with values in data/*.json.\n"
    });
    for v in copy::variables(market, opts.purpose, has_print) {
        let _ = write!(
            s,
            "\n[[variables]]\nname = {}\ntype = {}\nrequired = {}\ndescription = {}\nexample = {}\n",
            toml_string(v.name),
            toml_string(v.kind),
            v.required,
            toml_string(v.description),
            toml_string(v.example),
        );
    }
    s
}

/// The rule packs the bundled samples name for the same market, purpose and channels: the
/// law packs that can apply, then the always-on ones (listed so reviewers see them).
fn rule_packs(market: Market, purpose: Purpose, channels: &[Channel]) -> Vec<&'static str> {
    let email = channels.contains(&Channel::Email);
    let sms = channels.contains(&Channel::Sms);
    let mut packs = Vec::new();
    match (market, purpose) {
        (Market::Japan, Purpose::Marketing) => {
            if email || sms {
                packs.push("jp-tokutei-denshi-mail");
            }
            packs.push("jp-keihyo");
        }
        (Market::UnitedStates, Purpose::Marketing) => {
            if email {
                packs.push("us-can-spam");
            }
            if sms {
                packs.push("us-tcpa-ctia-sms");
            }
        }
        (Market::UnitedStates, Purpose::Transactional) => {
            if sms {
                packs.push("us-tcpa-ctia-sms");
            }
        }
        (Market::Japan, Purpose::Transactional) => {}
    }
    if purpose == Purpose::Marketing && email {
        packs.push("bulk-sender");
    }
    packs.extend(["accessibility", "deliverability", "brand"]);
    packs
}

/// A TOML basic string: `"…"` with `\` `"` and control characters escaped.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

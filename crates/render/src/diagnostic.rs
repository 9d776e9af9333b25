//! Diagnostics: what went wrong (or deserves attention) while rendering one channel.
//! Shaped like typst's: severity, message, where in the source, and a hint saying what to do.
//! Rendering never panics on user input; a channel that cannot render returns diagnostics and
//! the other channels still render.

use ccm_core::model::Channel;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub channel: Channel,
    /// Stable machine-readable code, e.g. `tera.missing-variable`, `sms.ucs2-forced`.
    pub code: String,
    pub message: String,
    /// Source file inside the template folder (e.g. `email.md`, `_blocks/legal-footer.ja.md`).
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<u32>,
    /// 1-based, in characters.
    pub column: Option<u32>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(channel: Channel, code: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, channel, code, message)
    }
    pub fn warning(channel: Channel, code: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, channel, code, message)
    }
    pub fn info(channel: Channel, code: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, channel, code, message)
    }
    fn new(severity: Severity, channel: Channel, code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            channel,
            code: code.to_string(),
            message: message.into(),
            file: None,
            line: None,
            column: None,
            hint: None,
        }
    }
    pub fn at(mut self, file: impl Into<String>, line: Option<u32>, column: Option<u32>) -> Self {
        self.file = Some(file.into());
        self.line = line;
        self.column = column;
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        write!(f, "{sev}[{}] ", self.code)?;
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(l) = self.line {
                write!(f, ":{l}")?;
                if let Some(c) = self.column {
                    write!(f, ":{c}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

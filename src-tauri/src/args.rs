//! The few command-line flags the desktop app answers without opening a window, so people (and
//! scripts) can ask what it is and how it is configured on machines without a display.

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    /// No flags: start the app.
    Run,
    /// Print this text to stdout and exit 0.
    Print(String),
    /// Print this error to stderr and exit 2.
    Usage(String),
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Invocation {
    let args: Vec<String> = args.into_iter().collect();
    match args.first().map(String::as_str) {
        None => Invocation::Run,
        Some("-h" | "--help") => Invocation::Print(help()),
        Some("-V" | "--version") => Invocation::Print(format!(
            "CCM Studio {}\n",
            ccm_bundled::build::VERSION_LINE
        )),
        Some(other) => Invocation::Usage(format!(
            "error: unknown argument `{other}`\n  hint: the app takes no arguments; run `ccm-studio --help`, or use the `ccm` command line for headless work\n"
        )),
    }
}

fn help() -> String {
    format!(
        "CCM Studio {} — design a customer message once; see it as email, SMS, push and letter.

Usage: ccm-studio [--help | --version]

Environment:
  CCM_LIBRARY  library file (default: the platform data directory, library.sqlite)
  CCM_SAMPLES  folder with templates/ and assets/ imported into an empty library
               (default: the sample library built into the app)
  CCM_WATCH    folder whose edits flow into the library live, or `off`
               (default: the CCM_SAMPLES folder when set, else none)
  CCM_RULES    folder of compliance rule packs (default: the packs built into the app)

Headless work (render, check, import, export) is done with the `ccm` command line.
",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Invocation {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn no_arguments_start_the_app() {
        assert_eq!(parse_strs(&[]), Invocation::Run);
    }

    #[test]
    fn help_names_every_environment_variable() {
        let Invocation::Print(text) = parse_strs(&["--help"]) else {
            panic!("--help prints");
        };
        for var in ["CCM_LIBRARY", "CCM_SAMPLES", "CCM_WATCH", "CCM_RULES"] {
            assert!(text.contains(var), "{var} in help");
        }
    }

    #[test]
    fn an_unknown_argument_is_a_usage_error_with_a_hint() {
        let Invocation::Usage(text) = parse_strs(&["--libary"]) else {
            panic!("usage error");
        };
        assert!(text.contains("`--libary`") && text.contains("--help"));
    }
}

//! `corridor completions SHELL` and `corridor man`: shell completion scripts and man pages,
//! generated from the clap definitions of `args` so that they always match the parser.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};
use crate::common::{Failure, fail};

/// Refuses `--data`, which these commands do not read (honoured or refused, never ignored).
fn no_data(data: Option<&PathBuf>, what: &str) -> Result<(), Failure> {
    match data {
        Some(_) => Err(fail(2, format!("--data: `corridor {what}` reads no dataset"))),
        None => Ok(()),
    }
}

/// Prints the completion script for `args.shell` to stdout.
pub(crate) fn completions(data: Option<&PathBuf>, args: CompletionsArgs) -> Result<(), Failure> {
    no_data(data, "completions")?;
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "corridor", &mut out);
    write_stdout(&out)
}

/// Prints `corridor.1`, or writes the page of the command and of every subcommand into
/// `args.dir`.
pub(crate) fn man(data: Option<&PathBuf>, args: ManArgs) -> Result<(), Failure> {
    no_data(data, "man")?;
    let cmd = Cli::command();
    let Some(dir) = args.dir else {
        let mut out = Vec::new();
        render(&cmd, &mut out)?;
        return write_stdout(&out);
    };
    std::fs::create_dir_all(&dir).map_err(|e| fail(2, format!("--dir {}: {e}", dir.display())))?;
    let mut pages = vec![(String::from("corridor"), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("corridor-{}", sub.get_name());
        // The page's title and usage name the full command (`corridor route`), as git's do.
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(format!("corridor {}", sub.get_name()))
            .version(env!("CARGO_PKG_VERSION"));
        pages.push((name, page));
    }
    for (name, page) in &pages {
        let mut out = Vec::new();
        render(page, &mut out)?;
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, out).map_err(|e| fail(1, format!("{}: {e}", path.display())))?;
    }
    crate::common::note!("wrote {} man pages to {}", pages.len(), dir.display());
    Ok(())
}

fn render(cmd: &clap::Command, out: &mut Vec<u8>) -> Result<(), Failure> {
    clap_mangen::Man::new(cmd.clone()).render(out).map_err(|e| fail(1, format!("rendering the man page: {e}")))
}

fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes).and_then(|()| stdout.flush()).map_err(|e| fail(1, format!("writing to stdout: {e}")))
}

//! Preparing the two sides of a comparison on two threads, each reading
//! into its own [`Sources`] (the model borrows its files and is not shared
//! across threads), then putting their files and diagnostics together.

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

use crate::diag::{Code, Diagnostic, Errors, Failure};
use crate::source::Sources;

use super::Diff;

/// What a comparison of two sides prepared apart ends with: the diff and
/// each side's warnings, or each side's errors.
pub type Outcome = Result<(Diff, Vec<Diagnostic>, Vec<Diagnostic>), (Vec<Diagnostic>, Vec<Diagnostic>)>;

/// Run `old` on another thread and `new` on this one (two 50 MB templates
/// load in the time of one), each with its own set of files.
pub fn both<'o, 'n, A: Send, B>(
    (old_sources, new_sources): (&'o mut Sources, &'n mut Sources),
    old: impl FnOnce(&'o mut Sources) -> Result<A, Errors> + Send,
    new: impl FnOnce(&'n mut Sources) -> Result<B, Errors>,
) -> (Result<A, Errors>, Result<B, Errors>) {
    std::thread::scope(|scope| {
        let old = scope.spawn(move || old(old_sources));
        let new = new(new_sources);
        let old = old.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (old, new)
    })
}

/// The diagnostics of a side that failed (none when it did not).
pub fn errors_of<T>(result: &mut Result<T, Errors>) -> Vec<Diagnostic> {
    match result {
        Err(errors) => std::mem::take(&mut errors.0),
        Ok(_) => Vec::new(),
    }
}

/// One set of files (the new side's after the old side's) and the outcome,
/// with the new side's diagnostics pointing into it; a problem both sides
/// report (a config file they share) is kept once.
pub fn merge(mut old_sources: Sources, new_sources: Sources, outcome: Outcome) -> Result<Diff, Failure> {
    let renumber = old_sources.append(new_sources);
    let join = |old: Vec<Diagnostic>, new: Vec<Diagnostic>, sources: &Sources| {
        let mut seen: HashSet<Key> = old.iter().map(|d| key(d, sources)).collect();
        let mut all = old;
        for d in new.into_iter().map(|d| d.renumber(renumber)) {
            if seen.insert(key(&d, sources)) {
                all.push(d);
            }
        }
        all
    };
    match outcome {
        Ok((diff, old, new)) => {
            let warnings = join(old, new, &old_sources);
            Ok(Diff { warnings, sources: old_sources, ..diff })
        }
        Err((old, new)) => {
            let diagnostics = join(old, new, &old_sources);
            Err(Failure::new(Errors(diagnostics), old_sources))
        }
    }
}

/// What makes two diagnostics the same problem, whichever set of files they point into.
type Key = (Code, String, Option<String>, Option<(PathBuf, Option<Range<usize>>)>);

fn key(d: &Diagnostic, sources: &Sources) -> Key {
    let place = d.location.as_ref().map(|l| (sources.get(l.file).path().to_path_buf(), l.span.clone()));
    (d.code, d.message.clone(), d.object.clone(), place)
}

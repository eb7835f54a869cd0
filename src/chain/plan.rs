//! What to do when a request turns out to need another request's response first: send that
//! one first, wait for it (it is already on its way), or give up because the requests need
//! each other. One pure decision, taken the same way by the TUI (over its sends) and by
//! `courier send` (over the stack of requests it is preparing).

use std::path::{Path, PathBuf};

/// The next step for a request that needs `dependency`'s response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send the dependency first; the request waits for it, then goes again.
    SendFirst,
    /// The dependency is already on its way: wait for it.
    Wait,
    /// The requests need each other's responses: `dependent` → `dependency` → … →
    /// `dependent`. Never followed.
    Cycle(Vec<PathBuf>),
}

/// Decides what `dependent` does about needing `dependency`'s response. `waits_for` tells,
/// for any request, which request it is itself waiting for; `on_its_way` whether a send of
/// `dependency` is already under way.
pub fn next_step(
    dependent: &Path,
    dependency: &Path,
    waits_for: &dyn Fn(&Path) -> Option<PathBuf>,
    on_its_way: bool,
) -> Step {
    if let Some(cycle) = cycle(dependent, dependency, waits_for) {
        return Step::Cycle(cycle);
    }
    if on_its_way {
        Step::Wait
    } else {
        Step::SendFirst
    }
}

/// The loop `dependent` → `dependency` → … → `dependent` when `dependency` waits, directly
/// or not, for `dependent` (or is it).
fn cycle(
    dependent: &Path,
    dependency: &Path,
    waits_for: &dyn Fn(&Path) -> Option<PathBuf>,
) -> Option<Vec<PathBuf>> {
    let mut chain = vec![dependent.to_owned(), dependency.to_owned()];
    let mut at = dependency.to_owned();
    loop {
        if at == dependent {
            return Some(chain);
        }
        // A wait that loops without passing `dependent` is not this request's cycle (and
        // cannot be made, since every wait is checked here first); the bound keeps this total.
        if chain.len() > 1_000 || chain[..chain.len() - 1].contains(&at) {
            return None;
        }
        at = waits_for(&at)?;
        chain.push(at.clone());
    }
}

/// What a cycle is called wherever it is reported, from the requests' names.
pub fn cycle_message(names: &[String]) -> String {
    format!(
        "the requests need each other's responses: {}",
        names.join(" → ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn waits(pairs: &[(&str, &str)]) -> HashMap<PathBuf, PathBuf> {
        pairs
            .iter()
            .map(|(a, b)| (PathBuf::from(a), PathBuf::from(b)))
            .collect()
    }

    #[test]
    fn a_dependency_not_on_its_way_is_sent_first_and_one_on_its_way_is_waited_for() {
        let none = waits(&[]);
        let lookup = |p: &Path| none.get(p).cloned();
        assert_eq!(
            next_step(Path::new("me"), Path::new("login"), &lookup, false),
            Step::SendFirst
        );
        assert_eq!(
            next_step(Path::new("me"), Path::new("login"), &lookup, true),
            Step::Wait
        );
    }

    #[test]
    fn a_request_that_would_wait_for_itself_is_a_cycle_named_in_order() {
        let waiting = waits(&[("b", "c"), ("c", "a")]);
        let lookup = |p: &Path| waiting.get(p).cloned();
        let Step::Cycle(cycle) = next_step(Path::new("a"), Path::new("b"), &lookup, true) else {
            panic!("not a cycle")
        };
        assert_eq!(cycle, ["a", "b", "c", "a"].map(PathBuf::from));
        let direct = next_step(Path::new("a"), Path::new("a"), &lookup, false);
        assert_eq!(direct, Step::Cycle(["a", "a"].map(PathBuf::from).to_vec()));
    }

    #[test]
    fn a_loop_elsewhere_is_not_this_requests_cycle() {
        let waiting = waits(&[("b", "c"), ("c", "b")]);
        let lookup = |p: &Path| waiting.get(p).cloned();
        assert_eq!(
            next_step(Path::new("a"), Path::new("b"), &lookup, true),
            Step::Wait
        );
    }
}

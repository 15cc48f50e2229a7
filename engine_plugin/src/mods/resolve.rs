//! Dependency resolution: which mods load, in which order, and why the others do not.
//!
//! A mod is skipped when a required dependency is missing, skipped itself, or of a
//! version outside the requirement (optional dependencies too, when present), when an
//! incompatible mod is loaded, when it is part of a dependency cycle, or when another
//! folder already uses its id. Skipping propagates to the mods depending on it, and only
//! to them. The others load dependencies first, then following the `load_before` /
//! `load_after` hints (ignored with a warning when they contradict each other or the
//! dependencies), then by id.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::PathBuf;

use super::manifest::ModManifest;

/// A mod that will not load, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub id: String,
    pub dir: PathBuf,
    pub reason: String,
}

/// The outcome of [`resolve`].
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    /// Mods to load, in order (indices into the input).
    pub order: Vec<usize>,
    pub skipped: Vec<Skipped>,
    /// Non-fatal remarks (ignored hints).
    pub warnings: Vec<String>,
}

/// Resolves `mods` (folder, manifest), in any order.
pub fn resolve(mods: &[(PathBuf, ModManifest)]) -> Resolution {
    let mut res = Resolution::default();
    // Duplicate ids: the first folder (by path) keeps the id.
    let mut idx: Vec<usize> = (0..mods.len()).collect();
    idx.sort_by(|a, b| mods[*a].0.cmp(&mods[*b].0));
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for i in idx {
        let id = mods[i].1.id.as_str();
        match by_id.get(id) {
            Some(&first) => res.skipped.push(Skipped {
                id: id.to_string(),
                dir: mods[i].0.clone(),
                reason: format!(
                    "duplicate mod id '{id}' (already used by {})",
                    mods[first].0.display()
                ),
            }),
            None => {
                by_id.insert(id, i);
            }
        }
    }
    let mut active: BTreeMap<&str, usize> = by_id.clone();
    let mut skip = |active: &mut BTreeMap<&str, usize>, id: &str, reason: String| {
        if let Some(i) = active.remove(id) {
            res.skipped.push(Skipped {
                id: id.to_string(),
                dir: mods[i].0.clone(),
                reason,
            });
        }
    };

    loop {
        let mut changed = false;
        // Dependencies and incompatibilities.
        let ids: Vec<&str> = active.keys().copied().collect();
        for id in ids {
            let Some(&i) = active.get(id) else { continue };
            let m = &mods[i].1;
            let mut reason = None;
            for d in &m.dependencies {
                match (active.get(d.id.as_str()), by_id.get(d.id.as_str())) {
                    (Some(&j), _) => {
                        let v = &mods[j].1.version;
                        if !d.version.matches(v) {
                            reason = Some(format!(
                                "dependency '{}' is version {v}, which does not match '{}'",
                                d.id, d.version
                            ));
                        }
                    }
                    (None, Some(_)) if !d.optional => {
                        reason = Some(format!(
                            "dependency '{}' is not loaded (it was skipped)",
                            d.id
                        ));
                    }
                    (None, None) if !d.optional => {
                        reason = Some(format!(
                            "missing dependency '{}' (version '{}')",
                            d.id, d.version
                        ));
                    }
                    _ => {}
                }
                if reason.is_some() {
                    break;
                }
            }
            if reason.is_none() {
                for inc in &m.incompatible {
                    if let Some(&j) = active.get(inc.id.as_str()) {
                        let v = &mods[j].1.version;
                        if inc.version.matches(v) {
                            reason = Some(format!("incompatible with mod '{}' {v}", inc.id));
                            break;
                        }
                    }
                }
            }
            if let Some(r) = reason {
                skip(&mut active, id, r);
                changed = true;
            }
        }
        if changed {
            continue;
        }
        // Cycles of (present) dependencies.
        let deps = |id: &str| -> Vec<String> {
            active
                .get(id)
                .map(|&i| {
                    mods[i]
                        .1
                        .dependencies
                        .iter()
                        .filter(|d| active.contains_key(d.id.as_str()))
                        .map(|d| d.id.clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut cycles: Vec<(String, Vec<String>)> = Vec::new();
        for id in active.keys() {
            if cycles.iter().any(|(_, c)| c.iter().any(|x| x == id)) {
                continue;
            }
            if let Some(path) = shortest_cycle(id, &deps) {
                cycles.push((id.to_string(), path));
            }
        }
        if cycles.is_empty() {
            break;
        }
        for (_, path) in cycles {
            let text = path.join(" -> ");
            for id in path.iter().take(path.len().saturating_sub(1)) {
                skip(&mut active, id, format!("dependency cycle: {text}"));
            }
        }
    }

    // Order: dependencies, then hints, then id.
    let ids: Vec<&str> = active.keys().copied().collect();
    let mut hard: Vec<(String, String)> = Vec::new();
    let mut soft: Vec<(String, String)> = Vec::new();
    for id in &ids {
        let m = &mods[active[id]].1;
        for d in &m.dependencies {
            if active.contains_key(d.id.as_str()) {
                hard.push((d.id.clone(), id.to_string()));
            }
        }
        for a in &m.load_after {
            if active.contains_key(a.as_str()) {
                soft.push((a.clone(), id.to_string()));
            }
        }
        for b in &m.load_before {
            if active.contains_key(b.as_str()) {
                soft.push((id.to_string(), b.clone()));
            }
        }
    }
    let all: Vec<(String, String)> = hard.iter().chain(soft.iter()).cloned().collect();
    let order = match topo(&ids, &all) {
        Some(o) => o,
        None => {
            res.warnings.push(
                "mod load order hints (load_before/load_after) contradict each other or the dependencies; hints ignored"
                    .to_string(),
            );
            topo(&ids, &hard).unwrap_or_else(|| ids.iter().map(|s| s.to_string()).collect())
        }
    };
    res.order = order
        .iter()
        .filter_map(|id| active.get(id.as_str()).copied())
        .collect();
    res
}

/// The shortest dependency path from `start` back to itself, as `[start, .., start]`.
fn shortest_cycle(start: &str, deps: &dyn Fn(&str) -> Vec<String>) -> Option<Vec<String>> {
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut queue = VecDeque::new();
    queue.push_back(start.to_string());
    while let Some(cur) = queue.pop_front() {
        for next in deps(&cur) {
            if next == start {
                let mut path = vec![start.to_string()];
                let mut c = cur.clone();
                let mut back = vec![];
                while c != start {
                    back.push(c.clone());
                    match parent.get(&c) {
                        Some(p) => c = p.clone(),
                        None => break,
                    }
                }
                back.reverse();
                path.extend(back);
                path.push(start.to_string());
                return Some(path);
            }
            if !parent.contains_key(&next) {
                parent.insert(next.clone(), cur.clone());
                queue.push_back(next);
            }
        }
    }
    None
}

/// Kahn's algorithm, smallest id first among the ready ones; `None` on a cycle.
fn topo(ids: &[&str], edges: &[(String, String)]) -> Option<Vec<String>> {
    let mut indeg: BTreeMap<&str, usize> = ids.iter().map(|i| (*i, 0)).collect();
    for (_, to) in edges {
        if let Some(d) = indeg.get_mut(to.as_str()) {
            *d += 1;
        }
    }
    let mut ready: BTreeSet<&str> = indeg
        .iter()
        .filter(|(_, d)| **d == 0)
        .map(|(k, _)| *k)
        .collect();
    let mut out = Vec::new();
    while let Some(n) = ready.pop_first() {
        out.push(n.to_string());
        for (from, to) in edges {
            if from == n {
                if let Some(d) = indeg.get_mut(to.as_str()) {
                    *d -= 1;
                    if *d == 0 {
                        ready.insert(to.as_str());
                    }
                }
            }
        }
    }
    (out.len() == ids.len()).then_some(out)
}

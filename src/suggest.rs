//! "Did you mean …?": the known word closest to a mistyped one, for commands, flags, record
//! types and config fields alike.
//!
//! May import: nothing of the crate.

/// The candidate `given` most likely mistypes, ignoring case: one at most two edits away
/// (insert, delete, replace, or swap two neighbours; one edit for words of up to three
/// characters), else one that `given` (of three characters or more) begins. The nearest wins;
/// on a tie, the first. `None` when nothing is close, or when `given` is itself a candidate.
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given = given.to_lowercase();
    let given_len = given.chars().count();
    let max_edits = if given_len <= 3 { 1 } else { 2 };
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        let score = match edit_distance(&given, &lower) {
            0 => return None,
            d if d <= max_edits => d,
            _ if given_len >= 3 && lower.starts_with(&given) => max_edits + 1,
            _ => continue,
        };
        if best.is_none_or(|(best_score, _)| score < best_score) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The edits (insert, delete, replace, swap of neighbours) that turn `a` into `b`: the optimal
/// string alignment distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows of the table: two back (for swaps), the last, and the one being filled.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let replace = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + replace);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("preveiw", "preview"), 1);
        assert_eq!(edit_distance("cnmae", "cname"), 1);
        assert_eq!(edit_distance("ttll", "ttl"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn closest_finds_typos_and_prefixes() {
        let commands = ["check", "preview", "push", "get-zones"];
        assert_eq!(closest("preveiw", commands), Some("preview"));
        assert_eq!(closest("PUHS", commands), Some("push"));
        assert_eq!(closest("get", commands), Some("get-zones"));
        assert_eq!(closest("deploy", commands), None);
        assert_eq!(closest("push", commands), None);
        assert_eq!(closest("CNMAE", ["A", "CNAME", "MX"]), Some("CNAME"));
        assert_eq!(closest("ttll", ["name", "ttl", "type"]), Some("ttl"));
    }

    #[test]
    fn short_words_get_one_edit_and_the_nearest_wins() {
        assert_eq!(closest("AA", ["A", "AAAA"]), Some("A"));
        assert_eq!(closest("TX", ["NS", "TXT"]), Some("TXT"));
        assert_eq!(closest("XY", ["A", "MX"]), None);
        assert_eq!(closest("pre", ["preview", "push"]), Some("preview"));
    }
}

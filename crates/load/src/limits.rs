//! The file-descriptor limit: every SSE stream is a socket on both sides.

use crate::error::LoadError;

/// Raises this process's soft `RLIMIT_NOFILE` to the hard limit and checks that `need`
/// descriptors fit. Returns the limit now in force; a portal child inherits it.
pub fn raise_nofile(need: u64) -> Result<u64, LoadError> {
    let have = rlimit::increase_nofile_limit(u64::MAX)?;
    if have < need {
        return Err(LoadError::FileLimit { have, need });
    }
    Ok(have)
}

/// The portal's soft descriptor limit as `/proc/PID/limits` shows it, to warn when the
/// portal was given fewer than the run needs.
pub fn process_nofile(pid: u32) -> Option<u64> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_gives_at_least_a_small_need() {
        assert!(raise_nofile(64).unwrap() >= 64);
    }

    #[test]
    fn an_impossible_need_is_refused() {
        assert!(matches!(
            raise_nofile(u64::MAX),
            Err(LoadError::FileLimit { .. })
        ));
    }

    #[test]
    fn own_limit_is_readable() {
        let own = process_nofile(std::process::id()).unwrap();
        assert!(own >= 64);
    }
}

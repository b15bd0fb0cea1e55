//! CPU time used by a process, from `/proc/PID/stat`. With it the code burst reports what one
//! check costs the portal and the tool in CPU, a figure that holds whatever else the shared
//! machine runs, and that bounds the checks per second two cores can give.

/// Ticks per second of the times in `/proc/PID/stat`: `USER_HZ`, which the Linux ABI fixes
/// at 100 whatever the kernel's own tick rate (proc(5), "utime").
const USER_HZ: f64 = 100.0;

/// User plus system CPU seconds of process `pid` so far (`"self"` for this process);
/// `None` when the file cannot be read or parsed.
pub fn cpu_secs(pid: &str) -> Option<f64> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// `utime + stime` of one `/proc/PID/stat` line, in seconds.
fn parse_stat(stat: &str) -> Option<f64> {
    // The command name (field 2) is in parentheses and may hold spaces and parentheses; the
    // fields after the last ')' are fixed: state (3) first, utime (14) and stime (15) later.
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / USER_HZ)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_system_ticks_are_added_after_an_awkward_command_name() {
        let line = "4242 (tokio (rt) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 9 0";
        assert_eq!(parse_stat(line), Some(3.25));
        assert_eq!(parse_stat("4242 (short) S 1 2"), None);
        assert!(cpu_secs("self").is_some());
    }
}

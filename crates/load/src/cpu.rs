//! CPU time used by a process, from `/proc/PID/stat`. With it the code burst reports what one
//! check costs the portal and the tool in CPU, a figure that holds whatever else the shared
//! machine runs, and that bounds the checks per second two cores can give.

/// Ticks per second of the times in `/proc/PID/stat`: `USER_HZ`, which the Linux ABI fixes
/// at 100 whatever the kernel's own tick rate (proc(5), "utime").
const USER_HZ: f64 = 100.0;

/// CPU seconds a process has used, in its own code and in the kernel on its behalf. The
/// split says where a check's cost lies: the system share is the loopback TCP, the wake-ups
/// between threads and the database's file writes, which no change to the portal's own code
/// reaches.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CpuTime {
    /// Seconds in user mode (`utime`).
    pub user: f64,
    /// Seconds in the kernel (`stime`).
    pub system: f64,
}

impl CpuTime {
    /// User plus system seconds.
    pub fn total(self) -> f64 {
        self.user + self.system
    }
}

impl std::ops::Add for CpuTime {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self {
            user: self.user + other.user,
            system: self.system + other.system,
        }
    }
}

impl std::ops::Sub for CpuTime {
    type Output = Self;

    fn sub(self, earlier: Self) -> Self {
        Self {
            user: self.user - earlier.user,
            system: self.system - earlier.system,
        }
    }
}

impl std::iter::Sum for CpuTime {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), |a, b| a + b)
    }
}

/// CPU time of process `pid` so far (`"self"` for this process); `None` when the file cannot
/// be read or parsed.
pub fn cpu_time(pid: &str) -> Option<CpuTime> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// `utime` and `stime` of one `/proc/PID/stat` line, in seconds.
fn parse_stat(stat: &str) -> Option<CpuTime> {
    // The command name (field 2) is in parentheses and may hold spaces and parentheses; the
    // fields after the last ')' are fixed: state (3) first, utime (14) and stime (15) later.
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(CpuTime {
        user: utime as f64 / USER_HZ,
        system: stime as f64 / USER_HZ,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_system_ticks_are_read_after_an_awkward_command_name() {
        let line = "4242 (tokio (rt) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 9 0";
        let time = parse_stat(line).unwrap();
        assert_eq!(
            time,
            CpuTime {
                user: 2.5,
                system: 0.75
            }
        );
        assert_eq!(time.total(), 3.25);
        assert_eq!(parse_stat("4242 (short) S 1 2"), None);
        assert!(cpu_time("self").is_some());
    }
}

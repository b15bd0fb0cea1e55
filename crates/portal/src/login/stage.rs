//! The session's stages and the transitions between them: the one table that decides which
//! stage a login step leads to. A step that is not allowed in a stage has no next stage.

pub use crate::storage::sessions::Stage;

/// What a login step achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The password was right. `first_enrollment`: the account never had a device, so the
    /// next page enrolls its first one.
    PasswordAccepted {
        /// The account's first enrollment is open (see `User::first_enrollment_open`).
        first_enrollment: bool,
    },
    /// A second factor of the session's login passed: a security code, a TOTP code or a
    /// recovery code.
    SecondFactorPassed,
    /// The logged-in user replaced the password.
    PasswordChanged,
}

/// The stage after `event` in `stage`, or `None` when `event` cannot happen there.
///
/// | from | event | to |
/// |---|---|---|
/// | any (a new login replaces the session) | password accepted | `Enroll` if first enrollment, else `Code` |
/// | `Code`, `Enroll` | second factor passed | `Authenticated` |
/// | `Authenticated` | password changed | `Authenticated` (new session id) |
pub fn next(stage: Stage, event: Event) -> Option<Stage> {
    match (stage, event) {
        (
            _,
            Event::PasswordAccepted {
                first_enrollment: true,
            },
        ) => Some(Stage::Enroll),
        (
            _,
            Event::PasswordAccepted {
                first_enrollment: false,
            },
        ) => Some(Stage::Code),
        (Stage::Code | Stage::Enroll, Event::SecondFactorPassed) => Some(Stage::Authenticated),
        (Stage::Authenticated, Event::PasswordChanged) => Some(Stage::Authenticated),
        _ => None,
    }
}

/// Whether a session at `stage` waits for the second factor of its login.
pub fn awaits_second_factor(stage: Stage) -> bool {
    matches!(stage, Stage::Code | Stage::Enroll)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Stage; 4] = [
        Stage::Anonymous,
        Stage::Code,
        Stage::Enroll,
        Stage::Authenticated,
    ];

    #[test]
    fn only_a_waiting_session_can_pass_the_second_factor() {
        for stage in ALL {
            let passed = next(stage, Event::SecondFactorPassed);
            assert_eq!(passed.is_some(), awaits_second_factor(stage), "{stage:?}");
        }
        assert_eq!(
            next(Stage::Enroll, Event::SecondFactorPassed),
            Some(Stage::Authenticated)
        );
    }

    #[test]
    fn a_password_starts_over_from_any_stage_and_only_first_enrollment_enrolls() {
        for stage in ALL {
            let first = Event::PasswordAccepted {
                first_enrollment: true,
            };
            let later = Event::PasswordAccepted {
                first_enrollment: false,
            };
            assert_eq!(next(stage, first), Some(Stage::Enroll));
            assert_eq!(next(stage, later), Some(Stage::Code));
        }
    }

    #[test]
    fn only_a_logged_in_session_changes_the_password() {
        for stage in ALL {
            let changed = next(stage, Event::PasswordChanged);
            assert_eq!(
                changed.is_some(),
                stage == Stage::Authenticated,
                "{stage:?}"
            );
        }
    }
}

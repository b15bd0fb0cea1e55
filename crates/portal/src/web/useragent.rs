//! Who signed in, in words a person recognises: "Chrome 156 · Linux" instead of a browser's
//! whole user-agent string (issue 9, finding 14). The short form matches the app's
//! (`ui/js/useragent.js`): browser and major version, then the system under the names the
//! app uses; the whole string stays on the page as the cell's `title`.
//!
//! Parsing is woothee's (the Woothee project's shared dataset, compiled in, no network or
//! data file at run time; Vector's `parse_user_agent` uses the same crate).

/// The short description of `user_agent`; the string itself when neither browser nor system
/// is known.
pub fn describe(user_agent: &str) -> String {
    let Some(parsed) = woothee::parser::Parser::new().parse(user_agent) else {
        return user_agent.to_string();
    };
    let browser = known(parsed.name).map(|name| {
        match parsed
            .version
            .split('.')
            .next()
            .filter(|v| known(v).is_some())
        {
            Some(major) => format!("{name} {major}"),
            None => name.to_string(),
        }
    });
    let system = known(parsed.os).map(system_name);
    let parts: Vec<String> = [browser, system.map(str::to_string)]
        .into_iter()
        .flatten()
        .collect();
    if parts.is_empty() {
        user_agent.to_string()
    } else {
        parts.join(" · ")
    }
}

/// `value` unless woothee reports it as unknown (or it is empty).
fn known(value: &str) -> Option<&str> {
    Some(value).filter(|v| !v.is_empty() && *v != woothee::woothee::VALUE_UNKNOWN)
}

/// woothee's system names as the app writes them ("Windows 10" → "Windows", "Mac OSX" →
/// "macOS", "iPhone" → "iOS").
fn system_name(os: &str) -> &str {
    match os {
        "Mac OSX" | "Mac OS Classic" => "macOS",
        "iPhone" | "iPad" | "iPod" | "iOS" => "iOS",
        windows if windows.starts_with("Windows") && !windows.starts_with("Windows Phone") => {
            "Windows"
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    /// Regression (issue 9, finding 14): real browsers' strings read as the app shows them.
    #[test]
    fn real_user_agents_read_briefly() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/156.0.0.0 Safari/537.36",
                "Chrome 156 · Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox 133 · Windows",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Safari 17 · iOS",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, \
                 like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge 131 · macOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like \
                 Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome 131 · Android",
            ),
        ];
        for (agent, short) in cases {
            assert_eq!(describe(agent), short, "{agent}");
        }
    }

    #[test]
    fn unknown_strings_are_shown_as_they_are() {
        for garbage in ["", "zweifaktor-test-browser/1.0", "\u{1F600} <script>", "-"] {
            assert_eq!(describe(garbage), garbage);
        }
    }
}

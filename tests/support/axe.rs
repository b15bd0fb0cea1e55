//! The accessibility check of one page as a browser shows it: axe-core (the version pinned in
//! `tests/axe/package-lock.json`, installed by `scripts/a11y.sh` under `target/axe`) with the
//! WCAG 2.1 A and AA rules, in the light and the dark colour scheme, at the width the page is
//! made for and at 320 CSS px; at 320 px also the reflow check (WCAG 1.4.10) that axe does
//! not make: nothing wider than the viewport. In every view also the part of WCAG 1.4.11
//! (non-text contrast) that axe leaves out: form field borders and focus rings at 3:1.
//!
//! A test walks to each state of its pages, calls [`Axe::check`] there (which switches the
//! views in place, so a page reached by a form post need not be loaded again) and at the end
//! [`assert_clean`] with everything found.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::webdriver::Session;

/// Names the `axe.min.js` to use instead of the one under `target/axe`.
pub const AXE_ENV: &str = "ZF_AXE_JS";

/// The axe-core release line the check is defined for: its rules decide what passes.
pub const AXE_VERSION: &str = "4.14.";

/// The rule tags of WCAG 2.0 and 2.1, levels A and AA: the level the project promises.
pub const WCAG_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// WCAG 1.4.10 Reflow: content must work without horizontal scrolling at 320 CSS px.
pub const REFLOW_WIDTH: u32 = 320;

/// Viewport height of every view; reflow is about the width.
const VIEW_HEIGHT: u32 = 800;

/// Runs axe-core (see `js/axe_run.js`).
const RUN_SCRIPT: &str = include_str!("js/axe_run.js");

/// Lists what is wider than the viewport (see `js/reflow.js`).
const REFLOW_SCRIPT: &str = include_str!("js/reflow.js");

/// Lists form fields and focus rings under 3:1 (see `js/non_text_contrast.js`).
const NON_TEXT_SCRIPT: &str = include_str!("js/non_text_contrast.js");

/// Waits until the page has been laid out again after a change of view.
const SETTLE_SCRIPT: &str = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";

/// One way of looking at a page: colour scheme and viewport width.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// `prefers-color-scheme: dark` instead of light.
    pub dark: bool,
    /// Viewport width in CSS pixels.
    pub width: u32,
}

impl View {
    /// "light, 390 px".
    fn describe(self) -> String {
        let scheme = if self.dark { "dark" } else { "light" };
        format!("{scheme}, {} px", self.width)
    }
}

/// Light and dark, each at `width` (what the page is made for) and at [`REFLOW_WIDTH`].
pub fn views(width: u32) -> Vec<View> {
    [width, REFLOW_WIDTH]
        .into_iter()
        .flat_map(|width| [false, true].map(|dark| View { dark, width }))
        .collect()
}

/// axe-core's script, read once.
pub struct Axe {
    source: String,
    /// Pages and views checked so far, for the summary.
    checked: std::cell::Cell<usize>,
}

impl Axe {
    /// Reads `axe.min.js` ([`AXE_ENV`] or `target/axe/node_modules/axe-core/axe.min.js`).
    pub fn load() -> Self {
        let path = std::env::var_os(AXE_ENV).map_or_else(
            || {
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../target/axe/node_modules/axe-core/axe.min.js")
            },
            PathBuf::from,
        );
        let source = std::fs::read_to_string(&path).unwrap_or_else(|err| {
            panic!(
                "{}: {err}; `bash scripts/a11y.sh` installs axe-core",
                path.display()
            )
        });
        Self {
            source,
            checked: std::cell::Cell::new(0),
        }
    }

    /// Checks the page on show in every view of `views`, under the name `page`; returns one
    /// line per violation (`page [view] rule (impact): help — target — help URL`), per field
    /// or focus ring under 3:1 and per element too wide at [`REFLOW_WIDTH`]. Leaves the page
    /// in the first view.
    pub fn check(&self, browser: &Session, page: &str, views: &[View]) -> Vec<String> {
        self.inject(browser);
        let mut found = Vec::new();
        let mut review = Vec::new();
        for view in views {
            show(browser, *view);
            let at = format!("{page} [{}]", view.describe());
            let result = browser.execute_async(RUN_SCRIPT, json!([WCAG_TAGS]));
            assert!(
                result["failure"].is_null(),
                "axe on {at}: {}",
                result["failure"]
            );
            for rule in result["violations"].as_array().into_iter().flatten() {
                found.extend(violation_lines(&at, rule));
            }
            for rule in result["incomplete"].as_array().into_iter().flatten() {
                review.push(rule["id"].as_str().unwrap_or_default().to_owned());
            }
            let weak = browser.execute(NON_TEXT_SCRIPT, json!([]));
            for element in weak.as_array().into_iter().flatten() {
                found.push(format!(
                    "{at} non-text contrast (WCAG 1.4.11): {}",
                    element.as_str().unwrap_or_default()
                ));
            }
            if view.width == REFLOW_WIDTH {
                let wide = browser.execute(REFLOW_SCRIPT, json!([]));
                for element in wide.as_array().into_iter().flatten() {
                    found.push(format!(
                        "{at} reflow (WCAG 1.4.10): {}",
                        element.as_str().unwrap_or_default()
                    ));
                }
            }
            self.checked.set(self.checked.get() + 1);
        }
        if let Some(first) = views.first() {
            show(browser, *first);
        }
        review.sort();
        review.dedup();
        let review = if review.is_empty() {
            String::new()
        } else {
            format!("; for a person to review: {}", review.join(", "))
        };
        println!(
            "checked {page} in {} views: {} findings{review}",
            views.len(),
            found.len()
        );
        found
    }

    /// How many page views [`Axe::check`] has checked.
    pub fn checked(&self) -> usize {
        self.checked.get()
    }

    /// Puts axe-core into the page unless it is there, and makes sure it is the pinned line.
    fn inject(&self, browser: &Session) {
        let present = browser.execute("return typeof window.axe === 'object';", json!([]));
        if present != json!(true) {
            browser.execute(&self.source, json!([]));
        }
        let version = browser.execute("return window.axe.version;", json!([]));
        let version = version.as_str().unwrap_or_default();
        assert!(
            version.starts_with(AXE_VERSION),
            "axe-core {version} is not {AXE_VERSION}x: run scripts/a11y.sh"
        );
    }
}

/// Applies `view` and waits for the new layout.
fn show(browser: &Session, view: View) {
    browser.emulate(view.dark, view.width, VIEW_HEIGHT);
    browser.execute_async(SETTLE_SCRIPT, json!([]));
}

/// The report lines of one violated rule, one per element.
fn violation_lines(at: &str, rule: &Value) -> Vec<String> {
    let text = |key: &str| rule[key].as_str().unwrap_or_default().to_owned();
    rule["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|target| {
            format!(
                "{at} {} ({}): {} — {} — {}",
                text("id"),
                text("impact"),
                text("help"),
                target.as_str().unwrap_or_default(),
                text("helpUrl")
            )
        })
        .collect()
}

/// Fails the test with every finding listed, or says how much was checked.
pub fn assert_clean(axe: &Axe, findings: &[String]) {
    assert!(axe.checked() > 0, "no page was checked");
    assert!(
        findings.is_empty(),
        "{} accessibility findings:\n{}",
        findings.len(),
        findings.join("\n")
    );
    println!("{} page views checked, no findings", axe.checked());
}

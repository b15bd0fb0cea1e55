// The app in a plain browser for the accessibility check (tests/a11y.rs): the bridge is
// replaced by a fake that answers the shell's commands from ui/tests/a11y/screens.js, and the
// screen named by ?screen=ID is walked to with the helpers below. The test serves ui/ with
// this module loaded before js/app.js, waits for window.__a11y.ready and then runs axe-core.
//
// window.__a11y: {screens: [ids], ready, failure, unanswered: [commands the fake could not answer]}.

import { setBridge } from "../../js/bridge.js";
import { ANSWERS, SCREENS } from "./screens.js";

/** How long a helper waits for an element or for quiet before the walk fails. */
const WAIT_MS = 10000;

/** Quiet time after the last answered call before a screen counts as drawn. */
const QUIET_MS = 150;

const report = { screens: SCREENS.map((s) => s.id), ready: false, failure: null, unanswered: [] };
window.__a11y = report;

const wanted = new URLSearchParams(location.search).get("screen");
const screen = SCREENS.find((s) => s.id === wanted);
const answers = { ...ANSWERS, ...(screen ? screen.answers : {}) };
const listeners = new Map();
let inFlight = 0;
let lastAnswer = Date.now();

/** The fake's answer to `command`: a value, or what a function of the arguments returns or throws. */
async function answer(command, args) {
  if (!(command in answers)) {
    report.unanswered.push(command);
    throw { code: "generic", message: `the fake has no answer for ${command}` };
  }
  const given = answers[command];
  return typeof given === "function" ? given(args) : structuredClone(given);
}

setBridge(
  async (command, args) => {
    inFlight += 1;
    try {
      return await answer(command, args);
    } finally {
      inFlight -= 1;
      lastAnswer = Date.now();
    }
  },
  async (event, handler) => {
    listeners.set(event, [...(listeners.get(event) || []), handler]);
    return () => {};
  },
);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it gives something truthy; fails the walk after WAIT_MS. */
async function until(what, probe) {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value) {
      return value;
    }
    if (Date.now() - start > WAIT_MS) {
      throw new Error(`gave up waiting for ${what}`);
    }
    await sleep(20);
  }
}

const isShown = (el) => el && !el.closest("[hidden]") && el.getClientRects().length > 0;

/** What a screen's steps may do, as a user would. */
const ui = {
  /** Waits until nothing is in flight and the app has been quiet for a moment. */
  async settle() {
    await until("the app to settle", () => inFlight === 0 && Date.now() - lastAnswer >= QUIET_MS);
  },
  /** The element matching `selector` once it is shown. */
  shown(selector) {
    return until(`${selector} to be shown`, () => {
      const el = document.querySelector(selector);
      return isShown(el) && el;
    });
  },
  /** Clicks the element matching `selector` once it is shown and enabled, then settles. */
  async click(selector) {
    const el = await until(`${selector} to be clickable`, () => {
      const found = document.querySelector(selector);
      return isShown(found) && !found.disabled && found;
    });
    el.click();
    await ui.settle();
  },
  /** Types `text` into the field matching `selector`. */
  async type(selector, text) {
    const el = await ui.shown(selector);
    el.value = text;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  },
  /** Ticks the checkbox matching `selector`. */
  async tick(selector) {
    const el = await ui.shown(selector);
    el.checked = true;
    el.dispatchEvent(new Event("change", { bubbles: true }));
    await ui.settle();
  },
  /** Chooses `value` in the select matching `selector`. */
  async choose(selector, value) {
    const el = await ui.shown(selector);
    el.value = value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
    await ui.settle();
  },
  /** Sends `event` with `payload` as the shell would. */
  async emit(event, payload) {
    for (const handler of listeners.get(event) || []) {
      handler({ payload });
    }
    await ui.settle();
  },
};

/** After the app's start: the screen's steps, then ready. */
async function walk() {
  try {
    await until("the first screen", () => document.querySelector("#screen-loading[hidden]"));
    await ui.settle();
    if (wanted && !screen) {
      throw new Error(`no screen ${wanted} in ui/tests/a11y/screens.js`);
    }
    if (screen && screen.steps) {
      await screen.steps(ui);
    }
    await ui.settle();
  } catch (err) {
    report.failure = String(err && err.stack ? err.stack : err);
  }
  report.ready = true;
}

walk();

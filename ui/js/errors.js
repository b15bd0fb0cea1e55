// Turns the shell's typed errors into the sentence the user reads.

import { errorCode } from "./bridge.js";
import { t } from "./i18n.js";

/** Seconds from now until the unix time `until` (at least 1). */
export function secondsUntil(until) {
  return Math.max(1, Math.ceil(until - Date.now() / 1000));
}

/** The message for a failed call, in the current language. */
export function describe(err) {
  const code = errorCode(err);
  if (code === "wrong_pin") {
    if (err.waitUntil) {
      return t("error.wrong_pin_wait", { seconds: secondsUntil(err.waitUntil) });
    }
    return err.triesLeft === 1 ? t("error.wrong_pin_last") : t("error.wrong_pin", { tries: err.triesLeft });
  }
  if (code === "locked") {
    return t("error.locked", { seconds: secondsUntil(err.waitUntil) });
  }
  const key = `error.${code}`;
  const text = t(key, err);
  return text === key ? t("error.generic") : text;
}

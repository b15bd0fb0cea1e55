// Unlocking by fingerprint (Android only: the one platform with a biometric-bound key), and
// what the login screen does after each outcome. The rules themselves live in the core.

import { call } from "./bridge.js";

/** {available, enabled}: a bound key exists on this platform; the vault has the slot. */
export const status = () => call("biometric_status");

/** Switches fingerprint unlock on (the platform's prompt seals the key). */
export const enable = () => call("enable_biometric");

/** Switches fingerprint unlock off. */
export const disable = () => call("disable_biometric");

/** Opens the vault by fingerprint. */
export const unlock = () => call("unlock_biometric");

/** Whether the login screen offers the fingerprint first (above the PIN). */
export function offered(biometricStatus) {
  return Boolean(biometricStatus && biometricStatus.available && biometricStatus.enabled);
}

/**
 * Error codes after which the fingerprint is no longer offered on this login screen: the PIN is
 * due, or the slot is gone. After a cancelled or failed prompt it stays offered.
 */
const PIN_ONLY_AFTER = new Set([
  "pin_due",
  "pin_after_restart",
  "biometric_key_invalidated",
  "biometric_off",
  "biometric_unavailable",
  "locked",
]);

/** Whether the fingerprint button stays after a failed try with error code `code`. */
export function offerAgain(code) {
  return !PIN_ONLY_AFTER.has(code);
}

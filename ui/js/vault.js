// The vault: set-up, PIN, lock and reset.

import { call } from "./bridge.js";

/** Whether the app is new, locked or open: {state, email?, triesLeft?, waitUntil?}. */
export const status = () => call("vault_status");

/** Checks a pasted set-up link and keeps it in the shell: {issuer, accountName}. */
export const startEnrollment = (uri) => call("start_enrollment", { uri });

/**
 * Opens the file dialog (titled `title`) for a picture of the set-up QR code and reads it in
 * the shell (the link never comes back): {issuer, accountName}, or null if cancelled.
 */
export const startEnrollmentFromPicture = (title) => call("start_enrollment_from_picture", { title });

/** Creates the vault with the PIN and the account from the set-up link. */
export const finishEnrollment = (pin) => call("finish_enrollment", { pin });

/** Opens the vault with the PIN. */
export const unlock = (pin) => call("unlock", { pin });

/** Closes the vault: the shell forgets the opened vault. */
export const lock = () => call("lock");

/** Sets a new PIN after checking the current one. */
export const changePin = (currentPin, newPin) => call("change_pin", { currentPin, newPin });

/** Deletes the vault and every account in it. */
export const resetApp = () => call("reset_app");

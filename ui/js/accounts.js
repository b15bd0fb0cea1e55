// Accounts and their codes: the list, adding one (link, picture, by hand), renaming, moving,
// deleting, copying a code; privacyIDEA push tokens listed and removed. The shell keeps a
// link or entry between its preview and the save, so a seed read from a picture never
// reaches the window.

import { call } from "./bridge.js";

/**
 * Every account with its current code:
 * [{id, label, issuer, name, kind: {type, period?, counter?}, avatar: {initial, colour},
 *   weak_secret, portal_url, code?, secondsLeft?}] (the core's summary, the shell's code).
 */
export const listCodes = () => call("list_codes");

/** The next code of a counter-based (HOTP) account: the account with {code}. */
export const nextCode = (id) => call("next_code", { id });

/** Removes an account from the vault. */
export const removeAccount = (id) => call("remove_account", { id });

/**
 * The privacyIDEA push tokens, listed beside the accounts but without a code:
 * [{id, label, issuer, name, serial, server, kind, avatar: {initial, colour}}].
 */
export const listPushTokens = () => call("list_push_tokens");

/** Removes a push token from this device (its server keeps it): the token as it was listed. */
export const removePushToken = (id) => call("remove_push_token", { id });

/**
 * Reads a pasted or scanned link: {type: "account", preview: {account, portal_url}} for an
 * otpauth:// link (kept in the shell for confirmAdd), {type: "import", step} for a Google
 * Authenticator transfer link.
 */
export const readLink = (uri) => call("read_link", { uri });

/**
 * The link that opened the app, read like readLink once the app is unlocked; null if none
 * waits. Rejects with app_locked while locked (the link waits for the PIN).
 */
export const openLink = () => call("open_link");

/** Opens the file dialog for a picture of a QR code and reads it like readLink; null if cancelled. */
export const readLinkFromPicture = (title) => call("read_link_from_picture", { title });

/** Checks an account typed in by hand and keeps it in the shell: the core's account preview. */
export const previewManual = (entry) => call("preview_manual", { entry });

/** Saves the account of the last preview (registering with its portal, if it names one). */
export const confirmAdd = () => call("confirm_add");

/** Forgets the account of the last preview. */
export const discardAdd = () => call("discard_add");

/** Gives an account a new issuer and name. */
export const renameAccount = (id, issuer, name) => call("rename_account", { id, issuer, name });

/** Moves an account to position `toIndex` (0 is the top). */
export const moveAccount = (id, toIndex) => call("move_account", { id, toIndex });

/** Copies a shown code to the clipboard; the shell clears it again after a minute. */
export const copyCode = (code) => call("copy_code", { code });

// Import from other apps' files and the backup/export, through the shell: it opens the file
// dialogs itself, so the window never gets access to any file.

import { call } from "./bridge.js";

/**
 * Opens the file dialog (titled `title`) and reads the chosen file:
 * null if cancelled, else {format, needsPassword, preview?}: `format` the name users know it by,
 * `preview` the core's {to_add, already_present, unsupported: [{label, kind, reason}],
 * missing_parts}.
 */
export const pickImportFile = (title) => call("pick_import_file", { title });

/** Opens the kept encrypted file with its password: {format, needsPassword: false, preview}. */
export const openImport = (password) => call("open_import", { password });

/** Imports what the preview showed, in one save: the core's report {added: [account], …}. */
export const confirmImport = () => call("confirm_import");

/** Forgets the kept file. */
export const discardImport = () => call("discard_import");

/**
 * Exports behind the PIN. `request` is {format: "aegis" | "uris" | "google", pin, password?,
 * title}. Files go through the save dialog: {saved: {file, count}, leftOut} or null if
 * cancelled; Google codes come back as pictures: {qrCodes: [svg], count, leftOut}.
 * `leftOut` lists the accounts the core left out: [{id, label, reason, portal_url?, …}].
 */
export const exportAccounts = (request) => call("export_accounts", { request });

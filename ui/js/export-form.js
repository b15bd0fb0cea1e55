// The export form's checks before anything goes to the shell: the PIN's form and, for the
// encrypted backup, the password typed twice. How strong a password must be is the core's
// rule; the shell answers "weak_password" when it is not.

import { isSixDigits } from "./dom.js";
import { t } from "./i18n.js";

/** The formats the export offers; only "aegis" is encrypted. */
export const FORMATS = ["aegis", "uris", "google"];

/** Whether `format` writes the secrets without encryption. */
export const isPlain = (format) => format !== "aegis";

/**
 * The request for the shell from the form ({format, pin, password, repeat}), or {error: i18n
 * key} for a mistake the form can see.
 */
export function exportRequest(values, title) {
  const format = FORMATS.includes(values.format) ? values.format : "aegis";
  if (!isSixDigits(values.pin)) {
    return { error: "error.pin_format" };
  }
  const request = { format, pin: values.pin, title };
  if (!isPlain(format)) {
    if (values.password !== values.repeat) {
      return { error: "export.passwordMismatch" };
    }
    request.password = values.password;
  }
  return { request };
}

/** The data: URL that shows an SVG picture the shell drew (the CSP allows data: pictures). */
export const svgUrl = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/**
 * One line per account the core left out of an export ({label, reason, portal_url?, digits?,
 * period?}), with why, and whether any is portal-bound (the screen then says how to move it).
 */
export function leftOutLines(leftOut) {
  return {
    lines: leftOut.map((entry) => t("export.leftOutItem", { label: entry.label, reason: t(`export.reason.${entry.reason}`, entry) })),
    portalBound: leftOut.some((entry) => entry.reason === "portal_bound"),
  };
}

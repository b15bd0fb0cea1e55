// How a privacyIDEA push token is shown: in the account list like an account (avatar, issuer,
// name) with a "Push" marker, its serial and its server in place of a code, and on its own
// screen the removal's question with the warning that the server keeps the token (privacyIDEA
// has no call by which a phone unregisters one).

import { t } from "./i18n.js";
import { subtitle, title } from "./account-text.js";

/** The host (and port) of the token's server URL; the text itself if it is no URL. */
export function serverHost(server) {
  try {
    return new URL(server).host || server;
  } catch {
    return server;
  }
}

/** What the token's row shows: {title, subtitle, marker, details, openLabel}. */
export function tokenRow(token) {
  return {
    title: title(token),
    subtitle: subtitle(token),
    marker: t("push.marker"),
    details: t("push.details", { serial: token.serial, server: serverHost(token.server) }),
    openLabel: t("push.open", { label: token.label }),
  };
}

/** The removal's texts: {question, note, done}; the note says that the server keeps it. */
export function removal(token) {
  return {
    question: t("push.removeQuestion", { label: token.label }),
    note: t("push.removeServer", { server: serverHost(token.server) }),
    done: t("push.removed", { label: token.label }),
  };
}

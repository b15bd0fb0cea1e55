// How an account is named and described on screen: its title line, its kind, its settings,
// and its code as the user reads it (digits in two groups, Steam's five characters as Steam
// shows them).

import { groupDigits } from "./dom.js";
import { t } from "./i18n.js";

/** The main line: the issuer, or the name when there is none. */
export const title = (account) => account.issuer || account.name;

/** The second line: the name under an issuer, nothing otherwise. */
export const subtitle = (account) => (account.issuer ? account.name : "");

/** "Zeitbasiert (TOTP)", "Zählerbasiert (HOTP)" or "Steam Guard". */
export const kindName = (kind) => t(`kind.${kind.type}`);

/** The settings in words: "SHA1, 6 Stellen, alle 30 Sekunden neu". */
export function details(account) {
  const { kind } = account;
  if (kind.type === "steam") {
    return t("preview.steamDetails");
  }
  const vars = { algorithm: account.algorithm, digits: account.digits };
  return kind.type === "hotp"
    ? t("preview.hotpDetails", { ...vars, counter: kind.counter })
    : t("preview.totpDetails", { ...vars, period: kind.period });
}

/** A code as shown: Steam's five characters unchanged, digits grouped for reading. */
export const formatCode = (code, kind) => (kind.type === "steam" ? code : groupDigits(code));

/** The placeholder of a counter-based code not yet asked for. */
export const hiddenCode = (account) => (account.kind.type === "steam" ? "•••••" : "••• •••");

/** Paints an avatar element from the core's {initial, colour}; no picture is fetched. */
export function paintAvatar(element, avatar) {
  element.textContent = avatar ? avatar.initial : "";
  element.style.backgroundColor = avatar ? avatar.colour : "";
}

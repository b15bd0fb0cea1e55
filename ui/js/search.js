// The search over the codes screen's accounts: shown once there are more than a handful, and
// matching issuer or name regardless of case and accents.

/** More accounts than this, and the codes screen offers a search field. */
export const SEARCH_AFTER = 5;

/** Whether the codes screen shows the search field for `count` accounts. */
export const offersSearch = (count) => count > SEARCH_AFTER;

/** Lower case without accents, so that "mul" finds "Mül". */
function fold(text) {
  return (text || "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Whether `account` ({issuer, name}) matches what the user typed; empty text matches all. */
export function matches(account, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const haystack = `${fold(account.issuer)} ${fold(account.name)}`;
  return words.every((word) => haystack.includes(word));
}

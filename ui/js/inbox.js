// What the shell pushes while the app is open, kept until a screen can show it: a login
// waiting for its code ("challenge") and notices that the portal removed this device
// ("push-revoked"). Pure state, so the rules can be tested without a page.

/** Screens on which a new login's code is shown at once; elsewhere it waits. */
const SHOW_AT_ONCE = new Set(["codes", "challenge"]);

let waiting = null;
let revoked = [];

/**
 * A challenge {id, code, expiresAt, …} arrived while `screen` is on show: true if it is to be
 * shown now; otherwise it is kept (the newest wins) for after the PIN or the set-up.
 */
export function challengeArrived(next, screen) {
  if (SHOW_AT_ONCE.has(screen)) {
    waiting = null;
    return true;
  }
  waiting = next;
  return false;
}

/** The kept challenge, once, unless it expired before `now` (milliseconds). */
export function takeChallenge(now = Date.now()) {
  const next = waiting;
  waiting = null;
  return next && next.expiresAt * 1000 > now ? next : null;
}

/** Notes that the portal no longer knows this device for the account labelled `account`. */
export function deviceRevoked(account) {
  if (!revoked.includes(account)) {
    revoked = [...revoked, account];
  }
}

/** The accounts whose device the portal removed, for the notice on the codes screen. */
export function revokedAccounts() {
  return revoked;
}

/** Forgets everything kept (the app was reset). */
export function clear() {
  waiting = null;
  revoked = [];
}

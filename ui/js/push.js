// Push challenges from the push servers: the newest one, accepting one (with the number
// picked) and the answer "Das war ich nicht".

import { call } from "./bridge.js";

/** Fetches the newest challenge at once and returns it (with its code, if it has one). */
export const latestChallenge = () => call("latest_challenge");

/**
 * Accepts the challenge `id`, with `answer` the number picked when it offers numbers. A
 * security code challenge comes back shown again; others answer null.
 */
export const acceptChallenge = (id, answer) =>
  call("accept_challenge", answer === undefined ? { id } : { id, answer });

/** Tells the server that the user did not start this login. */
export const denyChallenge = (id) => call("deny_challenge", { id });

// Push challenges from the portal: the newest one and the answer "Das war ich nicht".

import { call } from "./bridge.js";

/** Fetches the newest challenge at once and returns it with its code. */
export const latestChallenge = () => call("latest_challenge");

/** Tells the portal that the user did not start this login. */
export const denyChallenge = (id) => call("deny_challenge", { id });

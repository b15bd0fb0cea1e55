// Accounts and their codes.

import { call } from "./bridge.js";

/** Every account with its current TOTP code: [{id, label, issuer, name, kind: {type, period?}, code?, secondsLeft?}]. */
export const listCodes = () => call("list_codes");

/** The next code of a counter-based (HOTP) account: the account with {code}. */
export const nextCode = (id) => call("next_code", { id });

/** Removes an account from the vault. */
export const removeAccount = (id) => call("remove_account", { id });

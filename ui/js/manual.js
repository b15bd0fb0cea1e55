// The form for an account typed in by hand: which fields each type needs, the usual defaults,
// and the entry the shell checks. The secret goes to the shell as typed (spaces and lower case
// included); the core normalizes and checks it.

/** What a new account starts with: TOTP, SHA-1, 6 digits, 30 s (RFC 6238's defaults). */
export const DEFAULTS = Object.freeze({ type: "totp", algorithm: "SHA1", digits: 6, period: 30, counter: 0 });

/** Which groups of fields a type shows: algorithm and digits, period, counter. */
export function fieldsFor(type) {
  return {
    otp: type !== "steam",
    period: type === "totp",
    counter: type === "hotp",
  };
}

const WHOLE = /^[0-9]+$/;

/**
 * The entry for the shell from the form's values ({issuer, name, secret, type, algorithm,
 * digits, period, counter}, all strings), or {error: i18n key} for what the form can tell.
 */
export function entryFrom(values) {
  const name = values.name.trim();
  if (!name) {
    return { error: "manual.nameMissing" };
  }
  if (!values.secret.trim()) {
    return { error: "manual.secretMissing" };
  }
  const type = values.type || DEFAULTS.type;
  const fields = fieldsFor(type);
  const entry = {
    issuer: values.issuer.trim() || null,
    name,
    secret: values.secret,
    type,
    algorithm: fields.otp ? values.algorithm || DEFAULTS.algorithm : "SHA1",
    digits: fields.otp ? Number(values.digits || DEFAULTS.digits) : 5,
  };
  if (fields.period) {
    const period = String(values.period ?? "").trim() || String(DEFAULTS.period);
    if (!WHOLE.test(period) || Number(period) < 1) {
      return { error: "manual.periodInvalid" };
    }
    entry.period = Number(period);
  }
  if (fields.counter) {
    const counter = String(values.counter ?? "").trim() || String(DEFAULTS.counter);
    if (!WHOLE.test(counter)) {
      return { error: "manual.counterInvalid" };
    }
    entry.counter = Number(counter);
  }
  return { entry };
}

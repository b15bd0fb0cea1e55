// What the challenge screen shows for each kind of question, as pure data so the rules can be
// tested without a page. A challenge {id, ask, code, numbers, title, question, portal, time,
// browser, address, expiresAt} comes from the shell; `ask` is one of:
//   security_code  Zweifaktor: the security code to type in; "Akzeptieren" fetches the newest
//   approve        privacyIDEA: "Akzeptieren" approves the login
//   pick_number    privacyIDEA "presence": one button per number offered
//   show_code      privacyIDEA "code_to_phone": the server's code to type in, shown large

/** The screen's parts for `challenge`: which texts, which buttons. */
export function layout(challenge) {
  const ask = challenge.ask ?? "security_code";
  const code = ask === "security_code" || ask === "show_code" ? challenge.code ?? "" : "";
  return {
    ask,
    titleKey: ask === "security_code" ? "challenge.title" : "challenge.titleConfirm",
    title: ask === "security_code" ? null : challenge.title || null,
    question: ask === "security_code" ? null : challenge.question || null,
    code,
    hintKey: {
      security_code: null,
      approve: null,
      pick_number: "challenge.pickNumber",
      show_code: "challenge.typeCode",
    }[ask] ?? null,
    numbers: ask === "pick_number" ? [...(challenge.numbers ?? [])] : [],
    showAccept: ask !== "pick_number",
    showBrowser: Boolean(challenge.browser),
    showAddress: Boolean(challenge.address),
  };
}

/**
 * What "Akzeptieren" (or a number button) asks the shell: `latest` for a security code (the
 * newest login's code is fetched and shown), else `accept` with the id and the number picked.
 */
export function acceptCall(challenge, number) {
  if ((challenge.ask ?? "security_code") === "security_code") {
    return { command: "latest" };
  }
  return number === undefined
    ? { command: "accept", id: challenge.id }
    : { command: "accept", id: challenge.id, answer: String(number) };
}

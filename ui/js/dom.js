// Small helpers for the screens.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** Shows `text` in the message element `id` (empty text hides it). */
export function say(id, text) {
  const el = $(id);
  el.textContent = text;
  el.hidden = !text;
}

/** Whether `pin` is six digits, the form the shell accepts. */
export const isSixDigits = (pin) => /^[0-9]{6}$/.test(pin);

/** Empties the PIN fields `ids`, so no PIN stays on a hidden screen. */
export function clearFields(...ids) {
  for (const id of ids) {
    $(id).value = "";
  }
}

/** Runs `action` with `button` disabled, so a slow PIN check cannot be started twice. */
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } finally {
    button.disabled = false;
  }
}

/** A code with a thin space in the middle ("123 456"), the way people read it out. */
export function groupDigits(code) {
  const half = Math.ceil(code.length / 2);
  return code.length > 4 ? `${code.slice(0, half)}\u2009${code.slice(half)}` : code;
}

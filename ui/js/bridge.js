// The one place that talks to the Tauri shell. Domain modules (vault.js, accounts.js,
// settings.js) call `call`; tests replace the bridge with `setBridge`.

let invokeImpl = (command, args) => window.__TAURI__.core.invoke(command, args);
let listenImpl = (event, handler) => window.__TAURI__.event.listen(event, handler);

/** Invokes a shell command; rejects with the shell's error object {code, message, …}. */
export function call(command, args) {
  return invokeImpl(command, args);
}

/** Runs `handler(payload)` for every event `event` the shell emits. */
export function on(event, handler) {
  return listenImpl(event, (e) => handler(e.payload));
}

/** Replaces the bridge, e.g. by a fake in tests: `invoke(command, args)`, `listen(event, handler)`. */
export function setBridge(invoke, listen) {
  invokeImpl = invoke;
  if (listen) {
    listenImpl = listen;
  }
}

/** The stable error code of a failed call ("generic" for anything the shell did not type). */
export function errorCode(err) {
  return err && typeof err === "object" && typeof err.code === "string" ? err.code : "generic";
}

// Polls the login status while the code or enrollment page is open, so the page learns
// without a reload that the login was refused on the phone, timed out or a device registered.
(function () {
  "use strict";
  const box = document.getElementById("login-status");
  const form = document.getElementById("code-form");
  const wait = document.getElementById("enroll-wait");
  if (!box || !form) { return; }
  let timer = null;
  function end(text) {
    clearInterval(timer);
    form.hidden = true;
    box.textContent = "";
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = text;
    const a = document.createElement("a");
    a.href = "/login";
    a.className = "button";
    a.textContent = box.dataset.again;
    box.append(p, a);
  }
  async function poll() {
    try {
      const r = await fetch("/login/status", { headers: { "Accept": "application/json" }, credentials: "same-origin" });
      if (!r.ok) { return; }
      const s = await r.json();
      if (s.state === "denied") { end(box.dataset.denied); }
      else if (s.state === "expired") { end(box.dataset.expired); }
      else if (s.state === "failed") { end(box.dataset.failed); }
      else if (wait && s.devices > 0) { wait.textContent = box.dataset.registered; }
    } catch (e) { /* network hiccup: try again on the next tick */ }
  }
  timer = setInterval(poll, 2000);
})();

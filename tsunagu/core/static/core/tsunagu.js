// Warns before the session times out (JIS X 8341-3 / WCAG 2.2.1), and lets the user
// extend it. The server ends sessions after the same idle time (SESSION_COOKIE_AGE).
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) { return; }
  var idle = Number(box.dataset.idleMinutes) * 60 * 1000;
  var warnBefore = Number(box.dataset.warnMinutes) * 60 * 1000;
  var remaining = box.querySelector("[data-remaining]");
  var lastActivity = Date.now();
  var previousFocus = null;

  function reset() { lastActivity = Date.now(); }
  document.addEventListener("htmx:afterRequest", reset);

  function tick() {
    var left = idle - (Date.now() - lastActivity);
    if (left <= 0) {
      window.location.reload();
      return;
    }
    if (left <= warnBefore) {
      remaining.textContent = String(Math.max(1, Math.ceil(left / 60000)));
      if (box.hidden) {
        previousFocus = document.activeElement;
        box.hidden = false;
        box.querySelector("[data-keepalive]").focus();
      }
    }
  }
  box.querySelector("[data-keepalive]").addEventListener("click", function () {
    fetch(box.dataset.keepaliveUrl, { credentials: "same-origin" }).then(function () {
      reset();
      box.hidden = true;
      if (previousFocus) { previousFocus.focus(); }
    });
  });
  window.setInterval(tick, 15000);
})();

// Forms that destroy something ask first.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Print buttons (a Content Security Policy allows no inline onclick).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// Keyboard users start where the work is. After a submit the server refused, focus goes
// to the summary of what to fix (announced, role=alert); on an entry form (marked
// data-autofocus), to its first field, instead of a dozen Tabs through the menus.
(function () {
  "use strict";
  var summary = document.querySelector("main .error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) { summary.tabIndex = -1; }
    summary.focus();
    return;
  }
  var form = document.querySelector("main form[data-autofocus]");
  if (!form) { return; }
  var fields = form.querySelectorAll(
    "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
  );
  for (var i = 0; i < fields.length; i += 1) {
    if (fields[i].getClientRects().length) {
      fields[i].focus();
      return;
    }
  }
})();

// A report's period (reports/report.html): only the fields of the chosen cut are shown
// and sent (the month for 月, the two dates for 期間指定); without script, all are.
(function () {
  "use strict";
  var cut = document.querySelector("select[data-period-cut]");
  if (!cut) { return; }
  function show() {
    var groups = document.querySelectorAll("[data-period-of]");
    for (var i = 0; i < groups.length; i += 1) {
      var off = groups[i].dataset.periodOf !== cut.value;
      groups[i].hidden = off;
      var controls = groups[i].querySelectorAll("input, select");
      for (var j = 0; j < controls.length; j += 1) { controls[j].disabled = off; }
    }
  }
  cut.addEventListener("change", show);
  show();
})();

// Category suggestions on the entry screens: while the note is typed (and when the
// consulter type changes), ask the server for up to three categories, shown as buttons
// beside the checkboxes. A tap ticks (or unticks) that category; nothing is ticked
// otherwise. One block per record (the whole form, or one consultation row of an outing).
(function () {
  "use strict";

  var DELAY = 300;
  var timers = new WeakMap();
  // Once the form is sent, a late suggestion would only race with it.
  var submitted = false;

  function scopeOf(el) {
    return el.closest("[data-formset-row]") || el.closest("form");
  }
  function boxOf(scope) {
    return scope && scope.querySelector("[data-suggest]");
  }
  function noteOf(scope) {
    return scope.querySelector('textarea[name="note"], textarea[name$="-note"]');
  }
  function typeOf(scope) {
    var checked = scope.querySelector("[data-consultation] input[type=radio]:checked");
    return checked ? checked.value : "";
  }
  function checkboxFor(scope, id) {
    var group = scope.querySelector('.category-group[data-for-type="' + typeOf(scope) + '"]');
    return group && group.querySelector('input[type=checkbox][value="' + id + '"]');
  }

  function syncPressed(scope) {
    var box = boxOf(scope);
    if (!box) { return; }
    box.querySelectorAll("[data-suggest-category]").forEach(function (button) {
      var checkbox = checkboxFor(scope, button.dataset.suggestCategory);
      button.setAttribute("aria-pressed", checkbox && checkbox.checked ? "true" : "false");
    });
  }

  function ask(scope) {
    if (submitted) { return; }
    var box = boxOf(scope);
    var note = noteOf(scope);
    if (!box || !note) { return; }
    var type = typeOf(scope);
    var date = scope.closest("form").querySelector('[name="date"]');
    if (!type || note.value.trim().length < 2) {
      box.innerHTML = "";
      box.dataset.shown = "";
      return;
    }
    htmx.ajax("POST", box.dataset.url, {
      source: box,
      target: box,
      swap: "none",
      values: { note: note.value, consulter_type: type, date: date ? date.value : "" },
    });
  }

  function later(scope) {
    var box = boxOf(scope);
    if (!box) { return; }
    window.clearTimeout(timers.get(box));
    timers.set(box, window.setTimeout(function () { ask(scope); }, DELAY));
  }

  document.addEventListener("submit", function () { submitted = true; });
  document.addEventListener("input", function (e) {
    var scope = e.target.matches && e.target.matches("textarea") && scopeOf(e.target);
    if (scope && noteOf(scope) === e.target) { later(scope); }
  });
  document.addEventListener("change", function (e) {
    var el = e.target;
    var scope = el.closest && scopeOf(el);
    if (!scope || !boxOf(scope)) { return; }
    if (el.matches("[data-consultation] input[type=radio]")) { later(scope); }
    if (el.matches(".category-group input[type=checkbox]")) { syncPressed(scope); }
  });
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-suggest-category]");
    if (!button) { return; }
    var scope = scopeOf(button);
    var checkbox = checkboxFor(scope, button.dataset.suggestCategory);
    if (!checkbox) { return; }
    checkbox.checked = !checkbox.checked;
    checkbox.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // The answer replaces the buttons only when it differs, so that a screen reader
  // (aria-live) is not told the same suggestions again at every keystroke.
  document.addEventListener("htmx:afterRequest", function (e) {
    var box = e.detail.elt;
    if (!box.matches || !box.matches("[data-suggest]") || !e.detail.successful) { return; }
    // An ended session answers with the login page (after a redirect): not buttons.
    var answered = new URL(e.detail.xhr.responseURL, window.location.href).pathname;
    if (answered !== new URL(box.dataset.url, window.location.href).pathname) { return; }
    var html = e.detail.xhr.responseText;
    if (html !== box.dataset.shown) {
      box.innerHTML = html;
      box.dataset.shown = html;
    }
    syncPressed(scopeOf(box));
  });

  // The entry form redraws its year's choices when the date changes: ask again then.
  document.addEventListener("htmx:load", function (e) {
    var elt = e.detail.elt;
    if (!elt.querySelectorAll) { return; }
    elt.querySelectorAll("[data-suggest]").forEach(function (box) {
      var scope = scopeOf(box);
      var note = scope && noteOf(scope);
      if (note && note.value.trim()) { later(scope); }
    });
  });
})();

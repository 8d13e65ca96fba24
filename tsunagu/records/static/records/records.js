// The entry screens: show the categories of the chosen consulter type, pick groups and
// agencies by typing part of a name (combobox, WAI-ARIA pattern), add consultation rows.
(function () {
  "use strict";

  function scopeOf(el) {
    return el.closest("[data-formset-row]") || el.closest("form");
  }

  // --- consulter type → its categories -------------------------------------------
  function syncCategories(scope) {
    var checked = scope.querySelector("[data-consultation] input[type=radio]:checked");
    var type = checked ? checked.value : "";
    scope.querySelectorAll(".category-group").forEach(function (group) {
      var own = scopeOf(group) === scope;
      if (own) { group.hidden = group.dataset.forType !== type; }
    });
  }
  function initConsultation(scope) {
    scope.querySelectorAll("[data-consultation] input[type=radio]").forEach(function (radio) {
      if (scopeOf(radio) !== scope) { return; }
      radio.addEventListener("change", function () { syncCategories(scope); });
    });
    syncCategories(scope);
  }

  // --- combobox ------------------------------------------------------------------
  function initCombobox(box) {
    if (box.dataset.ready) { return; }
    box.dataset.ready = "1";
    var multiple = box.hasAttribute("data-multiple");
    var hidden = document.getElementById(box.dataset.targetInput);
    var input = box.querySelector("[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var clear = box.querySelector("[data-clear]");
    var chips = box.querySelector("[data-chips]");
    var template = box.querySelector("[data-chip-template]");
    var options = [];
    var active = -1;
    var timer = null;
    var seq = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }
    function render() {
      list.innerHTML = "";
      if (!options.length) {
        var none = document.createElement("li");
        none.className = "combobox__empty";
        none.textContent = "見つかりません";
        list.appendChild(none);
      }
      options.forEach(function (opt, i) {
        var li = document.createElement("li");
        li.id = input.id + "_opt_" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = opt.label;
        if (opt.hint) {
          var hint = document.createElement("span");
          hint.className = "combobox__hint";
          hint.textContent = "（" + opt.hint + "）";
          li.appendChild(hint);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(options.length ? 0 : -1);
    }
    function search() {
      var mine = ++seq;
      fetch(box.dataset.source + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== seq) { return; }
          options = data.results;
          render();
        });
    }
    function syncHidden() {
      var values = [];
      chips.querySelectorAll(".chip").forEach(function (chip) {
        values.push(chip.dataset.value + ":" + chip.querySelector("[data-action]").value);
      });
      hidden.value = values.join(",");
    }
    function wireChip(chip) {
      chip.querySelector("[data-action]").addEventListener("change", syncHidden);
      chip.querySelector("[data-remove]").addEventListener("click", function () {
        chip.remove();
        syncHidden();
        input.focus();
      });
    }
    function choose(index) {
      var opt = options[index];
      if (!opt) { return; }
      if (multiple) {
        if (!chips.querySelector('.chip[data-value="' + opt.value + '"]')) {
          var chip = template.content.firstElementChild.cloneNode(true);
          chip.dataset.value = opt.value;
          chip.querySelector("span").textContent = opt.label;
          var select = chip.querySelector("[data-action]");
          select.id = hidden.id + "_action_" + opt.value;
          chip.querySelector("label").setAttribute("for", select.id);
          chip.querySelector("label").textContent = opt.label + "への対応";
          chip.querySelector("[data-remove]").setAttribute("aria-label", opt.label + "を外す");
          chips.appendChild(chip);
          wireChip(chip);
          syncHidden();
        }
        input.value = "";
      } else {
        hidden.value = opt.value;
        input.value = opt.label;
        if (clear) { clear.hidden = false; }
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      close();
    }

    input.addEventListener("input", function () {
      if (!multiple && hidden.value) {
        hidden.value = "";
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden) { search(); } else { highlight(Math.min(active + 1, options.length - 1)); }
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) { e.preventDefault(); choose(active); }
        else if (multiple && input.value) { e.preventDefault(); }
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    if (clear) {
      clear.addEventListener("click", function () {
        hidden.value = "";
        input.value = "";
        clear.hidden = true;
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      });
    }
    if (chips) { chips.querySelectorAll(".chip").forEach(wireChip); }
  }

  // --- the target decides zone and region -----------------------------------------
  function initArea(form) {
    var target = form.querySelector("input[name$=target]");
    var area = form.querySelector("[data-area]");
    if (!target || !area) { return; }
    function sync() { area.hidden = Boolean(target.value); }
    target.addEventListener("change", sync);
    sync();
  }

  // --- what 自動 gives for 個別・地域の区分 (both texts come from the server) ---------
  function initSupportKind(form) {
    var target = form.querySelector("input[name$=target]");
    var box = form.querySelector("[data-support-kind]");
    if (!target || !box) { return; }
    var text = box.querySelector("[data-support-kind-auto]");
    function sync() {
      text.textContent = target.value ? box.dataset.withTarget : box.dataset.withoutTarget;
    }
    target.addEventListener("change", sync);
    sync();  // a target restored by the browser (Back) is not the one the page was drawn with
  }

  // --- formset rows --------------------------------------------------------------
  function initFormset(form) {
    var add = form.querySelector("[data-formset-add]");
    if (!add) { return; }
    var rows = form.querySelector("[data-formset-rows]");
    var total = form.querySelector("input[name$=TOTAL_FORMS]");
    add.addEventListener("click", function () {
      // Looked up on each click: a date in another year redraws the template.
      var template = form.querySelector("[data-formset-template]");
      var index = Number(total.value);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var row = rows.lastElementChild;
      initRow(row);
      var first = row.querySelector("input[type=radio]");
      if (first) { first.focus(); }
    });
  }

  function initRow(scope) {
    initConsultation(scope);
    scope.querySelectorAll("[data-combobox]").forEach(initCombobox);
  }

  // --- a form brought back by the browser (Back) -----------------------------------
  function initRestored(form) {
    // The token is typed in, not written in the page: only a typed value is brought back
    // on Back, and the one brought back is that of the entry that was saved.
    form.querySelectorAll("[data-entry-token]").forEach(function (input) {
      if (!input.value) { input.value = input.dataset.entryToken; }
    });
    // A date brought back may be of another year than the choices the page was drawn with.
    var date = form.querySelector("input[name=date][hx-post]");
    if (date && date.value !== date.defaultValue && window.htmx) { htmx.trigger(date, "change"); }
  }

  function init(root) {
    root.querySelectorAll("[data-record-form]").forEach(function (form) {
      initRestored(form);
      var rows = form.querySelectorAll("[data-formset-rows] [data-formset-row]");
      if (rows.length) { rows.forEach(initRow); } else { initConsultation(form); }
      form.querySelectorAll("[data-combobox]").forEach(initCombobox);
      initArea(form);
      initSupportKind(form);
      initFormset(form);
      form.addEventListener("submit", function () {
        // Categories of a consulter type not chosen are not sent.
        form.querySelectorAll(".category-group[hidden] input").forEach(function (i) { i.disabled = true; });
      });
    });
  }

  // htmx fires htmx:load for the page and for every swapped-in fragment.
  document.addEventListener("htmx:load", function (e) {
    var elt = e.detail.elt;
    if (elt.matches && elt.matches("[data-record-form]")) { init(elt.parentNode); return; }
    if (elt.querySelector && elt.querySelector("[data-record-form]")) { init(elt); return; }
    var form = elt.closest && elt.closest("[data-record-form]");
    if (form) {
      // A part redrawn for another fiscal year: its categories follow the row's type.
      syncCategories(elt.closest("[data-formset-row]") || form);
      elt.querySelectorAll("[data-combobox]").forEach(initCombobox);
    }
  });
})();

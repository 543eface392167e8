/* Rejoinder moderation dashboard: keyboard shortcuts and in-place actions.
   Every action also works without this script, through the page's forms. */
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var site = document.body.dataset.site;
  var help = document.getElementById("help");
  var toast = document.querySelector(".toast");
  var current = null;

  var switcher = document.querySelector("[data-switch]");
  if (switcher) {
    switcher.addEventListener("change", function () { switcher.form.submit(); });
  }
  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('.item input[name="ids"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll(".item:not(.gone)"));
  }

  function select(item) {
    if (current) current.classList.remove("current");
    current = item || null;
    if (!current) return;
    current.classList.add("current");
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function move(step) {
    var list = items();
    if (!list.length) return;
    var at = list.indexOf(current);
    select(list[Math.min(list.length - 1, Math.max(0, at < 0 ? 0 : at + step))]);
  }

  function say(text) {
    if (!toast) return;
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { toast.hidden = true; }, 2500);
  }

  function act(item, action) {
    if (!item || !site) return;
    var id = item.dataset.id;
    if (action === "delete" && !window.confirm("Delete comment #" + id + "?")) return;
    var reasonBox = item.querySelector(".reason-input");
    var body = { reason: reasonBox && reasonBox.value ? reasonBox.value : null };
    var list = items();
    var next = list[list.indexOf(item) + 1] || list[list.indexOf(item) - 1];
    fetch("/api/v1/moderate/" + encodeURIComponent(site) + "/comments/" + id + "/" + action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) { say(result.data.detail || "That did not work."); return; }
      item.classList.add("gone");
      item.dataset.done = action;
      say(action + ": #" + id);
      select(next);
    }).catch(function () { say("The server could not be reached."); });
  }

  function toggleHelp(show) {
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  document.querySelectorAll("[data-help]").forEach(function (b) {
    b.addEventListener("click", function () { toggleHelp(true); });
  });
  document.querySelectorAll("[data-help-close]").forEach(function (b) {
    b.addEventListener("click", function () { toggleHelp(false); });
  });
  document.querySelectorAll(".item").forEach(function (item) {
    item.addEventListener("click", function (e) {
      if (e.target.closest("button, a, input, select, summary, textarea")) return;
      select(item);
    });
  });

  var keys = { a: "approve", r: "reject", s: "spam", d: "delete" };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || e.target.isContentEditable) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    if (e.key === "?") { toggleHelp(); e.preventDefault(); return; }
    if (e.key === "Escape") { toggleHelp(false); return; }
    if (help && !help.hidden) return;
    if (e.key === "j") { move(1); e.preventDefault(); }
    else if (e.key === "k") { move(-1); e.preventDefault(); }
    else if (e.key === "x" && current) {
      var box = current.querySelector('input[name="ids"]');
      if (box) box.checked = !box.checked;
    } else if (keys[e.key]) {
      if (!current) move(1);
      act(current, keys[e.key]);
      e.preventDefault();
    }
  });

  if (items().length) select(items()[0]);
  document.body.dataset.ready = "1";
})();

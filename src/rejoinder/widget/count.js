/* Rejoinder comment counter: fills every [data-rejoinder-count="/path"] with one request. */
(function () {
  "use strict";
  var d = document, me = d.currentScript || d.querySelector("script[src*='count.js'][data-rejoinder-site]");
  if (!me) return;
  var src = new URL(me.src, location.href), base = src.origin + src.pathname.replace(/\/[^/]*$/, "");
  function run() {
    var els = Array.prototype.slice.call(d.querySelectorAll("[data-rejoinder-count]")), uris = [];
    els.forEach(function (el) { var u = el.getAttribute("data-rejoinder-count"); if (u && uris.indexOf(u) < 0 && uris.length < 100) uris.push(u); });
    if (!uris.length) return;
    fetch(base + "/api/v1/counts", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({site: me.getAttribute("data-rejoinder-site"), uris: uris})})
      .then(function (r) { return r.ok ? r.json() : {counts: {}}; })
      .then(function (j) {
        els.forEach(function (el) {
          var n = j.counts[el.getAttribute("data-rejoinder-count")];
          if (n == null) return;
          var fmt = el.getAttribute("data-rejoinder-count-format");
          el.textContent = fmt ? fmt.replace("{n}", n) : String(n);
        });
      }, function () { /* leave the placeholders as they are */ });
  }
  if (d.readyState == "loading") d.addEventListener("DOMContentLoaded", run); else run();
})();

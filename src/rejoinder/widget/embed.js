/* Rejoinder comment widget. Plain JavaScript, no dependencies; talks only to its own server. */
(function () {
  "use strict";
  var D = document, W = window, CSS = "@@CSS@@", VER = "@@VER@@";
  var EN = {
    comments: {one: "{n} comment", other: "{n} comments"}, none: "No comments yet. Start the discussion.",
    loading: "Loading comments…", sort: "Sort", oldest: "Oldest", newest: "Newest", top: "Top",
    write: "Write a comment", text: "Comment", name: "Name (optional)", email: "Email (optional, never shown)",
    website: "Website (optional)", notify: "Notify me of replies", remember: "Remember me",
    post: "Post comment", save: "Save", cancel: "Cancel", preview: "Preview", edit_text: "Write",
    help: "Formatting help", help_text: "*italic*  **bold**  [link](https://…)  > quote  `code`. Leave a blank line between paragraphs.",
    reply: "Reply", reply_to: "Reply to {name}", quote: "Quote", like: "Like", edit: "Edit",
    left: "{t} left", del: "Delete", sure: "Really delete?", flag: "Report", reason: "Reason",
    spam: "Spam", harassment: "Harassment", hate: "Hate", misinformation: "Misinformation", other: "Other",
    note: "Note (optional)", send: "Send report", flagged: "Thank you. A moderator will look at it.",
    deleted: "[deleted]", pending: "Awaiting moderation", edited: "edited", in_reply: "in reply to {name}",
    anon: "Anonymous", more: "Show more comments", more_replies: "Show more replies",
    fresh: {one: "{n} new comment — show", other: "{n} new comments — show"},
    nudge: "This may come across as hostile. Would you like to rephrase it?", anyway: "Post anyway",
    keep: "Edit", failed: "Could not reach the comment server. Your text is kept; please try again.",
    retry: "Please try again in {n} seconds.", posted: "Your comment was posted.",
    held: "Your comment is awaiting moderation.", by: "Comment by {name}", permalink: "Link to this comment"
  };
  var me = D.currentScript || D.querySelector("script[data-rejoinder-site]");
  if (!me) return;
  var src = new URL(me.src, location.href), BASE = src.origin + src.pathname.replace(/\/[^/]*$/, "");
  function opt(n, d) { var v = me.getAttribute("data-rejoinder-" + n); return v ? v : d; }
  var SITE = opt("site"), URI = opt("uri", location.pathname), TITLE = opt("title", D.title);
  var LANG = (opt("lang") || D.documentElement.lang || navigator.language || "en").toLowerCase();
  var MAXD = Math.max(0, +opt("max-depth", 4) || 0), SORT = opt("sort", "oldest"), THEME = opt("theme", "auto");
  var L = EN, CFG = {edit_window_seconds: 900, max_text_length: 10000, nudge: false};
  var ID = 0, nodes = {}, queue = [], seen = {}, nextCursor = null, pre = null, total = 0, inflight = 0, later = [], root, list, moreBtn, freshBar, status, head;
  var reduced = W.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;

  /* storage: everything under one prefix, tolerant of blocked storage */
  function get(k, d) { try { var v = localStorage.getItem("rejoinder:" + k); return v ? JSON.parse(v) : d; } catch (e) { return d; } }
  function put(k, v) { try { if (v == null) localStorage.removeItem("rejoinder:" + k); else localStorage.setItem("rejoinder:" + k, JSON.stringify(v)); } catch (e) { /* full or blocked */ } }
  var voter = get("voter");
  if (!voter) { voter = Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join(""); put("voter", voter); }
  function own() { return get("own", {}); }
  function draftKey(target) { return "draft:" + SITE + ":" + URI + ":" + target; }

  function t(k, vars) {
    var s = L[k] != null ? L[k] : EN[k];
    if (typeof s == "object") s = s[new Intl.PluralRules(LANG).select(vars.n)] || s.other;
    return String(s).replace(/\{(\w+)\}/g, function (_, v) { return vars[v]; });
  }
  function h(tag, a, kids) {
    var e = D.createElement(tag);
    for (var k in a) {
      var v = a[k];
      if (v == null || v === false) continue;
      if (k.slice(0, 2) == "on") e.addEventListener(k.slice(2), v);
      else if (k == "text") e.textContent = v;
      else if (k == "html") e.innerHTML = v; /* only server-sanitized comment HTML */
      else e.setAttribute(k, v === true ? "" : v);
    }
    (kids || []).forEach(function (c) { if (c != null) e.append(c); });
    return e;
  }
  function btn(label, fn, cls, a) { a = a || {}; a.type = "button"; a.class = cls || "q"; a.text = label; a.onclick = fn; return h("button", a); }

  function api(method, path, body, headers) {
    var hd = Object.assign({Accept: "application/json"}, headers);
    if (body) hd["Content-Type"] = "application/json";
    return fetch(BASE + "/api/v1" + path, {method: method, headers: hd, body: body && JSON.stringify(body)})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (r.ok) return j;
          var msg = j.detail || t("failed"), s = r.headers.get("Retry-After");
          if (r.status == 429 && s) msg += " " + t("retry", {n: s});
          var e = new Error(msg); e.status = r.status; e.code = j.code; throw e;
        });
      }, function () { throw new Error(t("failed")); });
  }
  function q(o) { return Object.keys(o).filter(function (k) { return o[k] != null; }).map(function (k) { return k + "=" + encodeURIComponent(o[k]); }).join("&"); }

  /* identicon: 5x5 mirrored grid from the hex seed */
  function avatar(seed) {
    seed = (seed || "0").replace(/[^0-9a-f]/gi, "") || "0";
    var NS = "http://www.w3.org/2000/svg", s = D.createElementNS(NS, "svg"), hue = parseInt(seed.slice(0, 3), 16) % 360;
    s.setAttribute("viewBox", "0 0 5 5"); s.setAttribute("aria-hidden", "true");
    var bg = D.createElementNS(NS, "rect"); bg.setAttribute("width", 5); bg.setAttribute("height", 5); bg.setAttribute("fill", "hsl(" + hue + ",45%,90%)"); s.append(bg);
    for (var i = 0; i < 15; i++) {
      if (!(parseInt(seed[(i + 3) % seed.length], 16) & 1)) continue;
      var x = i % 3, y = (i / 3) | 0;
      [x, 4 - x].forEach(function (cx) {
        var r = D.createElementNS(NS, "rect"); r.setAttribute("x", cx); r.setAttribute("y", y); r.setAttribute("width", 1); r.setAttribute("height", 1); r.setAttribute("fill", "hsl(" + hue + ",55%,42%)"); s.append(r);
      });
    }
    return s;
  }
  var RTF;
  function ago(date) {
    var s = (date - Date.now()) / 1000, units = [[60, "second"], [60, "minute"], [24, "hour"], [30, "day"], [12, "month"], [1e9, "year"]];
    RTF = RTF || new Intl.RelativeTimeFormat(LANG, {numeric: "auto"});
    for (var i = 0; i < units.length; i++) { if (Math.abs(s) < units[i][0]) break; s /= units[i][0]; }
    return RTF.format(Math.round(s), units[Math.min(i, 5)][1]);
  }
  function timeEl(iso) { var d = new Date(iso); return h("time", {datetime: iso, title: d.toLocaleString(LANG), "data-t": iso, text: ago(d)}); }
  function left(until) {
    var m = Math.ceil((until - Date.now()) / 60000);
    return t("left", {t: new Intl.NumberFormat(LANG, {style: "unit", unit: "minute", unitDisplay: "short"}).format(m)});
  }

  /* one comment */
  function render(c, flat) {
    var mine = own()[c.id], a = c.author, dead = c.state == "deleted";
    var el = h("article", {class: "c", id: "comment-" + c.id, "data-id": c.id, tabindex: "-1", "aria-label": t("by", {name: a && a.name || t("anon")})});
    var name = a && /^https?:\/\//i.test(a.website || "") ? h("a", {class: "n", href: a.website, rel: "nofollow ugc noopener", target: "_blank", text: a.name || a.website})
      : h("span", {class: "n", text: dead ? t("deleted") : a && a.name || t("anon")});
    var meta = h("span", {class: "mt"}, [h("a", {href: "#comment-" + c.id, "aria-label": t("permalink"), onclick: jump(c.id)}, [timeEl(c.created)])]);
    if (c.edited) meta.append(" · " + t("edited"));
    var hd = h("div", {class: "ch"}, [dead ? null : avatar(a && a.avatar), name, a && a.badge ? h("span", {class: "mt vb", title: ts("verified", {}), text: "✓"}) : null, meta]);
    if (c.reply_to && (flat || c.reply_to != c.parent)) {
      var rn = c.reply_to_name || (nodes[c.reply_to] && nodes[c.reply_to].c.author && nodes[c.reply_to].c.author.name) || t("anon");
      hd.append(h("a", {class: "mt", href: "#comment-" + c.reply_to, onclick: jump(c.reply_to), text: "↪ " + t("in_reply", {name: rn})}));
    }
    if (c.state == "pending") hd.append(h("span", {class: "badge", text: t("pending")}));
    el.append(hd);
    var body = h("div", {class: dead ? "del" : "bd"});
    if (dead) body.textContent = t("deleted"); else body.innerHTML = c.html;
    el.append(body);
    var acts = h("div", {class: "ac"}), sub = h("div", {class: "sub"}), kids = h("div", {class: "k"});
    kids.hidden = true;
    if (!dead) {
      var liked = get("liked", {})[c.id];
      acts.append(
        btn(t("reply"), function () { openForm(c, sub, ""); }, "q", {"aria-label": t("reply_to", {name: a && a.name || t("anon")})}),
        h("button", {type: "button", class: "q", text: t("quote"), onmousedown: function (e) { e.preventDefault(); }, onclick: function () { openForm(c, sub, quoteOf(body)); }}),
        btn("♥ " + c.likes, function (e) { like(c, e.currentTarget); }, "q", {"aria-pressed": liked ? "true" : "false", "aria-label": t("like") + " (" + c.likes + ")"}),
        btn(t("flag"), function () { flagForm(c, sub); })
      );
      if (mine && mine.u > Date.now()) ownActions(c, acts, sub, mine);
    }
    el.append(acts, sub, kids);
    nodes[c.id] = {c: c, el: el, kids: kids, body: body, level: 0};
    return el;
  }
  function ownActions(c, acts, sub, mine) {
    var e = btn(t("edit") + " (" + left(mine.u) + ")", function () { editForm(c, sub); }, "q own");
    var d = btn(t("del"), function () {
      if (d.dataset.sure) return remove(c.id, d);
      d.dataset.sure = 1; d.textContent = t("sure"); d.focus();
    }, "q own");
    acts.append(e, d);
    var timer = setInterval(function () {
      if (!e.isConnected || mine.u <= Date.now()) { clearInterval(timer); e.remove(); d.remove(); } else e.textContent = t("edit") + " (" + left(mine.u) + ")";
    }, 20000);
  }
  function quoteOf(body) {
    var sel = (root.getSelection ? root.getSelection() : getSelection()), s = "";
    if (sel && sel.rangeCount && body.contains(sel.anchorNode)) s = sel.toString();
    s = (s || body.innerText).trim();
    return s.split("\n").map(function (l) { return "> " + l; }).join("\n") + "\n\n";
  }
  function jump(id) { return function (e) { if (e) e.preventDefault(); if (history.replaceState) history.replaceState(null, "", "#comment-" + id); seek(id); }; }

  /* where a comment goes: under its parent, nested up to MAXD levels, flat below that */
  function place(c, top, under) {
    if (nodes[c.id] && nodes[c.id].el.isConnected) return nodes[c.id].el;
    var p = c.parent && (nodes[c.parent] || under), flat = p && p.level >= MAXD;
    var el = render(c, flat), n = nodes[c.id];
    if (!p) { if (top) list.prepend(el); else list.append(el); }
    else {
      var box = flat ? p.el.parentNode : p.kids;
      n.level = flat ? p.level : p.level + 1;
      var moreAt = box.querySelector(":scope > .more");
      box.insertBefore(el, moreAt); box.hidden = false;
    }
    (c.replies || []).forEach(function (r) { place(r); });
    if (c.replies_cursor) moreReplies(c, c.replies_cursor);
    return el;
  }
  function moreReplies(c, cursor) {
    var n = nodes[c.id], b = btn(t("more_replies") + (c.replies_total ? " (" + (c.replies_total - countKids(n.el)) + ")" : ""), function () { loadReplies(c, cursor, b); }, "btn more");
    n.cursor = cursor; n.more = b; n.kids.append(b); n.kids.hidden = false;
  }
  function countKids(el) { return el.querySelectorAll(".c").length; }
  function loadReplies(c, cursor, b) {
    b.disabled = true;
    return api("GET", "/comments/" + c.id + "/replies?" + q({cursor: cursor})).then(function (r) {
      b.remove(); nodes[c.id].more = null;
      r.comments.forEach(function (x) { place(x, false, nodes[c.id]); });
      if (r.next_cursor) moreReplies(c, r.next_cursor);
    }, function (e) { b.disabled = false; say(e.message); });
  }
  function count() { head.textContent = total ? t("comments", {n: total}) : t("none"); }
  function say(msg) { status.textContent = msg; }

  /* reading */
  function load(reset) {
    if (reset) { list.textContent = ""; nodes = {}; nextCursor = null; }
    list.setAttribute("aria-busy", "true");
    var req = pre || api("GET", "/comments?" + q({site: SITE, uri: URI, sort: SORT, cursor: nextCursor}));
    pre = null;
    return req.then(function (p) {
      if (reset || !nextCursor) { total = p.total; count(); p.pinned.forEach(function (c) { place(c); }); }
      p.comments.forEach(function (c) { place(c); });
      nextCursor = p.next_cursor; moreBtn.hidden = !nextCursor;
      list.setAttribute("aria-busy", "false");
    }, function (e) { list.setAttribute("aria-busy", "false"); say(e.message); });
  }
  function showHeld() {
    var o = own();
    return Promise.all(Object.keys(o).filter(function (id) { return o[id].held && o[id].s == SITE && o[id].p == URI && !nodes[id]; }).map(function (id) {
      return api("GET", "/comments/" + id, null, {"X-Rejoinder-Edit-Token": o[id].t}).then(function (c) {
        if (c.state != "pending") { var x = own(); if (x[id]) { x[id].held = false; put("own", x); } }
        if (c.state == "pending" || c.state == "published") place(c);
      }, function () { /* expired or gone */ });
    }));
  }
  function seek(id) {
    var tries = 0;
    function found() {
      var n = nodes[id];
      if (!n) return false;
      n.el.scrollIntoView({behavior: reduced ? "auto" : "smooth", block: "center"});
      n.el.classList.add("hl"); n.el.focus({preventScroll: true});
      setTimeout(function () { n.el.classList.remove("hl"); }, 2500);
      return true;
    }
    if (found()) return Promise.resolve(true);
    var chain = [id];
    function up(cid) {
      return api("GET", "/comments/" + cid).then(function (c) { if (c.parent && chain.length < 40) { chain.unshift(c.parent); return up(c.parent); } });
    }
    function step() {
      if (found() || tries++ > 40) return;
      for (var i = chain.length - 1; i >= 0; i--) {
        var n = nodes[chain[i]];
        if (n && n.more) return loadReplies(n.c, n.cursor, n.more).then(step);
      }
      if (!nodes[chain[0]] && nextCursor) return load().then(step);
    }
    return up(id).then(step, function () { /* no such comment */ });
  }

  /* writing */
  function field(type, key, label, val, extra) {
    var id = "rj" + (++ID), a = Object.assign({id: id, name: key, type: type, value: val || "", autocomplete: key == "website" ? "url" : key}, extra);
    return h("div", {}, [h("label", {for: id, text: label}), h("input", a)]);
  }
  function form(opts) {
    var id = "rj" + (++ID), who = get("me") || {}, loaded = Date.now() / 1000, dk = draftKey(opts.target);
    var ta = h("textarea", {id: id, name: "text", required: true, maxlength: CFG.max_text_length, "aria-describedby": id + "h"});
    ta.value = opts.text || get(dk, "") || "";
    ta.addEventListener("input", function () { if (!opts.edit) put(dk, ta.value || null); });
    var err = h("p", {class: "err", role: "alert"}), pv = h("div", {class: "pv"}), nudge = h("div", {class: "nd", role: "alert"});
    pv.hidden = nudge.hidden = true;
    var f = h("form", {class: "f", "aria-label": opts.label, novalidate: true}, [
      h("label", {for: id, text: t("text")}), ta, pv,
      h("details", {id: id + "h"}, [h("summary", {text: t("help")}), h("span", {text: t("help_text")})])
    ]);
    if (!opts.edit) {
      f.append(h("div", {class: "fl"}, [field("text", "name", t("name"), who.name, {required: CFG.require_name || null}), field("email", "email", t("email"), who.email, {required: CFG.require_email || null}), field("url", "website", t("website"), who.website)]),
        h("div", {class: "ck"}, [h("label", {}, [h("input", {type: "checkbox", name: "notify", checked: !!who.notify}), t("notify")]), h("label", {}, [h("input", {type: "checkbox", name: "remember", checked: !!who.name || !!who.email}), t("remember")])]),
        h("div", {class: "hp", "aria-hidden": "true"}, [h("input", {name: "hp", tabindex: "-1", autocomplete: "off"})]));
    }
    var sendB = h("button", {type: "submit", class: "btn p", text: opts.edit ? t("save") : t("post")});
    var pvB = btn(t("preview"), function () {
      if (!pv.hidden) { pv.hidden = true; ta.hidden = false; pvB.textContent = t("preview"); ta.focus(); return; }
      api("POST", "/preview", {text: ta.value}).then(function (r) { pv.innerHTML = r.html; pv.hidden = false; ta.hidden = true; pvB.textContent = t("edit_text"); err.textContent = ""; }, function (e) { err.textContent = e.message; });
    }, "btn");
    var bt = h("div", {class: "bt"}, [sendB, pvB]);
    if (opts.cancel) bt.append(btn(t("cancel"), opts.cancel, "btn"));
    f.append(nudge, err, bt);
    var sure = false;
    f.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!ta.value.trim()) { ta.focus(); return; }
      err.textContent = ""; sendB.disabled = true;
      var v = function (n) { var x = f.elements[n]; return x ? (x.type == "checkbox" ? x.checked : x.value.trim() || null) : null; };
      var go = function () {
        if (opts.edit) return opts.send(ta.value);
        if (v("remember")) put("me", {name: v("name"), email: v("email"), website: v("website"), notify: v("notify")}); else put("me", null);
        return opts.send({site: SITE, uri: URI, title: TITLE, url: location.href.split("#")[0], text: ta.value, parent: opts.parent || null,
          name: v("name"), email: v("email"), website: v("website"), notify: !!v("notify"), hp: f.elements.hp.value, loaded_at: loaded});
      };
      var check = (CFG.nudge && !sure && !opts.edit) ? api("POST", "/drafts/score", {site: SITE, text: ta.value}).catch(function () { return {}; }) : Promise.resolve({});
      check.then(function (s) {
        if (s.nudge) {
          sendB.disabled = false; nudge.textContent = ""; nudge.hidden = false;
          nudge.append(h("p", {text: s.message || t("nudge")}), btn(t("anyway"), function () { sure = true; nudge.hidden = true; f.requestSubmit(); }, "btn"), " ", btn(t("keep"), function () { nudge.hidden = true; ta.focus(); }, "btn"));
          return;
        }
        return go().then(function () { put(dk, null); ta.value = ""; sendB.disabled = false; sure = false; if (opts.done) opts.done(); });
      }).catch(function (e2) { sendB.disabled = false; err.textContent = e2.message; });
    });
    return f;
  }
  function submit(body) {
    inflight++;
    return api("POST", "/comments", body, auth()).then(function (r) {
      var c = r.comment, o = own();
      o[c.id] = {t: r.edit_token, u: Date.parse(r.editable_until), s: SITE, p: URI, held: !!r.held, x: c.text};
      put("own", o); seen[c.id] = 1;
      var el = place(c, !c.parent && SORT == "newest");
      say(r.held ? (r.message || t("held")) : t("posted"));
      el.focus({preventScroll: true});
      if (!r.held) { total++; count(); }
    }, function (e) { if (e.code == "token_invalid") { put(TK, null); acct(); } throw e; }).finally(settle);
  }
  function openForm(c, sub, text) {
    var old = sub.querySelector("form");
    if (old) { var ta = old.elements.text; if (text) ta.value += (ta.value ? "\n" : "") + text; ta.focus(); return; }
    sub.textContent = "";
    var f = form({target: "r" + c.id, parent: c.id, label: t("reply_to", {name: c.author && c.author.name || t("anon")}), send: submit,
      cancel: function () { put(draftKey("r" + c.id), null); sub.textContent = ""; }, done: function () { sub.textContent = ""; }});
    sub.append(f);
    var ta2 = f.elements.text;
    if (text) { ta2.value = (ta2.value ? ta2.value + "\n" : "") + text; put(draftKey("r" + c.id), ta2.value); }
    ta2.focus(); ta2.setSelectionRange(ta2.value.length, ta2.value.length);
  }
  function editForm(c, sub) {
    var mine = own()[c.id];
    if (!mine) return;
    api("GET", "/comments/" + c.id, null, {"X-Rejoinder-Edit-Token": mine.t}).catch(function () { return {text: mine.x}; }).then(function (full) {
      sub.textContent = "";
      var f = form({target: "e" + c.id, edit: true, text: full.text || "", label: t("edit"), cancel: function () { sub.textContent = ""; },
        send: function (text) {
          return api("PATCH", "/comments/" + c.id, {text: text}, {"X-Rejoinder-Edit-Token": mine.t}).then(function (x) {
            nodes[c.id].body.innerHTML = x.html; var o = own(); if (o[c.id]) { o[c.id].x = text; put("own", o); } sub.textContent = "";
          });
        }});
      sub.append(f); f.elements.text.focus();
    });
  }
  function remove(id, b) {
    var mine = own()[id];
    api("DELETE", "/comments/" + id, null, {"X-Rejoinder-Edit-Token": mine && mine.t}).then(function () {
      var o = own(); delete o[id]; put("own", o); markDeleted(id);
    }, function (e) { say(e.message); b.textContent = t("del"); delete b.dataset.sure; });
  }
  function markDeleted(id) {
    var n = nodes[id];
    if (!n) return;
    var kids = n.el.querySelector(".k"), level = n.level;
    if (!kids.querySelector(".c")) { n.el.remove(); delete nodes[id]; return; }
    var el = render({id: id, parent: n.c.parent, state: "deleted", created: n.c.created, likes: 0, html: ""});
    el.replaceChild(kids, el.querySelector(".k"));
    n.el.replaceWith(el); nodes[id].level = level; nodes[id].kids = kids;
  }
  function like(c, b) {
    var on = b.getAttribute("aria-pressed") != "true";
    api(on ? "POST" : "DELETE", "/comments/" + c.id + "/like", null, {"X-Rejoinder-Voter": voter}).then(function (r) {
      var l = get("liked", {}); if (r.liked) l[c.id] = 1; else delete l[c.id]; put("liked", l);
      b.setAttribute("aria-pressed", r.liked ? "true" : "false"); b.textContent = "♥ " + r.likes; b.setAttribute("aria-label", t("like") + " (" + r.likes + ")");
    }, function (e) { say(e.message); });
  }
  function flagForm(c, sub) {
    sub.textContent = "";
    var id = "rj" + (++ID), sel = h("select", {id: id, name: "reason"}, ["spam", "harassment", "hate", "misinformation", "other"].map(function (r) { return h("option", {value: r, text: t(r)}); }));
    var note = field("text", "note", t("note"), "", {maxlength: 1000}), err = h("p", {class: "err", role: "alert"});
    var f = h("form", {class: "fg", "aria-label": t("flag")}, [h("div", {}, [h("label", {for: id, text: t("reason")}), sel]), note,
      h("button", {type: "submit", class: "btn", text: t("send")}), btn(t("cancel"), function () { sub.textContent = ""; }, "btn"), err]);
    f.addEventListener("submit", function (e) {
      e.preventDefault();
      api("POST", "/comments/" + c.id + "/flag", {reason: sel.value, note: f.elements.note.value || null}, {"X-Rejoinder-Voter": voter}).then(function () {
        sub.textContent = ""; sub.append(h("p", {class: "ok", role: "status", text: t("flagged")}));
      }, function (x) { err.textContent = x.message; });
    });
    sub.append(f); sel.focus();
  }

  /* live updates: others' new comments wait behind the "new comments" bar */
  function live() {
    if (!W.EventSource) return;
    var es = new EventSource(BASE + "/api/v1/comments/stream?" + q({site: SITE, uri: URI}));
    es.addEventListener("comment", function (e) { incoming(JSON.parse(e.data).comment); });
    es.addEventListener("edit", function (e) { var c = JSON.parse(e.data).comment, n = nodes[c.id]; if (n && c.html) n.body.innerHTML = c.html; });
    es.addEventListener("delete", function (e) { markDeleted(JSON.parse(e.data).id); });
  }
  /* an event may beat the answer to our own POST: decide once our posts have settled */
  function incoming(c) {
    if (inflight) return later.push(c);
    if (seen[c.id] || nodes[c.id] || own()[c.id]) return;
    seen[c.id] = 1; queue.push(c); fresh();
  }
  function settle() { if (!--inflight) later.splice(0).forEach(incoming); }
  function fresh() {
    freshBar.textContent = "";
    if (queue.length) freshBar.append(btn(t("fresh", {n: queue.length}), function () {
      var first = queue[0];
      queue.splice(0).forEach(function (c) { place(c, !c.parent && SORT == "newest"); });
      fresh(); var n = nodes[first.id]; if (n) n.el.focus();
    }));
  }

  /* sign-in: a popup on the comment server hands back a bearer token by postMessage */
  var TK = "tok:" + SITE, IDO = {methods: []}, bar, popup;
  /* sign-in strings: the English defaults; the catalogues translate them */
  var SI = {signin: "Sign in", signout: "Sign out", as: "Signed in as {name}", mine: "My comments", verified: "verified"};
  function ts(k, v) { return String(L[k] || SI[k]).replace(/\{(\w+)\}/g, function (_, x) { return v[x]; }); }
  function auth() { var k = get(TK); return k ? {Authorization: "Bearer " + k.t} : {}; }
  function acct() {
    if (!bar) return;
    var k = get(TK); bar.textContent = "";
    root.querySelectorAll(".fl").forEach(function (x) { x.hidden = !!k; });
    if (k) {
      bar.append(h("span", {class: "me", text: ts("as", {name: k.p.name}) + " ✓"}), " ",
        btn(ts("mine", {}), mine, "q"), " ",
        btn(ts("signout", {}), function () { api("POST", "/signin/signout", null, auth()).catch(function () {}); put(TK, null); acct(); }, "q"));
    } else if (IDO.methods.some(function (m) { return m != "guest"; })) {
      bar.append(btn(ts("signin", {}), function () {
        popup = W.open(BASE + "/signin?" + q({site: SITE, origin: location.origin}), "rejoinder-signin", "width=480,height=640");
      }, "btn"));
    }
  }
  function mine() {
    api("GET", "/me/comments?" + q({site: SITE}), null, auth()).then(function (r) {
      var box = h("ul", {class: "my"});
      r.comments.forEach(function (c) {
        var li = h("li", {}, [h("a", {href: c.thread.url || c.thread.uri, text: (c.thread.title || c.thread.uri) + ": "}), c.text.slice(0, 80), " ",
          btn(t("del"), function () { api("DELETE", "/me/comments/" + c.id, null, auth()).then(function () { li.remove(); }, function (e) { say(e.message); }); })]);
        box.append(li);
      });
      var old = bar.querySelector(".my"); if (old) old.remove();
      bar.append(box);
    }, function (e) { say(e.message); });
  }
  W.addEventListener("message", function (e) {
    var d = e.data;
    if (e.origin !== src.origin || !d || d.type !== "rejoinder:signin" || typeof d.token != "string") return;
    put(TK, {t: d.token, p: d.profile || {}});
    var o = own(), toks = Object.keys(o).filter(function (id) { return o[id].s == SITE; }).map(function (id) { return o[id].t; });
    if (toks.length) api("POST", "/me/claim", {edit_tokens: toks}, auth()).catch(function () {});
    acct();
  });

  function start(host) {
    var shadow = host.attachShadow ? host.attachShadow({mode: "open"}) : host;
    root = shadow;
    var wrap = h("div", {class: "rj", "data-theme": THEME, lang: LANG});
    head = h("h2", {text: t("loading")});
    var sortSel = h("select", {id: "rjsort", onchange: function () { SORT = sortSel.value; load(true).then(showHeld); }}, ["oldest", "newest", "top"].map(function (s) { return h("option", {value: s, text: t(s), selected: s == SORT}); }));
    status = h("div", {class: "st", role: "status", "aria-live": "polite"});
    freshBar = h("div", {class: "new", "aria-live": "polite"});
    list = h("div", {class: "ls", role: "feed", "aria-label": t("loading"), "aria-busy": "true"});
    moreBtn = btn(t("more"), function () { moreBtn.disabled = true; load().then(function () { moreBtn.disabled = false; }); }, "btn more");
    moreBtn.hidden = true;
    var main = form({target: "new", label: t("write"), send: submit});
    bar = h("div", {class: "acct"});
    wrap.append(h("div", {class: "hd"}, [head, h("span", {}, [h("label", {for: "rjsort", text: t("sort") + " "}), sortSel])]), bar, main, status, freshBar, list, moreBtn);
    shadow.append(h("style", {text: CSS}), wrap);
    acct();
    return load(true).then(showHeld).then(function () {
      list.setAttribute("aria-label", head.textContent);
      Object.keys(nodes).forEach(function (id) {
        var d = get(draftKey("r" + id)); if (d) openForm(nodes[id].c, nodes[id].el.querySelector(".sub"), "");
      });
      performance.mark("rejoinder:ready");
      var m = /^#comment-(\d+)$/.exec(location.hash);
      if (m) seek(+m[1]);
      live();
      setInterval(function () { root.querySelectorAll("time[data-t]").forEach(function (x) { x.textContent = ago(new Date(x.dataset.t)); }); }, 60000);
    });
  }
  W.addEventListener("hashchange", function () { var m = /^#comment-(\d+)$/.exec(location.hash); if (m && root) seek(+m[1]); });

  function boot() {
    var host = D.querySelector(opt("container", "#rejoinder"));
    if (!host || !SITE) return;
    var code = LANG.split("-")[0], langs = "@@LANGS@@".split(",");
    var cat = code != "en" && langs.indexOf(code) >= 0 ? fetch(BASE + "/widget/lang-" + code + ".json?v=" + VER).then(function (r) { return r.json(); }).catch(function () { return {}; }) : Promise.resolve(null);
    pre = api("GET", "/comments?" + q({site: SITE, uri: URI, sort: SORT}));
    pre.catch(function () { /* shown by load() */ });
    var cfg = api("GET", "/sites/" + encodeURIComponent(SITE) + "/config").catch(function () { return {}; });
    var ido = api("GET", "/signin/options?" + q({site: SITE})).catch(function () { return IDO; });
    Promise.all([cat, cfg, ido]).then(function (r) {
      if (r[0]) L = r[0]; else LANG = code == "en" || langs.indexOf(code) < 0 ? "en" : LANG;
      Object.assign(CFG, r[1]); IDO = r[2];
      start(host);
    });
  }
  /* own edit rights older than a day are useless: forget them */
  var o = own(), now = Date.now();
  Object.keys(o).forEach(function (k) { if (o[k].u < now - 864e5) delete o[k]; });
  put("own", o);
  if (D.readyState == "loading") D.addEventListener("DOMContentLoaded", boot); else boot();
})();

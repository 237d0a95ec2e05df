/* Xiafang on a phone (added once per page by pages.common.phone_layout; runs in the app's own page).

   1. On a narrow screen, tapping a page (or 退出登录) in the sidebar closes the sidebar, so the next page is not
      left covered.
   2. Outcome forms typed in the field are kept on the phone until the server confirms the save:
      - every form inside an element with class ``st-key-xfdraft_{id}`` is copied to localStorage as it is typed;
      - while the connection to the server is down, a banner says the outcome is NOT saved and the text is kept;
      - when the page shows ``st-key-xfsaved_{id}_{n}`` (the server's confirmation of save n), the copy is deleted;
      - if the page was reloaded (new session, sign-in again), the form is filled back from the copy when the copy
        was typed over the record the form still shows (``_v{version}`` of the box; v0 = none yet) and differs
        from it, with a note "已恢复未保存的草稿（time）" and a 放弃草稿 button; a copy typed over an older state of
        the record is dropped (the saved record is newer);
      - signing out (退出登录) deletes every copy, so that a shared phone never shows them to the next user.
   Nothing here talks to the network. Keep this file free of the less-than sign: the app's HTML sanitiser drops
   a script that holds one. */
(function () {
  "use strict";
  if (window.__xfPhone) return;
  window.__xfPhone = true;

  var NARROW = 640;
  var PREFIX = "xiafang.draft.";
  var MAX_AGE_MS = 3 * 24 * 3600 * 1000;
  var restored = {};
  var openedAt = {};  // when this script opened the expander of a form (its values are drawn after that)
  var announced = {};

  // --- 1. close the sidebar after navigating (or signing out) on a phone; signing out forgets every draft
  document.addEventListener("click", function (ev) {
    var hit = ev.target && ev.target.closest && ev.target.closest('[data-testid="stSidebar"] a, [data-testid="stSidebar"] button');
    if (!hit || hit.closest('[data-testid="stSidebarCollapseButton"]')) return;
    // A shared phone must not show the previous user's typed outcomes to the next one.
    if (hit.closest(".st-key-logout")) forgetAll();
    if (window.innerWidth > NARROW) return;
    setTimeout(function () {
      var btn = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (btn) btn.click();
    }, 0);
  }, true);

  // --- 2. drafts of outcome forms
  // A form's box is ``st-key-xfdraft_{id}_v{version}``: the version of the saved record the form shows (0: none).
  function boxInfo(box) {
    var m = /st-key-xfdraft_([A-Za-z0-9]+)(?:_v([0-9]+))?/.exec(box.className);
    return m ? { id: m[1], version: m[2] ? parseInt(m[2], 10) : 0, box: box } : null;
  }

  function draftIdOf(el) {
    var box = el && el.closest && el.closest('[class*="st-key-xfdraft_"]');
    return box ? boxInfo(box) : null;
  }

  function forgetAll() {
    try {
      Object.keys(localStorage).forEach(function (k) {
        if (k.indexOf(PREFIX) === 0) localStorage.removeItem(k);
      });
    } catch (e) { /* storage disabled: nothing kept */ }
  }

  function fieldKey(el, box) {
    var node = el;
    while (node && node !== box) {
      var m = node.className && typeof node.className === "string" && /st-key-(xf_[A-Za-z0-9_]+)/.exec(node.className);
      if (m) return m[1];
      node = node.parentElement;
    }
    return null;
  }

  function readFields(box) {
    var out = {};
    box.querySelectorAll("textarea, input").forEach(function (input) {
      var key = fieldKey(input, box);
      if (!key) return;
      if (input.type === "radio") {
        if (input.checked) out[key] = { kind: "radio", value: input.value };
      } else if (input.type === "checkbox") {
        out[key] = { kind: "checkbox", value: input.checked ? "1" : "" };
      } else if (input.type !== "hidden") {
        out[key] = { kind: input.tagName === "TEXTAREA" ? "textarea" : "input", value: input.value };
      }
    });
    return out;
  }

  function load(id) {
    try {
      var d = JSON.parse(localStorage.getItem(PREFIX + id) || "null");
      if (d && Date.now() - d.at > MAX_AGE_MS) {
        localStorage.removeItem(PREFIX + id);
        return null;
      }
      return d;
    } catch (e) {
      return null;
    }
  }

  var muted = false;  // while a discarded draft's form is set back: those changes are not a new draft
  function save(info) {
    if (muted) return;
    try {
      localStorage.setItem(PREFIX + info.id, JSON.stringify({ at: Date.now(), base: info.version,
                                                               fields: readFields(info.box) }));
    } catch (e) { /* storage full or disabled: the banner still warns */ }
  }

  function onEdit(ev) {
    var hit = draftIdOf(ev.target);
    if (hit) save(hit);
  }
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);

  function setValue(input, value) {
    var proto = input.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Fill a form in from saved fields; returns how many of those fields the form shows (0: still being drawn).
  function fill(box, fields) {
    var found = 0;
    Object.keys(fields || {}).forEach(function (key) {
      var f = fields[key];
      var holder = box.querySelector(".st-key-" + key);
      if (!holder) return;
      if (f.kind === "radio") {
        var radio = holder.querySelector('input[type="radio"][value="' + String(f.value).replace(/"/g, "") + '"]');
        if (!radio) return;
        found += 1;
        if (!radio.checked) (radio.closest("label") || radio).click();
        return;
      }
      if (f.kind === "checkbox") {
        var box2 = holder.querySelector('input[type="checkbox"]');
        if (!box2) return;
        found += 1;
        if (box2.checked !== (f.value === "1")) (box2.closest("label") || box2).click();
        return;
      }
      var input = holder.querySelector(f.kind === "textarea" ? "textarea" : "input");
      if (!input) return;
      found += 1;
      if (input.value !== f.value) setValue(input, f.value);
    });
    return found;
  }

  // The keys whose draft value differs from what the form shows; null while the form is not fully drawn yet (the
  // page draws a form field by field: deciding on half a form would drop or half-restore the draft).
  function changed(box, shown, draft) {
    var keys = Object.keys(draft.fields || {});
    var drawn = keys.every(function (k) {
      var holder = box.querySelector(".st-key-" + k);
      return holder && holder.querySelector("input, textarea");
    });
    if (!keys.length || !drawn) return null;
    return keys.filter(function (k) {
      var s = shown[k];
      var d = draft.fields[k];
      // A radio with nothing picked is absent from ``shown``: a picked one in the draft is a change.
      return !s ? d.kind === "radio" : s.value !== d.value;
    });
  }

  function two(n) { return ("0" + n).slice(-2); }
  function when(ms) {
    var d = new Date(ms);
    var now = new Date();
    var hm = two(d.getHours()) + ":" + two(d.getMinutes());
    if (d.toDateString() === now.toDateString()) return hm;
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + hm;
  }

  // The forms refilled from a copy, with what the server showed (what 放弃草稿 goes back to).
  var noted = {};

  // A note above a refilled form: what happened, and a button that throws the draft away.
  function addNote(info, draft, shown) {
    noted[info.id] = shown;
    var old = info.box.querySelector(".xf-draft-note");
    if (old) old.remove();
    var note = document.createElement("div");
    note.className = "xf-draft-note";
    note.setAttribute("role", "status");
    note.style.cssText = "margin:0 0 8px;padding:8px 10px;border:1px solid #ef6c00;border-radius:6px;" +
      "background:#fff3e0;color:#4e2600;font:16px/1.5 sans-serif";
    var text = document.createElement("span");
    text.textContent = "已恢复未保存的草稿（" + when(draft.at) + "），请核对后点“保存”。";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "xf-draft-discard";
    discard.textContent = "放弃草稿";
    discard.style.cssText = "margin-left:8px;padding:4px 12px;border:1px solid #4e2600;border-radius:6px;" +
      "background:#fff;color:#4e2600;font:16px/1.4 sans-serif";
    discard.addEventListener("click", function (ev) {
      ev.preventDefault();
      localStorage.removeItem(PREFIX + info.id);
      delete noted[info.id];
      muted = true;
      try { fill(info.box, shown); } finally { muted = false; }  // back to what the server showed
      note.remove();
      notice = "";
      check();
    });
    note.appendChild(text);
    note.appendChild(discard);
    info.box.insertBefore(note, info.box.firstChild);
  }

  var banner = null;
  function show(text) {
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "xf-banner";
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:1000002;padding:10px 14px;" +
        "background:#b71c1c;color:#fff;font:600 16px/1.4 sans-serif;box-shadow:0 2px 6px rgba(0,0,0,.4)";
      document.body.appendChild(banner);
    }
    banner.textContent = text;
    banner.style.display = text ? "block" : "none";
  }

  function unsavedIds() {
    var ids = [];
    document.querySelectorAll('[class*="st-key-xfdraft_"]').forEach(function (box) {
      var info = boxInfo(box);
      if (info && load(info.id)) ids.push(info.id);
    });
    return ids;
  }

  var notice = "";
  // Decide, once per form and page life, what a kept draft does to the form the server drew.
  function restoreInto(info) {
    var d = load(info.id);
    if (!d) return true;
    // Only on a finished run: mid-run the form may still be the previous run's (a field not yet given its value),
    // and what it shows now is what 放弃草稿 goes back to.
    var run = document.querySelector('[data-testid="stApp"]');
    if (run && run.getAttribute("data-test-script-state") && run.getAttribute("data-test-script-state") !== "notRunning") {
      return false;
    }
    var base = typeof d.base === "number" ? d.base : 0;
    if (base !== info.version) {
      // Typed over another state of the record (before a save the phone never heard of, or before someone
      // else's correction): the saved record is newer, so the draft is dropped.
      localStorage.removeItem(PREFIX + info.id);
      return true;
    }
    // A form in an expander this script just opened is drawn a moment later with the server's values: read what it
    // shows only then, or 放弃草稿 goes back to an empty form (a slow phone showed the saved record as blank).
    if (openedAt[info.id] && Date.now() - openedAt[info.id] < 600) {
      setTimeout(check, 650);
      return false;
    }
    var shown = readFields(info.box);
    var diff = changed(info.box, shown, d);
    if (diff === null) {
      // Not drawn: a collapsed expander may hold it. Open it so that the draft can be shown.
      var det = info.box.closest("details");
      if (det && !det.open) {
        var summary = det.querySelector("summary");
        if (summary) summary.click();
        openedAt[info.id] = Date.now();
      }
      return false;
    }
    if (!diff.length) {
      localStorage.removeItem(PREFIX + info.id);  // the draft is what is saved already
      return true;
    }
    var det2 = info.box.closest("details");
    if (det2 && !det2.open) {
      // Drawn but folded away: open it first and decide once it is drawn open (opening redraws the form, which
      // dropped a note added at once and left the form without it).
      var summary2 = det2.querySelector("summary");
      if (summary2) summary2.click();
      openedAt[info.id] = Date.now();
      setTimeout(check, 650);
      return false;
    }
    muted = true;  // the copy already holds these values, and keeps the time they were typed
    try { fill(info.box, d.fields); } finally { muted = false; }
    addNote(info, d, shown);
    if (!notice) info.box.scrollIntoView({ block: "center" });  // the first refilled form, where the note is
    notice = "已恢复未保存的草稿（" + when(d.at) + "），请核对后点“保存”。";
    return true;
  }

  function check() {
    // The server confirmed a save: forget that copy.
    // Once per confirmation (``xfsaved_{id}_{n}``, n new for each save): the confirmation stays on the page while the
    // officer goes on correcting that record, and that new typing is a draft again.
    document.querySelectorAll('[class*="st-key-xfsaved_"]').forEach(function (el) {
      var m = /st-key-xfsaved_([A-Za-z0-9]+)(?:_([0-9]+))?/.exec(el.className);
      if (m && !announced[m[0]]) {
        announced[m[0]] = true;
        localStorage.removeItem(PREFIX + m[1]);
        restored[m[1]] = true;
        // Show the confirmation where the officer looks, not above the fold they scrolled past.
        el.scrollIntoView({ block: "center" });
      }
    });
    // A form on the page that has a copy from before a reload: fill it back in (once per page life).
    document.querySelectorAll('[class*="st-key-xfdraft_"]').forEach(function (box) {
      var info = boxInfo(box);
      if (!info || restored[info.id]) return;
      if (restoreInto(info)) restored[info.id] = true;
    });
    // A refilled form the page drew again (a rerun, an expander opening) lost its note and maybe its values: while
    // the copy is kept, put both back (from the copy, which holds what was typed since).
    Object.keys(noted).forEach(function (id) {
      var d = load(id);
      if (!d) { delete noted[id]; return; }
      var box = document.querySelector('[class*="st-key-xfdraft_' + id + '_v"]');
      var info = box ? boxInfo(box) : null;
      if (!info || box.querySelector(".xf-draft-note")) return;
      muted = true;
      try { fill(box, d.fields); } finally { muted = false; }
      addNote(info, d, noted[id]);
    });
    var app = document.querySelector('[data-testid="stApp"]');
    var state = app ? app.getAttribute("data-test-connection-state") : "CONNECTED";
    var offline = state && state !== "CONNECTED";
    if (offline && unsavedIds().length) {
      show("网络已断开：走访结果尚未保存。已填写的内容保留在本机，恢复网络后请再点“保存”。");
    } else if (notice && unsavedIds().length) {
      show(notice);
    } else {
      notice = "";
      show("");
    }
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; check(); }, 150);
  }).observe(document.body, { subtree: true, childList: true, attributes: true,
                              attributeFilter: ["data-test-connection-state", "data-test-script-state", "class"] });
  check();
})();

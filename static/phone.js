/* Xiafang on a phone (added once per page by pages.common.phone_layout; runs in the app's own page).

   1. On a narrow screen, tapping a page (or 退出登录) in the sidebar closes the sidebar, so the next page is not
      left covered.
   2. Outcome forms typed in the field are kept on the phone until the server confirms the save:
      - every form inside an element with class ``st-key-xfdraft_{id}`` is copied to localStorage as it is typed;
      - while the connection to the server is down, a banner says the outcome is NOT saved and the text is kept;
      - when the page shows ``st-key-xfsaved_{id}`` (the server's confirmation), the copy is deleted;
      - if the page was reloaded (new session, sign-in again), the form is filled back from the copy.
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
  var announced = {};

  // --- 1. close the sidebar after navigating (or signing out) on a phone
  document.addEventListener("click", function (ev) {
    var hit = ev.target && ev.target.closest && ev.target.closest('[data-testid="stSidebar"] a, [data-testid="stSidebar"] button');
    if (!hit || hit.closest('[data-testid="stSidebarCollapseButton"]') || window.innerWidth > NARROW) return;
    setTimeout(function () {
      var btn = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (btn) btn.click();
    }, 0);
  }, true);

  // --- 2. drafts of outcome forms
  function draftIdOf(el) {
    var box = el && el.closest && el.closest('[class*="st-key-xfdraft_"]');
    if (!box) return null;
    var m = /st-key-xfdraft_([A-Za-z0-9]+)/.exec(box.className);
    return m ? { id: m[1], box: box } : null;
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

  function save(id, box) {
    try {
      localStorage.setItem(PREFIX + id, JSON.stringify({ at: Date.now(), fields: readFields(box) }));
    } catch (e) { /* storage full or disabled: the banner still warns */ }
  }

  function onEdit(ev) {
    var hit = draftIdOf(ev.target);
    if (hit) save(hit.id, hit.box);
  }
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);

  function setValue(input, value) {
    var proto = input.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Fill a form back in from its copy; returns how many of the copy's fields the form already shows (0: the form is
  // still being drawn, try again on the next change of the page).
  function restore(box, draft) {
    var found = 0;
    Object.keys(draft.fields || {}).forEach(function (key) {
      var f = draft.fields[key];
      var holder = box.querySelector(".st-key-" + key);
      if (!holder) return;
      if (f.kind === "radio") {
        var radio = holder.querySelector('input[type="radio"][value="' + String(f.value).replace(/"/g, "") + '"]');
        if (!radio) return;
        found += 1;
        if (!radio.checked) (radio.closest("label") || radio).click();
        return;
      }
      var input = holder.querySelector(f.kind === "textarea" ? "textarea" : "input");
      if (!input) return;
      found += 1;
      if (input.value !== f.value) setValue(input, f.value);
    });
    return found;
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
      var m = /st-key-xfdraft_([A-Za-z0-9]+)/.exec(box.className);
      if (m && load(m[1])) ids.push(m[1]);
    });
    return ids;
  }

  var notice = "";
  function check() {
    // The server confirmed a save: forget that copy.
    document.querySelectorAll('[class*="st-key-xfsaved_"]').forEach(function (el) {
      var m = /st-key-xfsaved_([A-Za-z0-9]+)/.exec(el.className);
      if (m) {
        localStorage.removeItem(PREFIX + m[1]);
        restored[m[1]] = true;
        // Show the confirmation where the officer looks, not above the fold they scrolled past.
        if (!announced[m[1]]) {
          announced[m[1]] = true;
          el.scrollIntoView({ block: "center" });
        }
      }
    });
    // A form on the page that has a copy from before a reload: fill it back in (once per page life).
    document.querySelectorAll('[class*="st-key-xfdraft_"]').forEach(function (box) {
      var m = /st-key-xfdraft_([A-Za-z0-9]+)/.exec(box.className);
      if (!m || restored[m[1]]) return;
      var d = load(m[1]);
      if (!d) {
        restored[m[1]] = true;
        return;
      }
      if (restore(box, d) > 0) {
        restored[m[1]] = true;
        notice = "已恢复上次未保存的走访结果，请核对后点“保存”。";
      }
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
                              attributeFilter: ["data-test-connection-state", "class"] });
  check();
})();

/*
 * Drafts that survive a lost connection, for forms filled in the street.
 *
 * A form with data-draft="<key>" keeps what is typed in this browser's localStorage, under
 * the signed-in person's id, as it is typed. Opening the form again (after the page could
 * not be sent, or the phone went to sleep) puts the draft back and says so. The draft is
 * removed when the server confirms the save (a page with data-draft-saved="<key>"), when
 * the person discards it, and when they sign out. Only forms without survivor information
 * use it: a request for help is never kept on the phone.
 */
(function () {
  "use strict";

  var PREFIX = "bloom:draft:";

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode, or storage switched off: the form works as before
    }
  }

  function keyOf(owner, key) {
    return PREFIX + owner + ":" + key;
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" && el.type !== "button";
    });
  }

  function read(form) {
    var values = {};
    fieldsOf(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function write(form, values) {
    fieldsOf(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else {
        el.value = value;
      }
    });
  }

  function start(form, store) {
    var key = keyOf(form.dataset.draftOwner, form.dataset.draft);
    var notice = document.querySelector("[data-draft-notice]");
    var saved = store.getItem(key);
    // A page sent back with errors already shows what was typed: the server's copy wins.
    if (saved && !form.dataset.draftErrors) {
      try {
        write(form, JSON.parse(saved).values);
        if (notice) {
          notice.querySelector("[data-draft-message]").textContent = form.dataset.draftRestored;
          notice.hidden = false;
        }
      } catch (e) {
        store.removeItem(key);
      }
    }
    var timer = null;
    function keep() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        store.setItem(key, JSON.stringify({ at: new Date().toISOString(), values: read(form) }));
      }, 300);
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    if (notice) {
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        store.removeItem(key);
        notice.hidden = true;
        window.location.reload();
      });
    }
    var offline = document.querySelector("[data-offline-notice]");
    if (offline) {
      var show = function () { offline.hidden = navigator.onLine; };
      window.addEventListener("online", show);
      window.addEventListener("offline", show);
      show();
      // Sending while offline would lose the page: keep the draft and say so instead.
      form.addEventListener("submit", function (event) {
        if (!navigator.onLine) {
          event.preventDefault();
          store.setItem(key, JSON.stringify({ at: new Date().toISOString(), values: read(form) }));
          offline.hidden = false;
          offline.focus && offline.focus();
        }
      });
    }
  }

  function forget(owner, key) {
    var store = storage();
    if (store) store.removeItem(keyOf(owner, key));
  }

  function forgetAll() {
    var store = storage();
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) store.removeItem(name);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var store = storage();
    document.querySelectorAll("[data-draft-saved]").forEach(function (el) {
      forget(el.dataset.draftOwner, el.dataset.draftSaved);
    });
    if (store) {
      document.querySelectorAll("form[data-draft]").forEach(function (form) { start(form, store); });
    }
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", forgetAll);
    });
  });
})();

/* Segmatch console: small helpers for the Faces Ajax updates. Served by the application. */
var segmatch = (function () {
  "use strict";
  var focusedId = null;
  var selection = null;

  /* An Ajax update that re-renders the element holding the focus would drop it: put it back. */
  function keepFocus(data) {
    if (data.status === "begin") {
      var el = document.activeElement;
      focusedId = el && el.id ? el.id : null;
      selection = el && typeof el.selectionStart === "number" ? [el.selectionStart, el.selectionEnd] : null;
    } else if (data.status === "success" && focusedId) {
      var target = document.getElementById(focusedId);
      if (!target) {
        /* the focused row went away: go to the "add a condition" button */
        target = document.querySelector("form.builder .add") || document.querySelector("form.builder select");
      }
      if (target && document.activeElement !== target) {
        target.focus();
        if (selection && typeof target.setSelectionRange === "function") {
          try { target.setSelectionRange(selection[0], selection[1]); } catch (e) { /* not a text input */ }
        }
      }
    }
  }

  /* After "add a condition": focus the new row's field chooser. */
  function focusLastField(data) {
    if (data.status === "success") {
      var fields = document.querySelectorAll("form.builder li.condition select");
      var rows = document.querySelectorAll("form.builder li.condition");
      if (rows.length) {
        var first = rows[rows.length - 1].querySelector("select, input, textarea");
        if (first) { first.focus(); }
      } else if (fields.length) {
        fields[fields.length - 1].focus();
      }
    }
  }

  /* "Are you sure?" before a button marked data-confirm does anything. */
  document.addEventListener("click", function (e) {
    var el = e.target && e.target.closest ? e.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  /* A button marked data-copy copies the value of the element it names. */
  document.addEventListener("click", function (e) {
    var el = e.target && e.target.closest ? e.target.closest("[data-copy]") : null;
    if (!el) { return; }
    var source = document.getElementById(el.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () { el.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      source.select();
      document.execCommand("copy");
      done();
    }
  });

  /*
   * Faces Ajax behaviours (<f:ajax>). The page carries no inline handlers (the Content Security
   * Policy forbids them): the server renders each as data-ajax-EVENT='{"event": …, "execute": …,
   * "render": …, "delay": …, "onevent": …}' and this makes the call Faces would have made.
   */
  function named(name) {
    var f = window;
    name.split(".").forEach(function (part) { f = f ? f[part] : undefined; });
    return typeof f === "function" ? f : undefined;
  }
  ["change", "click", "keyup", "keydown", "input", "blur", "focus", "dblclick", "select"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var el = e.target && e.target.closest ? e.target.closest("[data-ajax-" + type + "]") : null;
      var faces = window.faces || window.jsf;
      if (!el || !faces) { return; }
      var call = JSON.parse(el.getAttribute("data-ajax-" + type));
      var options = { "jakarta.faces.behavior.event": call.event };
      if (call.execute) { options.execute = call.execute; }
      if (call.render) { options.render = call.render; }
      if (call.delay) { options.delay = call.delay; }
      if (call.onevent && named(call.onevent)) { options.onevent = named(call.onevent); }
      faces.ajax.request(el, e, options);
      if (call.preventDefault) { e.preventDefault(); }
    }, true);
  });

  /* Enter in a builder's text box must not press the first button of the form (removing a row). */
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "Enter" && t.tagName === "INPUT" && t.form && t.form.classList.contains("builder")
        && t.type !== "submit" && t.type !== "checkbox" && t.type !== "radio") {
      e.preventDefault();
    }
  });

  /* Requests in flight: the preview is marked busy (and dimmed) until its answer arrives. */
  var pending = 0;
  /* Typing in the builder sends its request only after a pause (the f:ajax delay of 300 ms):
     until that request begins, it counts as pending too (for at most a second, in case a key
     changed nothing that sends one). */
  var typedAt = 0;
  document.addEventListener("keyup", function (e) {
    var t = e.target;
    if (t.form && t.form.classList.contains("builder") && (t.tagName === "INPUT" || t.tagName === "TEXTAREA")) {
      typedAt = Date.now();
    }
  });
  function awaitingTyped() {
    return typedAt > 0 && Date.now() - typedAt < 1000;
  }
  function track(data) {
    if (data.status === "begin") {
      typedAt = 0;
      pending++;
    } else if (data.status === "success") {
      pending = Math.max(0, pending - 1);
    }
    var preview = document.querySelector(".preview");
    if (preview) {
      preview.setAttribute("aria-busy", pending > 0 ? "true" : "false");
    }
  }
  window.addEventListener("DOMContentLoaded", function () {
    var f = window.faces || window.jsf;
    if (f && f.ajax) {
      f.ajax.addOnEvent(track);
      f.ajax.addOnError(function (data) { track({ status: "success", source: data.source }); });
    }
  });

  return {
    keepFocus: keepFocus,
    focusLastField: focusLastField,
    /* how many console requests are still waiting for their answer (or, after typing, to be sent) */
    pending: function () { return pending + (awaitingTyped() ? 1 : 0); }
  };
})();

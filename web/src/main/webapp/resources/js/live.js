/*
 * Segmatch console, live: keeps the page's counts, statuses and times current from the
 * server's event stream (GET /api/events, "segments" events), and reconnects by itself.
 * Served by the application; nothing comes from the internet. Names are set as text, never
 * as markup.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-events]");
  if (!root || !window.EventSource
      || !document.querySelector("[data-live-field], [data-live-segments], [data-live-segment]")) {
    return;
  }
  var url = root.getAttribute("data-live-events");
  var numbers = new Intl.NumberFormat("en");
  var source = null;

  function ago(iso) {
    if (!iso) {
      return "never";
    }
    var s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 45) { return "just now"; }
    if (s < 90 * 60) { var m = Math.max(1, Math.round(s / 60)); return m + (m === 1 ? " minute ago" : " minutes ago"); }
    if (s < 36 * 3600) { var h = Math.round(s / 3600); return h + (h === 1 ? " hour ago" : " hours ago"); }
    var d = Math.round(s / 86400);
    return d + (d === 1 ? " day ago" : " days ago");
  }

  function time(cell, iso, missing) {
    var t = cell.querySelector("time") || cell.appendChild(document.createElement("time"));
    t.setAttribute("datetime", iso || "");
    t.title = iso ? new Date(iso).toString() : "";
    t.textContent = iso ? ago(iso) : missing;
  }

  function badge(cell, status) {
    var b = cell.querySelector(".badge") || cell.appendChild(document.createElement("span"));
    b.className = "badge " + status;
    b.textContent = status;
  }

  /* One segment's fields, in any element under `scope` that names them. */
  function fill(scope, s) {
    scope.querySelectorAll("[data-live-field]").forEach(function (cell) {
      switch (cell.getAttribute("data-live-field")) {
        case "memberCount": cell.textContent = numbers.format(s.memberCount); break;
        case "status": badge(cell, s.status); break;
        case "lastEvaluatedAt": time(cell, s.lastEvaluatedAt, "never"); break;
        case "lastSyncedAt": time(cell, s.lastSyncedAt, s.activated ? "never" : "not activated"); break;
        default: break;
      }
    });
  }

  function row(table, s) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-id", s.id);
    var name = tr.appendChild(document.createElement("td")).appendChild(document.createElement("a"));
    name.href = table.getAttribute("data-live-segments") + encodeURIComponent(s.id);
    ["memberCount", "status", "lastEvaluatedAt", "lastSyncedAt"].forEach(function (field) {
      var td = tr.appendChild(document.createElement("td"));
      td.setAttribute("data-live-field", field);
      if (field === "memberCount") { td.className = "num"; }
    });
    return tr;
  }

  /* The dashboard's table: one row per segment, in the server's order. */
  function table(segments) {
    var t = document.querySelector("[data-live-segments]");
    if (!t) {
      return;
    }
    var body = t.tBodies[0];
    var existing = {};
    Array.prototype.forEach.call(body.rows, function (tr) { existing[tr.getAttribute("data-id")] = tr; });
    segments.forEach(function (s) {
      var tr = existing[s.id] || row(t, s);
      delete existing[s.id];
      tr.querySelector("a").textContent = s.name;
      fill(tr, s);
      body.appendChild(tr);
    });
    Object.keys(existing).forEach(function (id) { body.removeChild(existing[id]); });
    t.classList.toggle("is-hidden", segments.length === 0);
    var empty = document.querySelector("[data-live-empty]");
    if (empty) { empty.classList.toggle("is-hidden", segments.length > 0); }
  }

  function update(state) {
    table(state.segments);
    document.querySelectorAll("[data-live-segment]").forEach(function (scope) {
      var id = scope.getAttribute("data-live-segment");
      state.segments.forEach(function (s) {
        if (s.id === id) {
          var before = scope.getAttribute("data-live-count");
          fill(scope, s);
          scope.setAttribute("data-live-count", String(s.memberCount));
          if (before !== null && before !== String(s.memberCount)) {
            scope.dispatchEvent(new CustomEvent("segmatch:count", { detail: s }));
          }
        }
      });
    });
    ["pendingChanges", "datasets", "rows"].forEach(function (field) {
      document.querySelectorAll("[data-live-field=" + field + "]").forEach(function (el) {
        el.textContent = numbers.format(state[field]);
      });
    });
    document.querySelectorAll("[data-live-field=activity]").forEach(function (el) {
      el.textContent = state.processing && state.processing.running ? "evaluating"
          : (state.sync && state.sync.running ? "syncing" : "idle");
    });
    root.setAttribute("data-live-at", state.at);
  }

  function connection(text, ok) {
    document.querySelectorAll("[data-live-connection]").forEach(function (el) {
      el.textContent = text;
      el.classList.toggle("offline", !ok);
    });
  }

  function connect() {
    source = new EventSource(url);
    source.addEventListener("segments", function (e) {
      connection("live", true);
      update(JSON.parse(e.data));
    });
    source.onerror = function () {
      connection("reconnecting…", false);
      if (source.readyState === EventSource.CLOSED) {
        /* the server answered with an error (restarting): try again shortly */
        setTimeout(connect, 3000);
      }
    };
  }

  /* The chart's words, as the server says them (MemberChart.summary). */
  function summary(points) {
    if (points.length === 0) {
      return "No run has changed this segment yet.";
    }
    var first = points[0];
    var last = points[points.length - 1];
    var entered = 0;
    var exited = 0;
    points.forEach(function (p) { entered += p.entered; exited += p.exited; });
    return "Members over the last " + points.length + (points.length === 1 ? " run" : " runs")
        + " that changed the segment: from " + numbers.format(first.memberCount - first.entered + first.exited)
        + " to " + numbers.format(last.memberCount) + " (" + numbers.format(entered) + " entered, "
        + numbers.format(exited) + " left).";
  }

  /* The newest ten runs beneath the chart, newest first. */
  function history(table, points) {
    var body = table.tBodies[0];
    while (body.firstChild) { body.removeChild(body.firstChild); }
    points.slice(-10).reverse().forEach(function (p) {
      var tr = body.appendChild(document.createElement("tr"));
      tr.appendChild(document.createElement("td")).textContent = String(p.runId);
      time(tr.appendChild(document.createElement("td")), p.at, "");
      [p.entered, p.exited, p.memberCount].forEach(function (n) {
        var td = tr.appendChild(document.createElement("td"));
        td.className = "num";
        td.textContent = numbers.format(n);
      });
    });
    table.classList.toggle("is-hidden", points.length === 0);
  }

  /* a segment page's chart, its words and its table are fetched again when its count changes */
  document.querySelectorAll("[data-live-segment]").forEach(function (scope) {
    scope.addEventListener("segmatch:count", function () {
      scope.querySelectorAll("img[data-live-chart]").forEach(function (img) {
        img.src = img.src.split("?")[0] + "?t=" + Date.now();
      });
      var table = scope.querySelector("[data-live-history]");
      if (table && window.fetch) {
        fetch(table.getAttribute("data-live-history"), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
          .then(function (points) {
            history(table, points);
            var words = summary(points);
            scope.querySelectorAll("[data-live-summary]").forEach(function (el) { el.textContent = words; });
            scope.querySelectorAll("img[data-live-chart]").forEach(function (img) { img.alt = words; });
          })
          .catch(function () { /* the next change tries again */ });
      }
    });
  });

  /* the relative times age while nothing else changes */
  setInterval(function () {
    document.querySelectorAll("time[datetime]").forEach(function (t) {
      var iso = t.getAttribute("datetime");
      if (iso) { t.textContent = ago(iso); }
    });
  }, 15000);

  connect();
}());

// Partner Portal: a little plain JavaScript on top of pages that work without it.
// Search as you type, filters that apply at once, "Load more" that appends rows, the
// three-dots menus, and the "More filters" disclosure. The URL always shows the state.
"use strict";
(function () {
  var FRAGMENT = { "X-Portal-Fragment": "1" };

  function fetchFragment(url) {
    return fetch(url, { headers: FRAGMENT, credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) { window.location = r.headers.get("X-Portal-Location") || "/sign-in"; throw new Error("signed out"); }
      if (!r.ok) { window.location = url.replace("/clients/rows", "/clients"); throw new Error("failed"); }
      return r.text();
    }).then(function (html) {
      var box = document.createElement("div");
      box.innerHTML = html;
      return box.firstElementChild;
    });
  }

  function query(form) {
    var params = new URLSearchParams(new FormData(form));
    ["q", "assignee"].forEach(function (k) { if (params.get(k) === "") params.delete(k); });
    if (params.get("sort") === "name_asc") params.delete("sort");
    return params.toString();
  }

  function announce(list) {
    var status = document.getElementById("list-status");
    var empty = list.querySelector(".empty__title");
    if (status) status.textContent = empty ? empty.textContent : "";
  }

  // The list controls: refresh the list fragment and the URL as the reader types or picks.
  function setUpControls(form) {
    var timer = null, pending = 0;
    function refresh() {
      var q = query(form), ticket = ++pending;
      fetchFragment(form.dataset.fragment + "?" + q).then(function (list) {
        if (ticket !== pending) return; // an older answer arriving after a newer one
        document.getElementById("client-list").replaceWith(list);
        history.replaceState(null, "", "/clients?" + q);
        updateTabs(q);
        announce(list);
      }).catch(function () {});
    }
    form.addEventListener("input", function (e) {
      clearTimeout(timer);
      timer = setTimeout(refresh, e.target.type === "search" ? 250 : 0);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); refresh(); });
    var more = document.getElementById("more-filters"), panel = document.getElementById("filters");
    if (more && panel) {
      more.addEventListener("click", function () {
        var open = more.getAttribute("aria-expanded") !== "true";
        more.setAttribute("aria-expanded", String(open));
        panel.classList.toggle("is-open", open);
        if (open) { var first = panel.querySelector("input, select"); if (first) first.focus(); }
      });
    }
  }

  // Tabs keep the search and filters of the current state.
  function updateTabs(q) {
    document.querySelectorAll("[role=tab]").forEach(function (tab) {
      var params = new URLSearchParams(q), tabName = tab.id.replace("tab-", "");
      params.set("tab", tabName);
      if (tabName !== "all" && tabName !== "my") params.delete("assignee");
      tab.href = "/clients?" + params.toString();
    });
  }

  // "Load more": append the next rows and put the next "Load more" in place of this one.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList.contains("load-more")) return;
    e.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetchFragment(form.dataset.fragment + "?" + new URLSearchParams(new FormData(form))).then(function (list) {
      var rows = list.querySelectorAll("#client-rows > tr"), body = document.getElementById("client-rows");
      var first = rows[0];
      rows.forEach(function (row) { body.appendChild(row); });
      var next = list.querySelector(".load-more");
      if (next) { form.replaceWith(next); next.querySelector("button").focus(); }
      else { form.remove(); if (first) first.querySelector("a").focus(); }
    }).catch(function () { button.disabled = false; });
  });

  // Three-dots menus (the WAI-ARIA menu button pattern).
  function items(list) { return Array.prototype.slice.call(list.querySelectorAll("[role=menuitem]")); }
  function closeMenu(button, focusButton) {
    var list = document.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", "false");
    if (list) list.classList.remove("is-open");
    if (focusButton) button.focus();
  }
  function openMenu(button, last) {
    document.querySelectorAll(".menu__button[aria-expanded=true]").forEach(function (b) { closeMenu(b, false); });
    var list = document.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", "true");
    list.classList.add("is-open");
    var all = items(list);
    all.forEach(function (i) { i.tabIndex = -1; });
    (last ? all[all.length - 1] : all[0]).focus();
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest(".menu__button");
    if (button) {
      if (button.getAttribute("aria-expanded") === "true") closeMenu(button, true);
      else openMenu(button, false);
      return;
    }
    if (!e.target.closest(".menu__list")) {
      document.querySelectorAll(".menu__button[aria-expanded=true]").forEach(function (b) { closeMenu(b, false); });
    }
  });
  document.addEventListener("keydown", function (e) {
    var button = e.target.closest && e.target.closest(".menu__button");
    if (button && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault(); openMenu(button, e.key === "ArrowUp"); return;
    }
    var list = e.target.closest && e.target.closest(".menu__list");
    if (!list) return;
    var owner = document.querySelector("[aria-controls='" + list.id + "']");
    var all = items(list), at = all.indexOf(e.target);
    if (e.key === "Escape") { e.preventDefault(); closeMenu(owner, true); }
    else if (e.key === "ArrowDown") { e.preventDefault(); all[(at + 1) % all.length].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); all[(at - 1 + all.length) % all.length].focus(); }
    else if (e.key === "Home") { e.preventDefault(); all[0].focus(); }
    else if (e.key === "End") { e.preventDefault(); all[all.length - 1].focus(); }
    else if (e.key === "Tab") { closeMenu(owner, false); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("list-controls");
    if (form) setUpControls(form);
  });
})();

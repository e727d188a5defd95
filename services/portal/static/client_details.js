// The details page without reloads: the Notify bookkeepers dialog opens as a modal, and
// forms marked data-fragment-target are sent in the background; their outcome replaces the
// target's content. Without this script every form still works as a plain POST.
(function () {
  "use strict";

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function openModal(dialog) {
    if (dialog.open) dialog.close();
    dialog.showModal();
    var first = dialog.querySelector("input:not([type=hidden]), textarea");
    if (first) first.focus();
  }

  document.querySelectorAll("[data-opens]").forEach(function (button) {
    var dialog = document.getElementById(button.dataset.opens);
    if (!dialog || !dialog.showModal) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var outcome = dialog.querySelector("[aria-live]");
      if (outcome) outcome.innerHTML = "";  // the last send's outcome is old news
      openModal(dialog);
    });
    dialog.addEventListener("close", function () { button.focus(); });
    // Opened by the page itself (the form came back refused): make it modal too.
    if (dialog.hasAttribute("open")) openModal(dialog);
  });

  // The list of sent reminders as the server shows it now.
  function refreshReminders() {
    return fetch(location.pathname, {headers: {"Accept": "text/html"}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .getElementById("reminders-list");
        var current = document.getElementById("reminders-list");
        if (fresh && current) current.replaceWith(fresh);
      });
  }

  document.querySelectorAll("form[data-fragment-target]").forEach(function (form) {
    var target = document.getElementById(form.dataset.fragmentTarget);
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.getAttribute("formmethod") === "dialog") return;
      event.preventDefault();
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      fetch(form.action, {
        method: "POST", credentials: "same-origin",
        headers: {"X-Portal-Fragment": "1",
                  "Content-Type": "application/x-www-form-urlencoded"},
        body: new URLSearchParams(new FormData(form)).toString()
      }).then(function (response) {
        if (response.status === 401 && response.headers.get("X-Portal-Location")) {
          location.assign(response.headers.get("X-Portal-Location"));
          return;
        }
        if (!response.headers.get("X-Portal-Fragment")) {
          form.submit();  // an error page: let the browser show it as a page
          return;
        }
        return response.text().then(function (html) {
          target.innerHTML = html;
          if (response.ok && form.elements.idempotency_key) {
            form.elements.idempotency_key.value = newKey();
            form.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = false; });
            if (form.elements.comment) form.elements.comment.value = "";
            return refreshReminders();
          }
        });
      }).catch(function () {
        form.submit();
      }).finally(function () {
        buttons.forEach(function (b) { b.disabled = false; });
      });
    });
  });
})();

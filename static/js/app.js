// Progressive enhancement only: every control here also works as a plain form or link.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Preference selects submit themselves; the theme applies at once, before the round trip.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (!select) return;
    if (select.name === "theme") {
      document.documentElement.setAttribute("data-theme", select.value);
    }
    select.form.requestSubmit();
  });

  // Copy buttons: <button data-copy-target="#id"> copies that element's text or value.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy-target"));
    if (!source || !navigator.clipboard) return;
    var text = "value" in source && source.value !== undefined ? source.value : source.textContent;
    navigator.clipboard.writeText(text.trim()).then(function () {
      var done = button.getAttribute("data-copied-label") || "Copied";
      var status = document.getElementById(button.getAttribute("aria-describedby") || "");
      if (status) { status.textContent = done; } else { button.textContent = done; }
    });
  });

  // A download link with progress (<a data-download-progress>): the browser follows the link itself
  // and htmx hears "download-started" to start polling. An htmx click trigger on the link would
  // cancel the navigation, so the download would never start.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-download-progress]");
    if (!link || event.defaultPrevented) return;
    link.dispatchEvent(new CustomEvent("download-started", { bubbles: true }));
  });

  // Escape inside an inline edit form triggers its Cancel link.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = event.target.closest("form[data-inline-edit]");
    if (!form) return;
    var cancel = form.querySelector("[data-cancel]");
    if (cancel) { event.preventDefault(); cancel.click(); }
  });

  // Confirmation dialogs: <form data-confirm="Really?"> asks before sending (no-JS pages use a
  // confirmation step on the server instead).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);

  // After a failed submit, put back what was typed in the password fields the server marked as not
  // wrong (data-keep-typed): the server never writes a password into the page.
  var typed = {};
  document.addEventListener("htmx:beforeSwap", function (event) {
    typed = {};
    var target = event.detail.target;
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll("input[type=password][id]").forEach(function (input) {
      if (input.value) typed[input.id] = input.value;
    });
  });

  // Put back the typed passwords the server marked as not wrong.
  document.addEventListener("htmx:afterSwap", function () {
    Object.keys(typed).forEach(function (id) {
      var input = document.getElementById(id);
      if (input && input.hasAttribute("data-keep-typed")) input.value = typed[id];
    });
    typed = {};
  });

  // Focus the first field with an error once the swap settled (after htmx's own autofocus), so
  // keyboard and screen-reader users land on it.
  document.addEventListener("htmx:afterSettle", function (event) {
    // An outerHTML swap replaced the target: look in what took its place.
    var root = event.detail.target;
    if (!root.isConnected && root.id) root = document.getElementById(root.id) || root;
    var invalid = root.querySelector("[aria-invalid=true], .field-invalid input, .field-invalid select, .field-invalid textarea");
    if (invalid) { invalid.focus(); return; }
    var autofocus = root.querySelector("[autofocus]");
    if (autofocus) autofocus.focus();
  });
})();

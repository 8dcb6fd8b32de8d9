// Catalog and price estimator enhancements; both pages work without this file.
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function (event) {
    // Estimator: the messages next to the count fields arrive out of band; mark each field valid
    // or invalid so screen readers and the styles follow (the server does the same on full pages).
    var lists = document.querySelectorAll("[data-errors-for]");
    Array.prototype.forEach.call(lists, function (list) {
      var input = document.getElementById(list.getAttribute("data-errors-for"));
      if (!input) return;
      var invalid = list.children.length > 0;
      if (invalid) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      var field = input.closest(".field");
      if (field) field.classList.toggle("field-invalid", invalid);
    });

    // Catalog: a category tab replaces the whole addon list, tabs included; keep keyboard focus
    // on the tab that is now current instead of losing it to the page.
    var trigger = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (trigger && trigger.closest && trigger.closest(".category-tabs")) {
      var current = document.querySelector("#addons .category-tabs [aria-current='page']");
      if (current) current.focus();
    }
  });
})();

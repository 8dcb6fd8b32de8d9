// Price estimator: after htmx swaps in the messages next to the count fields (out of band),
// mark each field valid or invalid so screen readers and the styles follow. Without JavaScript
// the server renders the same marks in the full page.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var lists = document.querySelectorAll("[data-errors-for]");
    Array.prototype.forEach.call(lists, function (list) {
      var input = document.getElementById(list.getAttribute("data-errors-for"));
      if (!input) return;
      var invalid = list.children.length > 0;
      if (invalid) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      var field = input.closest(".field");
      if (field) field.classList.toggle("field-invalid", invalid);
    });
  });
})();

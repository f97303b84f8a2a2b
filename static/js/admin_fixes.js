// The admin's accessibility, where Django's own scripts fall short: the filter boxes of a many-to-many field put an
// aria-label on a bare <span>, which no assistive technology reads (axe "aria-prohibited-attr"); as an image it is.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    // After Django's SelectFilter2, which builds its boxes on the same event.
    window.setTimeout(function () {
      document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
        icon.setAttribute("role", "img");
      });
    }, 0);
  });
})();

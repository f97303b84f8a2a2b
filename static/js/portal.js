// Behaviour every page shares, kept out of the HTML so that the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  // <form data-confirm="…">: ask before a destructive action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
  // <select data-autosubmit>: choosing sends the form (the language menu, a program switch).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    }
  });
  // <textarea data-ctrl-enter-clicks="selector">: Ctrl+Enter presses that button (the review comment).
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || !field.dataset || !field.dataset.ctrlEnterClicks) {
      return;
    }
    var button = document.querySelector(field.dataset.ctrlEnterClicks);
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();

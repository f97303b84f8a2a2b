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
  // <button data-copy="#field" data-copy-status="#status" data-copied="…">: copies the field's text and says so.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    var field = button && document.querySelector(button.dataset.copy);
    if (!field) {
      return;
    }
    var say = function () {
      var status = document.querySelector(button.dataset.copyStatus);
      if (status) {
        status.textContent = button.dataset.copied;
      }
    };
    var fallback = function () {
      field.select();
      document.execCommand("copy");
      say();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(say, fallback);
    } else {
      fallback();
    }
  });
})();

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
  // <select data-autosubmit>: choosing sends the form (the language menu, a program switch). Arrow keys on a closed
  // menu change its value at every press, so a value reached by them is sent only with Enter: passing over
  // "עברית" on the way to "Polski" must not turn the page Hebrew.
  var send = function (select) {
    select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
  };
  var STEPPING_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];
  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-autosubmit]") || !select.form) {
      return;
    }
    if (event.key === "Enter" && select.dataset.stepped) {
      event.preventDefault();
      delete select.dataset.stepped;
      send(select);
    } else if (!event.altKey && (STEPPING_KEYS.indexOf(event.key) >= 0 || event.key.length === 1 && event.key !== " ")) {
      select.dataset.stepping = "1";
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-autosubmit]") || !select.form) {
      return;
    }
    if (select.dataset.stepping) {
      delete select.dataset.stepping;
      select.dataset.stepped = "1";
      return;
    }
    send(select);
  });
  document.addEventListener("keyup", function (event) {
    if (event.target.dataset) {
      delete event.target.dataset.stepping;
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
  // <input type="file" data-max-bytes="…" data-too-large="…">: a file over the limit is refused when chosen, with
  // the message, rather than after minutes of uploading it over a phone connection.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) {
      return;
    }
    var limit = Number(input.dataset.maxBytes);
    var tooLarge = Array.prototype.some.call(input.files || [], function (file) {
      return file.size > limit;
    });
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    if (tooLarge) {
      input.reportValidity();
    }
  });
  // The booking grid says each outcome under the slot tapped: the last one goes when the next request starts.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target.closest && event.target.closest(".booking-grid")) {
      document.querySelectorAll(".booking-grid .slot-feedback").forEach(function (feedback) {
        feedback.remove();
      });
    }
  });
})();

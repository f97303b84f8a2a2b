// The application form: each field's error shown beside it (and announced) after every autosave, and a live
// word count on word-limited answers. The form itself saves through htmx (see apply.html).
(function () {
  "use strict";
  var form = document.querySelector("[data-testid=application-form]");
  if (!form) {
    return;
  }

  // One live region per field, created once, so that screen readers announce an error when it appears.
  function liveError(input) {
    var id = input.id + "-live-error";
    var box = document.getElementById(id);
    if (!box) {
      var block = document.getElementById("div_" + input.id) || input.parentElement;
      box = document.createElement("div");
      box.id = id;
      box.className = "invalid-feedback d-block field-error";
      box.setAttribute("aria-live", "polite");
      box.setAttribute("data-testid", "field-error");
      box.dir = "auto";
      block.appendChild(box);
    }
    return box;
  }

  function describedBy(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x !== id;
    });
    if (on) {
      ids.push(id);
    }
    if (ids.length) {
      input.setAttribute("aria-describedby", ids.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  }

  function showErrors(errors) {
    Object.keys(errors).forEach(function (inputId) {
      var messages = errors[inputId];
      var block = document.getElementById("div_" + inputId);
      var inputs = block ? block.querySelectorAll("input, select, textarea") : [];
      var first = document.getElementById(inputId) || inputs[0];
      if (!first || first.type === "file") {
        return;
      }
      // The errors rendered with the page are replaced by the live ones, and no field is described by them any more.
      if (block) {
        block.querySelectorAll(".invalid-feedback:not(.field-error)").forEach(function (old) {
          (inputs.length ? inputs : [first]).forEach(function (input) {
            if (old.id) {
              describedBy(input, old.id, false);
            }
          });
          old.remove();
        });
      }
      var box = liveError(first);
      box.textContent = messages.join(" ");
      (inputs.length ? inputs : [first]).forEach(function (input) {
        input.classList.toggle("is-invalid", messages.length > 0);
        if (messages.length) {
          input.setAttribute("aria-invalid", "true");
        } else {
          input.removeAttribute("aria-invalid");
        }
        describedBy(input, box.id, messages.length > 0);
      });
    });
  }

  document.body.addEventListener("htmx:afterSettle", function () {
    var data = document.getElementById("field-errors-data");
    if (data) {
      showErrors(JSON.parse(data.textContent));
    }
  });

  // Word counts, as the server counts them: runs of non-space characters.
  function countWords(text) {
    var words = text.trim().split(/\s+/);
    return words[0] === "" ? 0 : words.length;
  }

  form.querySelectorAll("textarea[data-word-limit]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-word-limit"), 10);
    var counter = document.createElement("div");
    counter.id = area.id + "-word-count";
    counter.className = "form-text word-count";
    counter.setAttribute("aria-live", "polite");
    counter.setAttribute("data-testid", "word-count");
    area.insertAdjacentElement("afterend", counter);
    describedBy(area, counter.id, true);
    var update = function () {
      var words = countWords(area.value);
      var over = words > limit;
      // Numbers are written with the page's digits; "12 / 200" reads the same in both directions.
      counter.textContent = words.toLocaleString(document.documentElement.lang) + " / " +
        limit.toLocaleString(document.documentElement.lang) + " " + form.dataset.wordsText +
        (over ? " — " + form.dataset.wordsOverText : "");
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("fw-semibold", over);
    };
    area.addEventListener("input", update);
    update();
  });
})();

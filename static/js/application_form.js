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

  // The session ended (htmx got a 401 and the `signedOut` event, never the sign-in page): the answers stay in the
  // page and in this browser's storage, the person signs in again in a new tab, and the save is sent again when they
  // come back to this one. A successful save forgets the stored copy.
  var storageKey = "unsaved:" + window.location.pathname;
  var waitingForSignIn = false;

  function typedAnswers() {
    var answers = {};
    form.querySelectorAll("input:not([type=file]):not([type=hidden]), select, textarea").forEach(function (field) {
      if (!field.name || ((field.type === "checkbox" || field.type === "radio") && !field.checked)) {
        return;
      }
      (answers[field.name] = answers[field.name] || []).push(field.value);
    });
    return answers;
  }

  function restoreAnswers(answers) {
    Object.keys(answers).forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = answers[name].indexOf(field.value) >= 0;
        } else if (field.type !== "file") {
          field.value = answers[name][0];
        }
      });
    });
  }

  document.body.addEventListener("signedOut", function (event) {
    waitingForSignIn = true;
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(typedAnswers()));
    } catch (error) {
      // Private browsing without storage: the answers are still in the page.
    }
    var notice = document.getElementById("signed-out");
    var link = notice.querySelector("a");
    link.href = event.detail.login;
    notice.classList.remove("d-none");
    document.getElementById("save-status").textContent = "";
  });

  function retryAfterSignIn() {
    if (waitingForSignIn) {
      waitingForSignIn = false;
      document.getElementById("signed-out").classList.add("d-none");
      window.htmx.trigger(form, "change");
    }
  }

  // Signing in again gives a new CSRF token, which this page does not have yet: fetch it, then send the save again.
  var refreshedOnce = false;
  document.body.addEventListener("pageExpired", function () {
    if (refreshedOnce) {
      return;
    }
    refreshedOnce = true;
    window.fetch(window.location.href, {credentials: "same-origin"}).then(function (response) {
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrfmiddlewaretoken]");
      if (!fresh) {
        return;
      }
      document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (field) {
        field.value = fresh.value;
      });
      document.body.setAttribute("hx-headers", JSON.stringify({"X-CSRFToken": fresh.value}));
      window.htmx.trigger(form, "change");
    });
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      refreshedOnce = false;
    }
  });
  window.addEventListener("focus", retryAfterSignIn);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      retryAfterSignIn();
    }
  });

  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      window.localStorage.removeItem(storageKey);
    }
  });

  try {
    var kept = window.localStorage.getItem(storageKey);
    if (kept) {
      // Typed after the session ended and never saved: put back, and saved now.
      restoreAnswers(JSON.parse(kept));
      window.setTimeout(function () {
        window.htmx.trigger(form, "change");
      }, 0);
    }
  } catch (error) {
    // Nothing kept.
  }

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

// Sign-up: the browser knows its time zone; preselect it in the list (which stays there to correct it), and put it
// first, under the list's own label for it, so that it is found without scrolling through 550 zones.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.querySelectorAll("input[name=browser_time_zone]").forEach(function (hidden) {
    hidden.value = zone;
  });
  document.querySelectorAll("select[name=time_zone]").forEach(function (select) {
    var guessed = select.querySelector('option[value="' + zone + '"]');
    if (!guessed) {
      return;
    }
    if (select.dataset.guessLabel) {
      var group = document.createElement("optgroup");
      group.label = select.dataset.guessLabel;
      group.appendChild(guessed.cloneNode(true));
      select.insertBefore(group, select.options[0] && select.options[0].value === "" ? select.options[0].nextSibling : select.firstChild);
    }
    if (!select.value) {
      select.value = zone;
    }
  });
})();

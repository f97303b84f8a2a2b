// Sign-up: the browser knows its time zone; preselect it in the list (which stays there to correct it).
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
    if (!select.value && select.querySelector('option[value="' + zone + '"]')) {
      select.value = zone;
    }
  });
})();

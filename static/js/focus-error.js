// After a refused form, the cursor goes to the first field in error, so a keyboard or screen
// reader user lands on what to fix. Pages that place it themselves (the grids) do so later.
(function () {
  "use strict";
  var field = document.querySelector("main .is-invalid");
  if (field && (document.activeElement === document.body || !document.activeElement)) {
    field.focus();
  }
})();

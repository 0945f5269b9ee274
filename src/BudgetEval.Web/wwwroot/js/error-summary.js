// After a refused post the page shows its errors in a box (role=alert) above or inside the form. The box takes the
// focus, so a keyboard or screen-reader user starts from the list of what to fix (its links lead to the fields).
// Pages mark their summary with data-error-summary; other pages' first .errors[role=alert] box is used. A page that
// already put the focus somewhere (autofocus, its own script) keeps it.
(function () {
  'use strict';
  var box = document.querySelector('[data-error-summary]') || document.querySelector('main .errors[role=alert]');
  if (!box) { return; }
  var active = document.activeElement;
  if (active && active !== document.body && active !== document.documentElement) { return; }
  if (!box.hasAttribute('tabindex')) { box.setAttribute('tabindex', '-1'); }
  box.focus();
})();

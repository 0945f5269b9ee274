// 整改情况说明: after a refused save, the focus goes to the first box it names. The page works without this file
// (plain form post); the server counts and refuses over-long text itself, naming the finding. The live character
// count per box is unsaved.js's (data-count-max), as on every other long text box.
(function () {
  'use strict';
  var form = document.getElementById('follow-up-form');
  if (!form) { return; }

  // A refused save: take the reader to the first box it names (the messages above say why).
  if (document.getElementById('form-errors')) {
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) {
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: 'center' });
    }
  }

  // Leaving with unsaved text asks first: unsaved.js, through the form's data-unsaved-guard (a refused save's page
  // comes back with data-unsaved="true").
})();

// Typed text is not dropped silently. Any <form data-unsaved-guard> becomes "dirty" on input or change, and while
// one is dirty, leaving the page (a link, closing the tab, reloading) asks first — as the 自评表 does
// (self-evaluation-form.js). A form the server sent back after refusing a save already holds unsaved input: it says
// so with data-unsaved="true". Submitting a form clears that form only (a successful save redirects, a refused one
// comes back marked again); text typed in another guarded form still asks.
//
// Also: a <textarea data-count-max="2000" data-count-id="x"> keeps the element #x up to date with 「1,234/2000」
// (「2,001/2000（超出 1 字）」 and class "over" past the limit; the server writes the first text the same way,
// Shared/CharCount.cs), counted as the server counts (UTF-16 units of the text with CRLF as LF and the ends
// trimmed). The limit is not enforced here (no maxlength): an over-long text is refused by the server with the
// whole text kept. This is the one live counter: the case page, the finding pages, the 自评表 and 整改情况说明 use it.
// Without script the forms work as before.
(function () {
  'use strict';

  var dirty = [];
  function mark(form, on) {
    var i = dirty.indexOf(form);
    if (on && i < 0) { dirty.push(form); }
    if (!on && i >= 0) { dirty.splice(i, 1); }
  }
  function guarded(target) {
    return target instanceof Element ? target.closest('form[data-unsaved-guard]') : null;
  }

  document.querySelectorAll('form[data-unsaved-guard]').forEach(function (form) {
    if (form.getAttribute('data-unsaved') === 'true') { mark(form, true); }
  });
  ['input', 'change'].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var form = guarded(e.target);
      if (form) { mark(form, true); }
    });
  });
  // Bubble phase, after confirm.js: a submission stopped by 「取消」 never gets here, nor one the browser's own
  // required-field check blocks.
  document.addEventListener('submit', function (e) {
    if (!e.defaultPrevented && e.target instanceof HTMLFormElement) { mark(e.target, false); }
  });
  window.addEventListener('beforeunload', function (e) {
    if (dirty.length === 0) { return; }
    e.preventDefault();
    e.returnValue = '';
  });

  function count(text) {
    return text.replace(/\r\n?/g, '\n').trim().length;
  }
  document.querySelectorAll('textarea[data-count-max]').forEach(function (box) {
    var max = parseInt(box.getAttribute('data-count-max'), 10);
    var out = document.getElementById(box.getAttribute('data-count-id') || '');
    if (!out || !(max > 0)) { return; }
    function update() {
      var n = count(box.value);
      out.textContent = n.toLocaleString('en-US') + '/' + max + (n > max ? '（超出 ' + (n - max).toLocaleString('en-US') + ' 字）' : '');
      out.classList.toggle('over', n > max);
    }
    box.addEventListener('input', update);
    update();
  });
}());

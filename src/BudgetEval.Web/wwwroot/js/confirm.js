// Asks before a final or irreversible step: any button or link with data-confirm="确定……吗？" shows the
// question, and "cancel" stops the click (and so the form's submission). A submit button asks only once its
// form would really be sent: a missing required 意见 is reported by the browser first, not after "OK".
// Without script the step is taken at once, as before.
(function () {
    'use strict';

    document.addEventListener('click', function (event) {
        var target = event.target instanceof Element ? event.target.closest('[data-confirm]') : null;
        if (!target || !target.getAttribute('data-confirm')) {
            return;
        }
        var form = target.form || null;
        if (form && !target.hasAttribute('formnovalidate') && !form.noValidate && !form.checkValidity()) {
            return; // the browser's own check runs next and names the missing field
        }
        if (!window.confirm(target.getAttribute('data-confirm'))) {
            event.preventDefault();
            event.stopImmediatePropagation();
        }
    }, true);
}());

// Asks before a final or irreversible step: any button or link with data-confirm="确定……吗？" shows the
// question, and "cancel" stops the click (and so the form's submission). Without script the step is
// taken at once, as before.
(function () {
    'use strict';

    document.addEventListener('click', function (event) {
        var target = event.target instanceof Element ? event.target.closest('[data-confirm]') : null;
        if (!target || !target.getAttribute('data-confirm')) {
            return;
        }
        if (!window.confirm(target.getAttribute('data-confirm'))) {
            event.preventDefault();
            event.stopImmediatePropagation();
        }
    }, true);
}());

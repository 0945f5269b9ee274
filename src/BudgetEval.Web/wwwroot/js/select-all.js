// 本页全选: a checkbox with data-select-all="name" ticks or clears every checkbox of that name in its form, and shows
// itself half-ticked when only some are. Without script the tasks are ticked one by one, as before.
(function () {
    'use strict';

    document.querySelectorAll('input[type=checkbox][data-select-all]').forEach(function (all) {
        var form = all.form;
        var name = all.getAttribute('data-select-all');
        function boxes() {
            return Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox][name="' + name + '"]'));
        }
        function sync() {
            var ticked = boxes().filter(function (b) { return b.checked; }).length;
            all.checked = ticked > 0 && ticked === boxes().length;
            all.indeterminate = ticked > 0 && ticked < boxes().length;
        }
        all.hidden = false;
        all.addEventListener('change', function () {
            boxes().forEach(function (b) { b.checked = all.checked; });
            all.indeterminate = false;
        });
        form.addEventListener('change', function (event) {
            if (event.target !== all && event.target.name === name) {
                sync();
            }
        });
        sync();
    });
}());

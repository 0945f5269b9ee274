// Adds blank band and project rows to the plan form. Without this script the page still works: it
// always offers two blank rows, and saving offers two more.
(function () {
    'use strict';

    // Each row's fields are named "第N行 单位", "第N行 项目名称"…: after any change to the rows, N is the row's
    // place again, so a copied row does not repeat the row it was copied from.
    function renumber(table) {
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) {
            row.querySelectorAll('[aria-label]').forEach(function (field) {
                var label = field.getAttribute('aria-label').replace(/^第\d+行\s*/, '');
                field.setAttribute('aria-label', '第' + (i + 1) + '行 ' + label);
            });
        });
    }

    function addRow(tableId, buttonId) {
        var table = document.getElementById(tableId);
        var button = document.getElementById(buttonId);
        if (!table || !button) {
            return;
        }
        button.hidden = false;
        button.addEventListener('click', function () {
            var rows = table.tBodies[0].rows;
            var last = rows[rows.length - 1];
            var copy = last.cloneNode(true);
            var index = rows.length;
            // A unit search field's suggestion list stays with the first row; copies point at it.
            copy.querySelectorAll('datalist').forEach(function (list) { list.remove(); });
            copy.querySelectorAll('input, select').forEach(function (field) {
                // Binding reads Input.X[n]; the copy takes the next index.
                field.name = field.name.replace(/\[\d+\]/, '[' + index + ']');
                if (field.id) {
                    field.id = field.id.replace(/\d+$/, String(index));
                }
                if (field.tagName === 'SELECT') {
                    field.selectedIndex = 0;
                } else {
                    field.value = '';
                }
            });
            table.tBodies[0].appendChild(copy);
            renumber(table);
        });
    }

    addRow('band-table', 'add-band');
    addRow('project-table', 'add-project');
}());

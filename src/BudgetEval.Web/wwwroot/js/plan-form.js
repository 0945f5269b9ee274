// Adds blank band and project rows to the plan form. Without this script the page still works: it
// always offers two blank rows, and saving offers two more.
(function () {
    'use strict';

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
        });
    }

    addRow('band-table', 'add-band');
    addRow('project-table', 'add-project');
}());

// Suggestions for the organisation search fields that replace drop-downs once there are too many
// organisations to list (OrganisationPicker). Without this script the field still works: the server
// resolves a typed name, short name or credit code, and says so in Chinese when it names none or several.
// Listens on the document, so rows added later by plan-form.js get suggestions too.
(function () {
    'use strict';

    var timer = 0;
    var asked = '';

    function suggest(input) {
        var list = document.getElementById(input.getAttribute('list'));
        var q = input.value.trim();
        if (!list || q === '' || q === asked) {
            return;
        }
        asked = q;
        fetch(input.dataset.suggest + '&q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (found) {
                if (asked !== q) {
                    return; // a later keystroke asked again
                }
                list.replaceChildren.apply(list, found.map(function (o) {
                    var option = document.createElement('option');
                    option.value = o.name;
                    option.label = o.label; // with short name and credit code: the browser hides options that do not contain what was typed
                    return option;
                }));
            })
            .catch(function () { /* suggestions are a convenience; typing still works */ });
    }

    document.addEventListener('input', function (event) {
        var input = event.target;
        if (input instanceof HTMLInputElement && input.dataset.suggest) {
            clearTimeout(timer);
            timer = setTimeout(function () { suggest(input); }, 200);
        }
    });
}());

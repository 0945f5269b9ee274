// The sign-in ends after Auth:IdleMinutes without a request (sliding). Typing into a long form sends nothing,
// so on a signed-in page this script:
//  - renews the session while the user is active (POST /account/keepalive, at most every 5 minutes);
//  - warns 2 minutes (at most half the lifetime) before the end in a dialog with 「继续使用」 (WCAG 2.2.1), and after the end says so,
//    with a link to sign in again in a new tab, keeping this page and what was typed into it;
//  - holds a form's submission back while it knows the session has ended;
// and on every page it keeps the fields of a submitted form for the tab, so a save refused because the session
// had ended (signed out elsewhere, password changed) can be restored after signing in again.
// The layout gives the cookie's remaining seconds (data-expires-in, only when signed in) and the idle lifetime.
// Tabs share the latest known expiry through localStorage, so a keep-alive in one tab counts for all.
(function () {
    'use strict';

    var script = document.currentScript;
    var idleSeconds = Number(script && script.getAttribute('data-idle-seconds')) || 1800;
    var expiresAttr = script ? script.getAttribute('data-expires-in') : null;
    var SHARED_KEY = 'be.session.deadline';
    var DRAFT_KEY = 'be.draft';
    var DRAFT_MAX_AGE = 2 * 60 * 60 * 1000;
    var pingEvery = Math.min(300, idleSeconds / 3) * 1000;
    var warnBefore = Math.min(120, idleSeconds / 2) * 1000;

    function storage(kind) {
        try {
            return window[kind];
        } catch (e) {
            return null; // blocked storage: the features that need it do nothing
        }
    }

    var local = storage('localStorage');
    var tab = storage('sessionStorage');

    // ---- Drafts: kept on submit, offered back after a detour through /login. ----

    function readDraft() {
        if (!tab) {
            return null;
        }
        try {
            var draft = JSON.parse(tab.getItem(DRAFT_KEY) || 'null');
            if (draft && Date.now() - draft.at < DRAFT_MAX_AGE) {
                return draft;
            }
        } catch (e) {
            // unreadable: dropped below
        }
        tab.removeItem(DRAFT_KEY);
        return null;
    }

    function draftable(form) {
        if (!(form instanceof HTMLFormElement) || (form.getAttribute('method') || '').toLowerCase() !== 'post') {
            return false;
        }
        var action = new URL(form.action, location.href).pathname.toLowerCase();
        return action !== '/login' && action !== '/logout';
    }

    function keptFields(form) {
        var fields = [];
        Array.prototype.forEach.call(form.elements, function (el) {
            var type = (el.type || '').toLowerCase();
            if (!el.name || el.disabled || el.name === '__RequestVerificationToken'
                || ['password', 'file', 'submit', 'button', 'reset', 'image'].indexOf(type) >= 0) {
                return;
            }
            if (type === 'checkbox' || type === 'radio') {
                fields.push({ name: el.name, value: el.value, checked: el.checked });
            } else if (el.tagName === 'SELECT' && el.multiple) {
                fields.push({ name: el.name, values: Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) });
            } else {
                fields.push({ name: el.name, value: el.value });
            }
        });
        return fields;
    }

    function keepDraft(form) {
        if (!tab || !draftable(form)) {
            return;
        }
        try {
            tab.setItem(DRAFT_KEY, JSON.stringify({
                page: location.pathname,
                action: new URL(form.action, location.href).pathname,
                at: Date.now(),
                viaLogin: false,
                fields: keptFields(form),
            }));
        } catch (e) {
            // too large for the tab's storage: nothing kept
        }
    }

    function restore(draft) {
        var form = Array.prototype.filter.call(document.forms, function (f) {
            return draftable(f) && new URL(f.action, location.href).pathname === draft.action;
        })[0];
        var root = form || document;
        var seen = {};
        draft.fields.forEach(function (field) {
            var all = Array.prototype.filter.call(root.querySelectorAll('[name]'), function (el) { return el.name === field.name; });
            if ('checked' in field) {
                all.forEach(function (el) {
                    if (el.value === field.value) {
                        el.checked = field.checked;
                        el.dispatchEvent(new Event('change', { bubbles: true }));
                    }
                });
                return;
            }
            var index = seen[field.name] || 0; // repeated names (table rows) in order
            seen[field.name] = index + 1;
            var el = all[index];
            if (!el) {
                return;
            }
            if (field.values) {
                Array.prototype.forEach.call(el.options, function (o) { o.selected = field.values.indexOf(o.value) >= 0; });
            } else {
                el.value = field.value;
            }
            el.dispatchEvent(new Event('input', { bubbles: true }));
            el.dispatchEvent(new Event('change', { bubbles: true }));
        });
    }

    function offerDraft(draft) {
        var bar = banner('status', 'session-draft');
        bar.appendChild(document.createTextNode('上次提交时登录已失效，所填内容未保存。'));
        var yes = button('恢复未保存的内容', function () {
            restore(draft);
            tab.removeItem(DRAFT_KEY);
            bar.remove();
        });
        var no = button('不恢复', function () {
            tab.removeItem(DRAFT_KEY);
            bar.remove();
        });
        bar.appendChild(yes);
        bar.appendChild(no);
    }

    function drafts() {
        var draft = readDraft();
        if (!draft) {
            return;
        }
        if (location.pathname.toLowerCase() === '/login') {
            draft.viaLogin = true; // the submission was refused for want of a session
            tab.setItem(DRAFT_KEY, JSON.stringify(draft));
        } else if (!draft.viaLogin) {
            tab.removeItem(DRAFT_KEY); // this page is the server's answer to it: it arrived
        } else if (location.pathname === draft.page || location.pathname === draft.action) {
            offerDraft(draft);
        } // else: signed in again elsewhere first; kept until the form's page is opened (or it is too old)
    }

    // ---- Small accessible UI pieces (their look is .session-banner in site.css, which the layout always loads). ----

    function banner(role, testId) {
        var el = document.createElement('div');
        el.setAttribute('role', role);
        el.setAttribute('data-testid', testId);
        el.className = 'session-banner';
        document.body.appendChild(el);
        return el;
    }

    function button(text, onClick) {
        var b = document.createElement('button');
        b.type = 'button';
        b.textContent = text;
        b.addEventListener('click', onClick);
        return b;
    }

    drafts();
    document.addEventListener('submit', function (event) {
        if (!event.defaultPrevented) {
            keepDraft(event.target);
        }
    }); // bubbling, registered last: runs after the page's own checks

    if (expiresAttr === null) {
        if (local && local.getItem(SHARED_KEY) !== null) {
            local.setItem(SHARED_KEY, '0'); // this tab has no session: nor have the others (same cookie)
        }
        return;
    }

    // ---- The session: expiry, keep-alive, warning, expired. ----

    var deadline = Date.now() + Number(expiresAttr) * 1000;
    var state = 'active'; // 'active' | 'warning' | 'expired'
    var inFlight = false;
    var warning = null;
    var expired = null;
    var focusBefore = null;

    function share() {
        if (local) {
            local.setItem(SHARED_KEY, String(deadline));
        }
    }

    function token() {
        var input = document.querySelector('input[name="__RequestVerificationToken"]');
        return input ? input.value : '';
    }

    // Resolves true when the session was renewed, false when it has ended; a network failure changes nothing.
    function keepAlive() {
        if (inFlight) {
            return Promise.resolve(state !== 'expired');
        }
        inFlight = true;
        return fetch('/account/keepalive', {
            method: 'POST',
            credentials: 'same-origin',
            redirect: 'manual', // an ended session is answered with a redirect to /login
            headers: { 'RequestVerificationToken': token() },
        }).then(function (response) {
            if (response.ok) {
                return response.json().then(function (body) {
                    deadline = Date.now() + body.expiresInSeconds * 1000;
                    share();
                    update();
                    return true;
                });
            }
            if (response.type === 'opaqueredirect' || response.status === 401) {
                deadline = 0;
                share();
                update();
                return false;
            }
            return state !== 'expired';
        }, function () {
            return state !== 'expired';
        }).finally(function () {
            inFlight = false;
        });
    }

    function showWarning() {
        focusBefore = document.activeElement;
        warning = banner('alertdialog', 'session-warning');
        warning.id = 'session-warning';
        warning.setAttribute('aria-modal', 'false');
        var text = document.createElement('p');
        text.id = 'session-warning-text';
        text.textContent = '您已较长时间未操作，登录将于 ' + warnText() + '后失效。';
        warning.setAttribute('aria-describedby', text.id);
        warning.setAttribute('aria-label', '登录即将失效');
        var go = button('继续使用', function () {
            keepAlive();
        });
        warning.appendChild(text);
        warning.appendChild(go);
        go.focus();
    }

    // How long the warning gives, as it is set (2 minutes normally; less for a short Auth:IdleMinutes).
    function warnText() {
        var seconds = Math.round(warnBefore / 1000);
        return seconds % 60 === 0 ? (seconds / 60) + ' 分钟' : seconds + ' 秒';
    }

    function hideWarning() {
        if (!warning) {
            return;
        }
        var hadFocus = warning.contains(document.activeElement);
        warning.remove();
        warning = null;
        if (hadFocus && focusBefore && document.contains(focusBefore) && typeof focusBefore.focus === 'function') {
            focusBefore.focus(); // back to the field the user was writing in
        }
    }

    function showExpired() {
        expired = banner('alert', 'session-expired');
        expired.setAttribute('tabindex', '-1');
        var text = document.createElement('span');
        text.textContent = '登录已失效，请在新标签页重新登录后再保存，本页已填写的内容仍保留。';
        var link = document.createElement('a');
        link.href = '/login';
        link.target = '_blank';
        link.rel = 'noopener';
        link.textContent = '在新标签页中重新登录';
        expired.appendChild(text);
        expired.appendChild(link);
    }

    function update() {
        var left = deadline - Date.now();
        var next = left <= 0 ? 'expired' : left <= warnBefore ? 'warning' : 'active';
        if (next === state) {
            return;
        }
        if (state === 'warning') {
            hideWarning();
        }
        if (state === 'expired' && expired) {
            expired.remove(); // signed in again (in another tab)
            expired = null;
        }
        state = next;
        if (state === 'warning') {
            showWarning();
        } else if (state === 'expired') {
            showExpired();
        }
    }

    function onActivity(event) {
        if (state === 'expired' || (warning && warning.contains(event.target))) {
            return; // the dialog's own button renews; a key pressed on it is not "activity" elsewhere
        }
        if (state === 'warning' || deadline - Date.now() < idleSeconds * 1000 - pingEvery) {
            keepAlive();
        }
    }

    ['input', 'keydown', 'pointerdown', 'wheel'].forEach(function (name) {
        document.addEventListener(name, onActivity, { capture: true, passive: true });
    });

    // While the session is known to have ended, a submission would be refused and what was typed lost:
    // check once more (another tab may have signed in again), and only then let it go.
    document.addEventListener('submit', function (event) {
        var form = event.target;
        if (state !== 'expired' || !draftable(form)) {
            return;
        }
        event.preventDefault();
        var submitter = event.submitter || null;
        keepAlive().then(function (alive) {
            if (alive) {
                if (typeof form.requestSubmit === 'function') {
                    form.requestSubmit(submitter);
                } else {
                    form.submit();
                }
            } else if (expired) {
                expired.focus();
            }
        });
    }, true);

    window.addEventListener('storage', function (event) {
        if (event.key === SHARED_KEY && event.newValue !== null) {
            deadline = Number(event.newValue) || 0;
            update();
        }
    });

    share();
    setInterval(update, 1000);
}());

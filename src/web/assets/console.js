// The staff console's small improvements; every action also works without this file.
// Queue shortcuts: j/k move, o opens, p publishes, r rejects (reason first), ? shows help.
// htmx (configured by the layout's htmx-config meta tag: no eval, no inline styles, no
// history cache) posts the forms and swaps the part of the page the server answers with.
(function () {
    'use strict';

    function rows() {
        return Array.prototype.slice.call(document.querySelectorAll('table.queue tbody tr'));
    }

    function current() {
        return document.querySelector('table.queue tbody tr.current');
    }

    function move(step) {
        var all = rows();
        if (all.length === 0) { return; }
        var index = all.indexOf(current());
        var next = index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
        if (index >= 0) { all[index].classList.remove('current'); }
        all[next].classList.add('current');
        var box = all[next].querySelector('input[type=checkbox]');
        if (box) { box.focus(); }
    }

    function only(row) {
        rows().forEach(function (r) {
            var box = r.querySelector('input[type=checkbox]');
            if (box) { box.checked = r === row; }
        });
    }

    function submit(action) {
        var row = current();
        var form = document.getElementById('bulk');
        if (!row || !form) { return; }
        only(row);
        var button = form.querySelector('button[name=action][value=' + action + ']');
        if (action === 'reject') {
            var reason = document.getElementById('bulk-reason');
            if (reason && reason.value.trim() === '') { reason.focus(); return; }
        }
        if (button) { button.click(); }
    }

    function toggleHelp(show) {
        var help = document.getElementById('help');
        if (help) { help.hidden = !show; }
    }

    document.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' && e.target.id === 'bulk-reason') {
            // Enter after typing a reason means "reject"; the form's first button would publish.
            var reject = document.querySelector('#bulk button[name=action][value=reject]');
            if (reject) { e.preventDefault(); reject.click(); }
            return;
        }
        var tag = (e.target.tagName || '').toLowerCase();
        if (e.ctrlKey || e.metaKey || e.altKey || tag === 'textarea' || tag === 'select' ||
            (tag === 'input' && e.target.type !== 'checkbox')) {
            return;
        }
        var handled = true;
        switch (e.key) {
            case 'j': move(1); break;
            case 'k': move(-1); break;
            case 'o': { var row = current(); if (row) { window.location = row.dataset.href; } break; }
            case 'p': submit('publish'); break;
            case 'r': submit('reject'); break;
            case '?': toggleHelp(true); break;
            case 'Escape': toggleHelp(false); break;
            default: handled = false;
        }
        if (handled) { e.preventDefault(); }
    });

    // After a swap of the queue's rows, the cursor stays where it was (the handled row has
    // usually left the list, so the next one takes its place).
    var cursor = -1;
    document.addEventListener('htmx:beforeRequest', function () {
        cursor = rows().indexOf(current());
    });
    document.addEventListener('htmx:afterSettle', function () {
        var all = rows();
        if (cursor < 0 || all.length === 0 || current()) { return; }
        var row = all[Math.min(cursor, all.length - 1)];
        row.classList.add('current');
        var box = row.querySelector('input[type=checkbox]');
        if (box) { box.focus(); }
    });

    // A refused form (400: a reason missing; 409: someone else changed the request) comes back
    // as the same part of the page with its message: show it. Any other error (403 after the
    // session ended, 404) has no part to swap: load the page again, which shows where things
    // stand (or the sign-in page).
    document.addEventListener('htmx:beforeSwap', function (e) {
        var status = e.detail.xhr.status;
        if (status === 400 || status === 409) {
            e.detail.shouldSwap = true;
            e.detail.isError = false;
        } else if (status >= 400) {
            e.detail.shouldSwap = false;
            window.location.reload();
        }
    });

    function initMap() {
        var el = document.getElementById('map');
        if (!el || typeof L === 'undefined' || el.dataset.ready) { return; }
        el.dataset.ready = '1';
        var at = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
        var map = L.map(el).setView(at, 16);
        L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
        var icon = L.icon({
            iconUrl: el.dataset.icon, iconRetinaUrl: el.dataset.icon2x, shadowUrl: el.dataset.shadow,
            iconSize: [25, 41], iconAnchor: [12, 41], shadowSize: [41, 41]
        });
        L.marker(at, { icon: icon, keyboard: false }).addTo(map);
    }

    document.addEventListener('DOMContentLoaded', function () {
        initMap();
        var close = document.getElementById('help-close');
        if (close) { close.addEventListener('click', function () { toggleHelp(false); }); }
    });
    document.addEventListener('htmx:load', initMap);
}());

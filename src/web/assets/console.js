// The staff console's small improvements; every action also works without this file.
// Queue shortcuts: j/k move, o opens, p publishes, r rejects (reason first), ? shows help.
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

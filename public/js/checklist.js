// Onboarding checklist: filters without reloading the page, and the step named in the address
// opened. Progressive enhancement only: the filter links work as plain links without this file.
(function () {
  'use strict';
  var nav = document.querySelector('[data-checklist-filters]');
  if (!nav) return;
  var status = document.querySelector('[data-checklist-status]');
  var empty = document.querySelector('[data-checklist-empty]');

  function matches(row, filter) {
    var todo = row.getAttribute('data-status') === 'todo';
    if (filter === 'mine') return todo && row.getAttribute('data-mine') === '1';
    if (filter === 'overdue') return row.getAttribute('data-overdue') === '1';
    if (filter === 'todo') return todo;
    return true;
  }

  function apply(filter) {
    var shown = 0;
    document.querySelectorAll('.check-row').forEach(function (row) {
      var ok = matches(row, filter);
      row.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll('[data-done-fold]').forEach(function (fold) {
      fold.hidden = filter !== 'all';
    });
    document.querySelectorAll('[data-phase]').forEach(function (phase) {
      phase.hidden = filter !== 'all' && !phase.querySelector('.check-row:not([hidden])');
    });
    nav.querySelectorAll('[data-filter]').forEach(function (link) {
      if (link.getAttribute('data-filter') === filter) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    });
    if (empty) empty.hidden = !(filter !== 'all' && shown === 0);
    if (status) status.textContent = nav.getAttribute('data-shown-label') ? nav.getAttribute('data-shown-label').replace('{n}', String(shown)) : String(shown);
  }

  nav.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('[data-filter]') : null;
    if (!link) return;
    event.preventDefault();
    apply(link.getAttribute('data-filter'));
    if (window.history && window.history.replaceState) window.history.replaceState(null, '', link.getAttribute('href'));
  });

  // A link to one step (#etape-12, from a mail or after saving) opens its details.
  var match = /^#etape-(\d+)$/.exec(window.location.hash);
  if (match) {
    var row = document.getElementById('etape-' + match[1]);
    if (row) {
      var fold = row.closest('[data-done-fold]');
      if (fold) { fold.hidden = false; fold.open = true; }
      var phase = row.closest('[data-phase]');
      if (phase) phase.hidden = false;
      row.hidden = false;
      var details = row.querySelector('.check-details');
      if (details) details.open = true;
    }
  }
})();

// Progressive enhancement for the evaluation pages: every page works without this file.
(function () {
  'use strict';
  // "Print" buttons (ranking, decision record).
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () {
      window.print();
    });
  });

  // Interview kit: the draft saves itself a few seconds after a change, by posting the same
  // form as the "Save draft" button (intent=save).
  var form = document.querySelector('form[data-autosave]');
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector('[data-autosave-status]');
  var timer = null;
  var dirty = false;
  function save() {
    timer = null;
    if (!dirty) return;
    dirty = false;
    var data = new URLSearchParams(new FormData(form));
    data.set('intent', 'save');
    fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
      .then(function (res) {
        if (status) status.textContent = res.ok ? (document.documentElement.lang === 'en' ? 'Draft saved automatically.' : 'Brouillon enregistré automatiquement.') : '';
      })
      .catch(function () {
        dirty = true;
      });
  }
  function changed() {
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 3000);
  }
  form.addEventListener('change', changed);
  form.addEventListener('input', changed);
  form.addEventListener('submit', function () {
    dirty = false;
    if (timer) clearTimeout(timer);
  });
})();

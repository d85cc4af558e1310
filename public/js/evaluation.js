// Progressive enhancement for the evaluation pages: every page works without this file.
(function () {
  'use strict';
  // "Print" buttons (ranking, decision record).
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () {
      window.print();
    });
  });

  // Interview kit: the progress follows the ratings, and the draft saves itself a moment after
  // each change (and when the page is left), by posting the same form as the "Save draft"
  // button with autosave=1, to which the server answers 204 without a page.
  var form = document.querySelector('form[data-autosave]');
  if (!form) return;
  var status = form.querySelector('[data-autosave-status]');
  var progress = form.querySelector('progress');
  var progressText = form.querySelector('[data-progress-text]');
  var criteria = form.querySelectorAll('[data-criterion]');
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function updateProgress() {
    var n = 0;
    Array.prototype.forEach.call(criteria, function (c) { if (c.querySelector('input[type="radio"]:checked')) n++; });
    if (progress) progress.value = n;
    if (progressText) progressText.textContent = fill(form.getAttribute('data-msg-progress'), { n: String(n), total: String(criteria.length) });
  }

  if (!window.fetch || !window.FormData || !window.URLSearchParams) {
    form.addEventListener('change', updateProgress);
    return;
  }
  var timer = null;
  var dirty = false;
  function payload() {
    var data = new URLSearchParams(new FormData(form));
    data.set('intent', 'save');
    data.set('autosave', '1');
    return data;
  }
  function say(message) { if (status) status.textContent = message; }
  function save() {
    timer = null;
    if (!dirty) return;
    dirty = false;
    fetch(form.action, { method: 'POST', body: payload(), credentials: 'same-origin', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
      .then(function (res) {
        var time = new Date().toLocaleTimeString(document.documentElement.lang || 'fr', { hour: '2-digit', minute: '2-digit' });
        say(res.status === 204 ? fill(form.getAttribute('data-msg-saved'), { time: time }) : form.getAttribute('data-msg-failed'));
      })
      .catch(function () {
        dirty = true;
        say(form.getAttribute('data-msg-failed'));
      });
  }
  function changed() {
    dirty = true;
    updateProgress();
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }
  form.addEventListener('change', changed);
  form.addEventListener('input', changed);
  form.addEventListener('submit', function () {
    dirty = false;
    if (timer) clearTimeout(timer);
  });
  // Leaving the page (another tab, closing it) with a change not yet saved: send it anyway.
  function flush() {
    if (!dirty) return;
    dirty = false;
    if (timer) clearTimeout(timer);
    if (navigator.sendBeacon) navigator.sendBeacon(form.action, payload());
  }
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') flush(); });
})();

// Screening view: single-key shortcuts on top of the page's links and forms, which work
// without this file. Each shortcut acts on an element marked data-shortcut="<key>": a link or
// a button is activated, a form gets the focus in its text field, anything else the focus.
// WCAG 2.1.4: the shortcuts can be turned off (the choice is kept in this browser), and they
// never fire while typing in a field or with a modifier key.
(function () {
  'use strict';
  var help = document.getElementById('shortcut-help');
  if (!help) return;
  var toggle = document.getElementById('shortcuts-on');
  var STORE = 'coordo.screening.shortcuts';
  function stored() {
    try { return window.localStorage.getItem(STORE); } catch { return null; }
  }
  function store(value) {
    try { window.localStorage.setItem(STORE, value); } catch { /* private mode: the choice lasts for the page */ }
  }
  var enabled = stored() !== 'off';
  help.hidden = false;
  if (toggle) {
    toggle.checked = enabled;
    toggle.addEventListener('change', function () {
      enabled = toggle.checked;
      store(enabled ? 'on' : 'off');
    });
  }

  function typing(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName.toLowerCase();
    if (tag === 'textarea' || tag === 'select') return true;
    if (tag !== 'input') return false;
    var type = (el.getAttribute('type') || 'text').toLowerCase();
    return ['checkbox', 'radio', 'button', 'submit', 'reset'].indexOf(type) === -1;
  }

  function act(el) {
    var tag = el.tagName.toLowerCase();
    if (tag === 'a' || tag === 'button') { el.click(); return; }
    if (tag === 'form') {
      var field = el.querySelector('textarea, input[type="text"]');
      if (field) field.focus();
      return;
    }
    el.focus();
    if (el.scrollIntoView) el.scrollIntoView({ block: 'nearest' });
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var key = event.key;
    if (key === '?') {
      event.preventDefault();
      help.open = !help.open;
      if (help.open) help.querySelector('summary').focus();
      return;
    }
    if (!enabled || key.length !== 1) return;
    var target = document.querySelector('[data-shortcut="' + key.toLowerCase() + '"]');
    if (!target || key !== key.toLowerCase()) return;
    event.preventDefault();
    act(target);
  });
})();

// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Move focus to the error summary so screen-reader and keyboard users land on it.
  var summary = document.querySelector('[data-autofocus]');
  if (summary) summary.focus();

  // Ask before destructive actions marked with data-confirm.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();

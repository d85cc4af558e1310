// Progressive enhancement for the scheduling pages: every page works without this file.
(function () {
  'use strict';
  // Availability answers: one click answers every slot of a day (labels from the page, in its language).
  document.querySelectorAll('[data-answer-day]').forEach(function (day) {
    var legend = day.querySelector('legend');
    if (!legend) return;
    var tools = document.createElement('div');
    tools.className = 'answer-tools';
    ['yes', 'maybe', 'no'].forEach(function (answer) {
      var label = day.getAttribute('data-all-' + answer);
      if (!label) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'button button-small button-secondary';
      button.textContent = label;
      button.addEventListener('click', function () {
        day.querySelectorAll('input[type="radio"][value="' + answer + '"]').forEach(function (radio) {
          radio.checked = true;
        });
      });
      tools.appendChild(button);
    });
    legend.insertAdjacentElement('afterend', tools);
  });

  // Candidate's slot picker: the chosen slot stands out, and a click anywhere on it picks it.
  var picker = document.querySelector('[data-slot-picker]');
  if (!picker) return;
  var options = picker.querySelectorAll('.slot-option');
  function refresh() {
    options.forEach(function (option) {
      var radio = option.querySelector('input[type="radio"]');
      option.classList.toggle('is-selected', Boolean(radio && radio.checked));
    });
  }
  options.forEach(function (option) {
    option.addEventListener('click', function (event) {
      var radio = option.querySelector('input[type="radio"]');
      if (radio && event.target !== radio && event.target.tagName !== 'LABEL') {
        radio.checked = true;
        refresh();
      }
    });
  });
  picker.addEventListener('change', refresh);
  refresh();
})();

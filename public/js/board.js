// Pipeline board: in-place moves and drag and drop on top of the plain pages.
// Without JavaScript a card's "Déplacer" unfolds a link to its move page, whose form posts to
// the card's move route. With this file, unfolding it (or dropping the card on a column)
// builds that same form in the card (select + button, the page's CSRF token), so the server
// sees exactly what the move page sends: the form is sent in the background and the card
// changes column without a reload.
(function () {
  'use strict';
  var board = document.querySelector('[data-board]');
  if (!board) return;
  var live = document.getElementById('board-live');
  var help = document.getElementById('board-help');
  var columns = Array.prototype.slice.call(board.querySelectorAll('.board-column'));

  if (help) help.hidden = false;

  function announce(message) {
    if (!live) return;
    live.textContent = '';
    // A fresh text node makes screen readers read the same message twice in a row.
    window.setTimeout(function () { live.textContent = message; }, 50);
  }
  function columnOf(el) { return el.closest('.board-column'); }
  function nameOf(card) { return card.querySelector(':scope > a').textContent; }
  function columnById(id) {
    for (var i = 0; i < columns.length; i++) if (columns[i].getAttribute('data-stage-id') === String(id)) return columns[i];
    return null;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function text(key) { return board.getAttribute('data-msg-' + key) || ''; }

  // Columns may show only part of their cards (the rest is in the list): counts move by one.
  function countOf(column) {
    var count = column.querySelector('[data-count]');
    return count ? Number(count.textContent) || 0 : column.querySelectorAll('.board-card').length;
  }
  function updateCount(column, delta) {
    var n = Math.max(0, countOf(column) + delta);
    var count = column.querySelector('[data-count]');
    if (count) count.textContent = String(n);
    var empty = column.querySelector('.board-empty');
    if (empty) empty.hidden = n > 0;
  }
  function clearTarget() {
    columns.forEach(function (c) { c.classList.remove('board-target'); });
  }
  function showAlert(message) {
    var alert = document.getElementById('board-alert');
    if (!alert) return;
    alert.textContent = message;
    alert.hidden = false;
  }

  /** The card's move form, built on first use in place of its link to the move page. */
  function formOf(card) {
    var form = card.querySelector('form.board-move');
    if (form) return form;
    var link = card.querySelector(':scope > details > a');
    if (!link) return null;
    var id = card.id.replace('card-', '');
    var name = nameOf(card);
    var stage = columnOf(card).getAttribute('data-stage-id');
    form = document.createElement('form');
    form.method = 'post';
    form.action = link.pathname;
    form.className = 'board-move';
    function hidden(field, value) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = field;
      input.value = value;
      form.appendChild(input);
    }
    hidden('_csrf', board.getAttribute('data-csrf') || '');
    hidden('expected_stage_id', stage);
    hidden('back', 'board');
    var label = document.createElement('label');
    label.className = 'visually-hidden';
    label.htmlFor = 'move-' + id;
    label.textContent = fill(text('move-to'), { name: name });
    var select = document.createElement('select');
    select.id = 'move-' + id;
    select.name = 'stage_id';
    columns.forEach(function (column) {
      var option = document.createElement('option');
      option.value = column.getAttribute('data-stage-id');
      option.textContent = column.getAttribute('data-stage-name');
      select.appendChild(option);
    });
    select.value = stage;
    var button = document.createElement('button');
    button.type = 'submit';
    button.className = 'button button-small button-secondary';
    button.appendChild(document.createTextNode(text('submit')));
    var more = document.createElement('span');
    more.className = 'visually-hidden';
    more.textContent = ' : ' + text('move') + ' ' + name;
    button.appendChild(more);
    form.appendChild(label);
    form.appendChild(select);
    form.appendChild(button);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      send(card);
    });
    link.parentNode.replaceChild(form, link);
    return form;
  }

  /** Sends the card's form for the column chosen in its select; moves the card when saved. */
  function send(card) {
    var form = formOf(card);
    var select = form.querySelector('select[name="stage_id"]');
    var expected = form.querySelector('input[name="expected_stage_id"]');
    var from = columnOf(card);
    var column = columnById(select.value);
    if (!column || column === from) { announce(fill(text('same'), { name: nameOf(card) })); return; }
    // Rejection needs a reason and a choice about the mail: the plain form leads there.
    if (column.getAttribute('data-kind') === 'rejected' || !window.fetch) { form.submit(); return; }
    card.setAttribute('aria-busy', 'true');
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    })
      .then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      })
      .then(function (r) {
        card.removeAttribute('aria-busy');
        if (!r.ok) {
          announce(r.data.message || text('failed'));
          showAlert(r.data.message || text('failed'));
          select.value = expected.value;
          return;
        }
        column.querySelector('.board-cards').appendChild(card);
        expected.value = column.getAttribute('data-stage-id');
        updateCount(from, -1);
        updateCount(column, 1);
        var details = card.querySelector('details');
        if (details) details.open = false;
        card.querySelector(':scope > a').focus();
        announce(r.data.message);
      })
      .catch(function () {
        card.removeAttribute('aria-busy');
        form.submit();
      });
  }

  Array.prototype.forEach.call(board.querySelectorAll('.board-card'), function (card) {
    var details = card.querySelector(':scope > details');
    if (!details || !details.querySelector(':scope > a')) return;
    details.addEventListener('toggle', function () {
      if (details.open) formOf(card);
    });

    // Pointer: native drag and drop, through the same form.
    card.setAttribute('draggable', 'true');
    card.addEventListener('dragstart', function (event) {
      event.dataTransfer.setData('text/plain', card.id);
      event.dataTransfer.effectAllowed = 'move';
      card.classList.add('board-grabbed');
    });
    card.addEventListener('dragend', function () {
      card.classList.remove('board-grabbed');
      clearTarget();
    });
  });

  columns.forEach(function (column) {
    column.addEventListener('dragover', function (event) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      clearTarget();
      column.classList.add('board-target');
    });
    column.addEventListener('drop', function (event) {
      event.preventDefault();
      clearTarget();
      var card = document.getElementById(event.dataTransfer.getData('text/plain'));
      if (!card || !card.classList.contains('board-card')) return;
      var form = formOf(card);
      if (!form) return;
      form.querySelector('select[name="stage_id"]').value = column.getAttribute('data-stage-id');
      send(card);
    });
  });
})();

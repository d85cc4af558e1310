// Pipeline board: drag and drop and keyboard moves on top of the plain forms.
// Every move submits the card's own form (the no-JavaScript select + button), so the
// server sees exactly what it sees without this file.
(function () {
  'use strict';
  var board = document.querySelector('[data-board]');
  if (!board) return;
  var live = document.getElementById('board-live');
  var help = document.getElementById('board-help');
  var columns = Array.prototype.slice.call(board.querySelectorAll('[data-stage-id]')).filter(function (el) {
    return el.classList.contains('board-column');
  });
  var grabbed = null; // { card, from, target }

  if (help) help.hidden = false;

  function announce(message) {
    if (!live) return;
    live.textContent = '';
    // A fresh text node makes screen readers read the same message twice in a row.
    window.setTimeout(function () { live.textContent = message; }, 50);
  }
  function columnOf(el) { return el.closest('.board-column'); }
  function stageName(column) { return column.getAttribute('data-stage-name'); }
  function cardName(card) { return card.getAttribute('data-card-name'); }
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

  function move(card, column) {
    var from = columnOf(card);
    if (!column || column === from) { announce(fill(text('same'), { name: cardName(card) })); return; }
    var form = card.querySelector('form.board-move');
    var select = form.querySelector('select[name="stage_id"]');
    select.value = column.getAttribute('data-stage-id');
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
          select.value = form.querySelector('input[name="expected_stage_id"]').value;
          return;
        }
        column.querySelector('.board-cards').appendChild(card);
        form.querySelector('input[name="expected_stage_id"]').value = column.getAttribute('data-stage-id');
        card.setAttribute('data-stage-id', column.getAttribute('data-stage-id'));
        updateCount(from, -1);
        updateCount(column, 1);
        var grab = card.querySelector('.board-grab');
        if (grab) grab.focus();
        announce(r.data.message);
      })
      .catch(function () {
        card.removeAttribute('aria-busy');
        form.submit();
      });
  }

  function showAlert(message) {
    var alert = document.getElementById('board-alert');
    if (!alert) return;
    alert.textContent = message;
    alert.hidden = false;
  }

  function release(cancelled) {
    if (!grabbed) return;
    var g = grabbed;
    grabbed = null;
    clearTarget();
    g.card.classList.remove('board-grabbed');
    g.button.setAttribute('aria-pressed', 'false');
    if (cancelled) announce(fill(text('cancelled'), { name: cardName(g.card) }));
    else move(g.card, g.target);
  }

  function setTarget(index) {
    if (!grabbed) return;
    grabbed.target = columns[index];
    clearTarget();
    grabbed.target.classList.add('board-target');
    announce(fill(text('target'), { stage: stageName(grabbed.target), count: String(countOf(grabbed.target)) }));
  }

  function grab(card, button) {
    if (grabbed) release(true);
    grabbed = { card: card, button: button, target: columnOf(card) };
    card.classList.add('board-grabbed');
    button.setAttribute('aria-pressed', 'true');
    announce(fill(text('grabbed'), { name: cardName(card), stage: stageName(grabbed.target) }));
  }

  Array.prototype.forEach.call(board.querySelectorAll('.board-card'), function (card) {
    // Keyboard: a toggle button per card.
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-secondary button-small board-grab';
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-describedby', 'board-help');
    button.textContent = text('grab');
    var hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = ' : ' + cardName(card);
    button.appendChild(hidden);
    card.querySelector('.board-card-actions').appendChild(button);

    button.addEventListener('keydown', function (event) {
      var key = event.key;
      var isGrabbed = grabbed && grabbed.card === card;
      if (key === 'Enter' || key === ' ') {
        event.preventDefault();
        if (isGrabbed) release(false);
        else grab(card, button);
      } else if (isGrabbed && (key === 'ArrowRight' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowUp')) {
        event.preventDefault();
        var index = columns.indexOf(grabbed.target);
        var step = key === 'ArrowRight' || key === 'ArrowDown' ? 1 : -1;
        setTarget(Math.min(columns.length - 1, Math.max(0, index + step)));
      } else if (isGrabbed && (key === 'Escape' || key === 'Tab')) {
        if (key === 'Escape') event.preventDefault();
        release(true);
      }
    });
    button.addEventListener('click', function (event) {
      // Keyboard activation is handled above; this is a pointer click.
      if (event.detail === 0) return;
      if (grabbed && grabbed.card === card) release(true);
      else grab(card, button);
    });

    // Pointer: native drag and drop.
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
      if (card && card.classList.contains('board-card')) move(card, column);
    });
  });
})();

// Live totals and row tools for the 自评表 editor. The page works without this file (plain form post);
// the server recomputes everything on save, so this only mirrors ScoreSheet for immediate feedback.
(function () {
  'use strict';
  var form = document.getElementById('se-form');
  if (!form) { return; }
  var d = form.dataset;
  var bands = JSON.parse(d.bands || '[]');
  // As the server reads amounts: thousands separators (1,412.74, as the page shows them) and full-width digits.
  function num(v) {
    var t = String(v || '').replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/．/g, '.').replace(/－/g, '-').replace(/[,，\s\u3000]/g, '');
    var n = parseFloat(t);
    return isNaN(n) ? null : n;
  }
  function round(x, places) { var f = Math.pow(10, places); return Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9) / f; }
  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }

  function recompute() {
    var a = num(document.getElementById('funds-budget').value);
    var b = num(document.getElementById('funds-executed').value);
    var c = num(document.getElementById('funds-upper').value) || 0;
    var rate = a && a > 0 && b !== null ? round((b - c) / a, 4) : null;
    var fundsScore = 0;
    if (rate !== null) {
      if (d.fundsRule === 'Bands') {
        var best = null;
        bands.forEach(function (x) { if (rate >= x.minRate && (best === null || x.minRate > best.minRate)) { best = x; } });
        fundsScore = best ? best.points : 0;
      } else {
        fundsScore = round(num(d.fundsWeight) * Math.min(rate, 1), 2);
      }
    }
    var weights = 0, scores = 0;
    form.querySelectorAll('.indicator-row').forEach(function (row) {
      var w = num(row.querySelector('.weight').value), sc = num(row.querySelector('.score').value);
      weights += w || 0;
      scores += sc || 0;
      // As the server's check says on save (得分 above 分值): marked while typing, not only after 保存.
      var over = w !== null && sc !== null && sc > w;
      var field = row.querySelector('.score');
      // A field the server refused stays marked until it is edited (see the input listener below).
      var bad = over || field.classList.contains('server-invalid');
      field.classList.toggle('invalid', bad);
      field.title = over ? '得分不能超过分值（' + w + '）' : '';
      field.setAttribute('aria-invalid', bad ? 'true' : 'false');
    });
    var total = round(fundsScore + round(scores, 2), 2);
    var grade = total >= num(d.gradeExcellent) ? '优' : total >= num(d.gradeGood) ? '良' : total >= num(d.gradePass) ? '中' : '差';
    text('funds-rate', rate === null ? '—' : (rate * 100).toFixed(2) + '%');
    text('funds-score', fundsScore.toFixed(2));
    text('weight-total', String(round(weights, 2)));
    text('indicator-score', round(scores, 2).toFixed(2));
    text('total-score', total.toFixed(2));
    text('grade', grade);
  }

  // Row names carry their index (Input.Rows[3].Score); after add/remove/move they are renumbered.
  function renumber() {
    form.querySelectorAll('.indicator-row').forEach(function (row, i) {
      row.querySelectorAll('input, textarea').forEach(function (el) { el.name = el.name.replace(/Rows\[\d+\]/, 'Rows[' + i + ']'); });
    });
    recompute();
  }

  var body = document.querySelector('#indicator-table tbody');
  var add = document.getElementById('add-row');
  if (add && body) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var rows = body.querySelectorAll('.indicator-row');
      var copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelectorAll('input, textarea').forEach(function (el) { el.value = ''; });
      body.appendChild(copy);
      renumber();
    });
  }
  if (body) {
    body.addEventListener('click', function (e) {
      var row = e.target.closest('.indicator-row');
      if (!row) { return; }
      if (e.target.classList.contains('row-remove') && body.querySelectorAll('.indicator-row').length > 1) { row.remove(); }
      else if (e.target.classList.contains('row-up') && row.previousElementSibling) { body.insertBefore(row, row.previousElementSibling); }
      else if (e.target.classList.contains('row-down') && row.nextElementSibling) { body.insertBefore(row.nextElementSibling, row); }
      else { return; }
      renumber();
    });
  }
  form.addEventListener('input', function (e) {
    var t = e.target;
    if (t && t.classList && t.classList.contains('server-invalid')) { t.classList.remove('server-invalid'); }
    if (t && t.getAttribute && t.getAttribute('aria-invalid') === 'true' && !t.classList.contains('score')) {
      t.classList.remove('invalid');
      t.removeAttribute('aria-invalid');
    }
    recompute();
  });
  // After a refused save the fields show what was typed, not what is stored: the figures follow the fields.
  recompute();

  // A refused save: take the reader to the first field it names (the messages above say why).
  if (document.getElementById('form-errors')) {
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) {
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: 'center' });
    }
  }

  // Unsaved edits are not dropped silently: leaving the page (a link, 去提交, closing the tab) asks first. A refused
  // save's page already holds unsaved input. Saving (this form's submit) leaves without asking.
  var dirty = form.dataset.unsaved === 'true';
  form.addEventListener('input', function () { dirty = true; });
  form.addEventListener('change', function () { dirty = true; });
  if (body) { body.addEventListener('click', function (e) { if (e.target.closest('.row-up, .row-down, .row-remove')) { dirty = true; } }); }
  if (add) { add.addEventListener('click', function () { dirty = true; }); }
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (e) {
    if (!dirty) { return; }
    e.preventDefault();
    e.returnValue = '';
  });
})();

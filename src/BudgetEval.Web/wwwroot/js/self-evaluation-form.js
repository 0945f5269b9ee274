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

  // Screen-reader announcements: row tools and totals speak through polite live regions (Form.cshtml). Clearing first
  // and writing a moment later makes a repeated message ("已上移第3行" twice) be read again.
  function say(id, message) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.textContent = '';
    setTimeout(function () { el.textContent = message; }, 50);
  }

  // Thirty rows of the same ten fields: every field's name says its row and indicator (第3行（社会治理系统运行维护）得分),
  // and the row tools say which row they move. Kept current as rows move and the indicator text changes.
  function label(row, n) {
    var indicator = ['Level3', 'Level2', 'Level1'].map(function (k) {
      var el = row.querySelector('[name$=".' + k + '"]');
      return el ? el.value.trim() : '';
    }).filter(function (t) { return t; })[0];
    var rowName = '第' + n + '行' + (indicator ? '（' + indicator + '）' : '');
    var no = row.querySelector('.row-no');
    if (no) { no.textContent = String(n); }
    row.querySelectorAll('[data-field]').forEach(function (el) { el.setAttribute('aria-label', rowName + el.dataset.field); });
    [['.row-up', '上移'], ['.row-down', '下移'], ['.row-remove', '删除']].forEach(function (x) {
      var b = row.querySelector(x[0]);
      if (b) { b.setAttribute('aria-label', x[1] + '第' + n + '行'); }
    });
  }

  // Row names carry their index (Input.Rows[3].Score); after add/remove/move they are renumbered.
  function renumber() {
    form.querySelectorAll('.indicator-row').forEach(function (row, i) {
      row.querySelectorAll('input, textarea').forEach(function (el) { el.name = el.name.replace(/Rows\[\d+\]/, 'Rows[' + i + ']'); });
      label(row, i + 1);
    });
    recompute();
  }
  function rowNumber(row) { return Array.prototype.indexOf.call(body.querySelectorAll('.indicator-row'), row) + 1; }

  var body = document.querySelector('#indicator-table tbody');
  var add = document.getElementById('add-row');
  if (add && body) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var rows = body.querySelectorAll('.indicator-row');
      var copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelectorAll('input, textarea').forEach(function (el) {
        el.value = '';
        el.classList.remove('invalid', 'server-invalid');
        el.removeAttribute('aria-invalid');
      });
      body.appendChild(copy);
      renumber();
      // The new row's first field takes the focus, so typing goes where the row appeared.
      copy.querySelector('input, textarea').focus();
      say('grid-status', '已增加第' + rowNumber(copy) + '行');
    });
  }
  if (body) {
    body.addEventListener('click', function (e) {
      var button = e.target.closest('button');
      var row = button && button.closest('.indicator-row');
      if (!row) { return; }
      var from = rowNumber(row), message;
      // Moving a row takes it out of the document for a moment, which drops the focus to <body>: it is put back on the
      // same button, and after a delete on the next row's (or else the previous row's) 删除.
      if (button.classList.contains('row-remove') && body.querySelectorAll('.indicator-row').length > 1) {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        renumber();
        next.querySelector('.row-remove').focus();
        say('grid-status', '已删除第' + from + '行');
        return;
      }
      if (button.classList.contains('row-up') && row.previousElementSibling) { body.insertBefore(row, row.previousElementSibling); message = '已上移第' + from + '行，现为第' + (from - 1) + '行'; }
      else if (button.classList.contains('row-down') && row.nextElementSibling) { body.insertBefore(row.nextElementSibling, row); message = '已下移第' + from + '行，现为第' + (from + 1) + '行'; }
      else { return; }
      renumber();
      button.focus();
      say('grid-status', message);
    });
    // A typed indicator name goes into that row's field names.
    body.addEventListener('change', function (e) {
      var row = e.target.closest && e.target.closest('.indicator-row');
      if (row && /\.Level[123]$/.test(e.target.name || '')) { label(row, rowNumber(row)); }
    });
  }

  // The live total and grade are read out once typing pauses, not at every keystroke.
  var spoken = null, totalsTimer = null;
  function totalsText() {
    var t = document.getElementById('total-score'), g = document.getElementById('grade');
    return t && g ? '总分' + t.textContent + '，等级' + g.textContent : '';
  }
  function announceTotals() {
    clearTimeout(totalsTimer);
    totalsTimer = setTimeout(function () {
      var now = totalsText();
      if (now && now !== spoken) { spoken = now; say('totals-status', now); }
    }, 1500);
  }

  form.addEventListener('input', function (e) {
    var t = e.target;
    if (t && t.classList && t.classList.contains('server-invalid')) { t.classList.remove('server-invalid'); }
    if (t && t.getAttribute && t.getAttribute('aria-invalid') === 'true' && !t.classList.contains('score')) {
      t.classList.remove('invalid');
      t.removeAttribute('aria-invalid');
    }
    recompute();
    announceTotals();
  });
  // After a refused save the fields show what was typed, not what is stored: the figures follow the fields.
  recompute();
  spoken = totalsText();

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

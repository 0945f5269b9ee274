// Live subtotals, total and grade while the firm types scores. The page works without this file; the
// server recomputes everything on save, so this only mirrors EvaluationScoreSheet for quick feedback.
(function () {
  'use strict';
  var table = document.getElementById('evaluation-scores');
  if (!table) { return; }
  var d = table.dataset;
  function num(v) { var n = parseFloat(String(v || '').trim()); return isNaN(n) ? 0 : n; }
  function grade(total) {
    return total >= num(d.gradeExcellent) ? '优' : total >= num(d.gradeGood) ? '良' : total >= num(d.gradePass) ? '中' : '差';
  }
  function recompute() {
    var sums = {}, total = 0, blank = 0, rows = 0;
    table.querySelectorAll('tr.score-row').forEach(function (row) {
      var input = row.querySelector('input.score');
      var score = input ? num(input.value) : 0;
      if (!row.dataset.na) { rows++; if (input && String(input.value || '').trim() === '') { blank++; } }
      sums[row.dataset.group] = (sums[row.dataset.group] || 0) + score;
      total += score;
    });
    table.querySelectorAll('tr.subtotal').forEach(function (row) {
      var cell = row.querySelector('[data-testid=subtotal]');
      if (cell) { cell.textContent = (sums[row.dataset.group] || 0).toFixed(2); }
    });
    var totalCell = table.querySelector('[data-testid=total]');
    if (totalCell) { totalCell.textContent = blank === rows ? '—' : total.toFixed(2); }
    var gradeCell = table.querySelector('[data-testid=grade]');
    if (gradeCell) {
      gradeCell.textContent = blank === rows ? '等级：未评分'
        : blank > 0 ? '等级：—（尚有' + blank + '项未评分）'
        : '等级：' + grade(Math.round(total * 100) / 100);
    }
  }
  // The new total and grade are read out (polite live region) once typing pauses, not at every keystroke.
  var status = document.getElementById('evaluation-scores-status');
  var spoken = null, timer = null;
  function totalsText() {
    var t = table.querySelector('[data-testid=total]'), g = table.querySelector('[data-testid=grade]');
    return t && g ? '合计' + t.textContent + '，' + g.textContent : '';
  }
  function announce() {
    if (!status) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      var now = totalsText();
      if (now && now !== spoken) {
        spoken = now;
        status.textContent = '';
        setTimeout(function () { status.textContent = now; }, 50);
      }
    }, 1500);
  }
  spoken = totalsText();
  table.addEventListener('input', function (e) { if (e.target.classList.contains('score')) { recompute(); announce(); } });
})();

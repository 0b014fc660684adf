// The report page's only script, inlined into the page: sorting and filtering the table and
// switching the chart grouping and baseline. Plain ES2017 so any browser runs it from file://.
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var table = document.getElementById('report');
  var tbody = table.tBodies[0];
  var filter = document.getElementById('filter');
  var shown = document.getElementById('shown');
  filter.addEventListener('input', function () {
    var q = filter.value.trim().toLowerCase();
    var n = 0;
    Array.prototype.forEach.call(tbody.rows, function (tr) {
      var hit = q === '' || tr.textContent.toLowerCase().indexOf(q) >= 0;
      tr.hidden = !hit;
      if (hit) n++;
    });
    shown.textContent = String(n);
  });
  function compare(a, b) {
    var na = Number(a), nb = Number(b);
    if (a !== '' && b !== '' && isFinite(na) && isFinite(nb)) return na - nb;
    return a.localeCompare(b, undefined, { numeric: true });
  }
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, col) {
    th.addEventListener('click', function () {
      var dir = th.getAttribute('data-sort') === 'asc' ? 'desc' : 'asc';
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('data-sort'); });
      th.setAttribute('data-sort', dir);
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (x, y) {
        var a = x.cells[col].textContent, b = y.cells[col].textContent;
        // Unmeasured cells go last in both directions: they are not "smallest".
        if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
        return dir === 'asc' ? compare(a, b) : compare(b, a);
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
  var dims = JSON.parse(document.getElementById('chart-dimensions').textContent);
  var dimSelect = document.getElementById('group-by');
  var baseSelect = document.getElementById('baseline');
  function fillBaselines() {
    var keep = baseSelect.value;
    baseSelect.innerHTML = '';
    (dims[dimSelect.value] || []).forEach(function (v) {
      var o = document.createElement('option');
      o.value = v;
      o.textContent = v === '' ? '(none)' : v;
      baseSelect.appendChild(o);
    });
    if ((dims[dimSelect.value] || []).indexOf(keep) >= 0) baseSelect.value = keep;
  }
  function showCharts() {
    Array.prototype.forEach.call(document.querySelectorAll('.chart-box'), function (box) {
      var sameDim = box.getAttribute('data-dim') === dimSelect.value;
      var mode = box.getAttribute('data-mode');
      box.hidden = !(sameDim && (mode === 'absolute' || box.getAttribute('data-baseline') === baseSelect.value));
    });
  }
  dimSelect.addEventListener('change', function () { fillBaselines(); showCharts(); });
  baseSelect.addEventListener('change', showCharts);
  fillBaselines();
  showCharts();
})();
`;

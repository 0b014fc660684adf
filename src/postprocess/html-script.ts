// The report page's only script, inlined into the page: sorting and filtering the table, and
// drawing the charts (inline SVG) from the embedded chart data for the chosen grouping and
// baseline. Plain ES2017 so any browser runs it from file://.
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
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var chartsEl = document.getElementById('charts');
  var dimSelect = document.getElementById('group-by');
  var baseSelect = document.getElementById('baseline');
  // Past these a chart shows the first groups and says how many it left out: the table has them all.
  var MAX_CATEGORIES = 60, MAX_SERIES = 12;
  var PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  var BAR = 14, GAP = 10, LABEL_W = 220, PLOT_W = 420, VALUE_W = 110, LEGEND_H = 22, TITLE_H = 24;
  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }
  function format(v, relative) {
    return relative ? v.toFixed(3) + '\u00d7' : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
  function ratio(v, base) {
    if (v === undefined || base === undefined || base === 0) return undefined;
    return Math.round((v / base) * 10000) / 10000;
  }
  // One chart of a metric for a grouping: absolute, or relative to the baseline's value in the same category.
  function chartOf(group, metric, dim, baseline) {
    var cells = group.cells[metric] || [];
    var nS = group.series.length;
    var value = {};
    for (var i = 0; i < cells.length; i += 3) value[cells[i] * nS + cells[i + 1]] = cells[i + 2];
    var limitCells = (group.limits && group.limits[metric]) || [];
    var limitAt = {};
    for (var j = 0; j < limitCells.length; j += 3) limitAt[limitCells[j] * nS + limitCells[j + 1]] = limitCells[j + 2];
    var overCells = (group.over && group.over[metric]) || [];
    var overAt = {};
    for (var k = 0; k < overCells.length; k += 2) overAt[overCells[k] * nS + overCells[k + 1]] = true;
    var baseIndex = baseline === undefined ? -1 : group.series.indexOf(baseline);
    var nC = Math.min(group.categories.length, MAX_CATEGORIES);
    var shownS = Math.min(nS, MAX_SERIES);
    var series = [];
    for (var s = 0; s < shownS; s++) {
      var values = [];
      var limits = [];
      var overs = [];
      for (var c = 0; c < nC; c++) {
        var v = value[c * nS + s];
        overs.push(overAt[c * nS + s] === true);
        values.push(baseline === undefined ? v : ratio(v, baseIndex < 0 ? undefined : value[c * nS + baseIndex]));
        limits.push(baseline === undefined ? limitAt[c * nS + s] : undefined);
      }
      series.push({ name: group.series[s] === '' ? '(none)' : group.series[s], values: values, limits: limits, overs: overs });
    }
    var unit = (data.units && data.units[metric]) || '';
    return {
      title: baseline === undefined ? metric + (unit ? ' [' + unit + ']' : '') + ' by ' + dim : metric + ' relative to ' + dim + ' ' + baseline + ' [\u00d7 baseline]',
      unit: baseline === undefined ? unit : '',
      metric: metric,
      categories: group.categories.slice(0, nC),
      series: series,
      left: { categories: group.categories.length - nC, series: nS - shownS },
      relative: baseline !== undefined,
    };
  }
  function svgOf(c) {
    var blockH = Math.max(1, c.series.length) * BAR + GAP;
    var top = TITLE_H + LEGEND_H;
    var hasLimits = c.series.some(function (s) { return (s.limits || []).some(function (l) { return l !== undefined; }); });
    var height = top + c.categories.length * blockH + 10 + (hasLimits ? 14 : 0);
    var width = LABEL_W + PLOT_W + VALUE_W;
    var max = c.relative ? 1 : 1e-9;
    c.series.forEach(function (s) { s.values.forEach(function (v) { if (v !== undefined) max = Math.max(max, Math.abs(v)); }); });
    // A limit far above every bar (32 MiB of a simulator) would flatten them: drawn only within 4x.
    var dataMax = max, offScale = 0;
    c.series.forEach(function (s) { (s.limits || []).forEach(function (l) { if (l === undefined) return; if (l <= 4 * dataMax) max = Math.max(max, l); else offScale++; }); });
    var scale = PLOT_W / max;
    var parts = ['<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height + '" viewBox="0 0 ' + width + ' ' + height +
      '" role="img" aria-label="' + esc(c.title) + '" data-metric="' + esc(c.metric) + '">',
      '<text class="chart-title" x="0" y="16">' + esc(c.title) + '</text>'];
    var lx = LABEL_W;
    c.series.forEach(function (s, i) {
      parts.push('<rect class="legend" x="' + lx + '" y="' + TITLE_H + '" width="10" height="10" fill="' + PALETTE[i % PALETTE.length] + '"/>');
      parts.push('<text x="' + (lx + 14) + '" y="' + (TITLE_H + 9) + '">' + esc(s.name) + '</text>');
      lx += 24 + s.name.length * 7;
    });
    c.categories.forEach(function (cat, ci) {
      var y0 = top + ci * blockH;
      parts.push('<text class="category" x="' + (LABEL_W - 6) + '" y="' + (y0 + (blockH - GAP) / 2 + 4) + '" text-anchor="end">' + esc(cat) + '</text>');
      c.series.forEach(function (s, si) {
        var v = s.values[ci];
        var y = y0 + si * BAR;
        if (v === undefined) {
          parts.push('<text class="na" x="' + (LABEL_W + 4) + '" y="' + (y + BAR - 3) + '">n/a</text>');
          return;
        }
        var w = Math.max(1, Math.abs(v) * scale);
        // A run that does not fit: an outlined bar of what it needed, never a measured total.
        var over = s.overs ? s.overs[ci] : false;
        parts.push('<rect class="bar' + (over ? ' over' : '') + '" x="' + LABEL_W + '" y="' + (y + 1) + '" width="' + w.toFixed(1) + '" height="' + (BAR - 2) + '" fill="' + (over ? 'none' : PALETTE[si % PALETTE.length]) +
          '" stroke="' + PALETTE[si % PALETTE.length] + '"><title>' + esc(cat + ' \u2014 ' + s.name + ': ' + (over ? 'does not fit, needs ' : '') + format(v, c.relative)) + '</title></rect>');
        var l = s.limits ? s.limits[ci] : undefined;
        if (l !== undefined && l > max) l = undefined; // off scale: said once below the chart
        var label = (over ? 'does not fit: needs ' : '') + format(v, c.relative) + (l !== undefined ? ' of ' + format(l) + (v > l && !over ? ' (over)' : '') : '');
        parts.push('<text class="value" x="' + (LABEL_W + w + 4).toFixed(1) + '" y="' + (y + BAR - 3) + '">' + esc(label) + '</text>');
        if (l !== undefined) {
          var lx2 = (LABEL_W + l * scale).toFixed(1);
          parts.push('<line class="limit" x1="' + lx2 + '" x2="' + lx2 + '" y1="' + y + '" y2="' + (y + BAR) + '"><title>' + esc('limit of the target: ' + format(l) + ' ' + c.unit) + '</title></line>');
        }
      });
    });
    if (c.relative) {
      var x = (LABEL_W + scale).toFixed(1);
      parts.push('<line class="reference" x1="' + x + '" x2="' + x + '" y1="' + (top - 4) + '" y2="' + (height - 6) + '" stroke="#333" stroke-dasharray="4 3"/>');
    }
    parts.push('</svg>');
    var more = [];
    if (hasLimits) {
      parts.splice(parts.length - 1, 0, '<text class="limit-note" x="0" y="' + (height - 3) + '">red line: the target\u2019s ' + (c.metric.indexOf('ROM') === 0 ? 'flash' : 'RAM') +
        ' size' + (offScale ? ' (' + offScale + ' off scale)' : '') + '</text>');
    }
    if (c.left.categories > 0) more.push(c.left.categories + ' more groups');
    if (c.left.series > 0) more.push(c.left.series + ' more values');
    if (more.length) parts.push('<p class="capped">' + more.join(' and ') + ' not drawn (filter or sort the table below for every run)</p>');
    return parts.join('');
  }
  function fillBaselines() {
    var keep = baseSelect.value;
    var values = (data.groups[dimSelect.value] || { series: [] }).series;
    baseSelect.innerHTML = '';
    values.forEach(function (v) {
      var o = document.createElement('option');
      o.value = v;
      o.textContent = v === '' ? '(none)' : v;
      baseSelect.appendChild(o);
    });
    if (values.indexOf(keep) >= 0) baseSelect.value = keep;
  }
  function drawCharts() {
    if (!chartsEl) return;
    var dim = dimSelect.value;
    var group = data.groups[dim];
    var boxes = [];
    data.metrics.forEach(function (m) {
      boxes.push('<div class="chart-box" data-dim="' + esc(dim) + '" data-mode="absolute">' + svgOf(chartOf(group, m, dim)) + '</div>');
      if (baseSelect.options.length) {
        var base = baseSelect.value;
        boxes.push('<div class="chart-box" data-dim="' + esc(dim) + '" data-mode="relative" data-baseline="' + esc(base) + '">' + svgOf(chartOf(group, m, dim, base)) + '</div>');
      }
    });
    chartsEl.innerHTML = boxes.join('\n');
  }
  // One chart per profiled run: instructions per layer, largest first.
  function drawProfiles() {
    var el = document.getElementById('profiles');
    if (!el || !data.profiles) return;
    el.innerHTML = data.profiles.map(function (p) {
      var layers = p.layers.slice().sort(function (a, b) { return b[1] - a[1]; }).slice(0, MAX_CATEGORIES);
      var chart = {
        title: 'Instructions per layer [instructions] \u2014 ' + p.label, unit: 'instructions', metric: 'profile',
        categories: layers.map(function (x) { return x[0]; }),
        series: [{ name: p.run, values: layers.map(function (x) { return x[1]; }) }],
        left: { categories: p.layers.length - layers.length, series: 0 }, relative: false,
      };
      return '<div class="chart-box" data-mode="profile" data-run="' + esc(p.run) + '">' + svgOf(chart) + '</div>';
    }).join('\n');
  }
  drawProfiles();
  dimSelect.addEventListener('change', function () { fillBaselines(); drawCharts(); });
  baseSelect.addEventListener('change', drawCharts);
  if (data.baseline !== undefined) baseSelect.value = data.baseline;
  drawCharts();
})();
`;

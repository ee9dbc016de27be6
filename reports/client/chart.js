// Draws one ChartSpec (reports/chart-spec.ts) as inline SVG. Text goes in via textContent only,
// so labels from scenarios or servers can never become markup.
(function () {
  'use strict';
  var TB = (window.TB = window.TB || {});
  var NS = 'http://www.w3.org/2000/svg';
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  var H = 220, M = { l: 56, r: 14, t: 10, b: 30 };

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) node.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, content, attrs) {
    var t = el('text', Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = content;
    return t;
  }

  function message(figure, plot, status, content) {
    var p = document.createElement('p');
    p.className = 'missing';
    p.textContent = content;
    plot.appendChild(p);
    figure.dataset.drawn = status;
  }

  /** Index of the point nearest x in an ascending array. */
  function nearest(xs, x) {
    var lo = 0, hi = xs.length - 1;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (xs[mid] < x) lo = mid; else hi = mid; }
    return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
  }

  /** A vertical line per fault (and restart) with its label, staggered so close ones stay readable. */
  function drawMarkers(svg, markers, X, xmin, xmax, W, fmtX) {
    markers.forEach(function (m, i) {
      if (m.x < xmin || m.x > xmax) return;
      var x = X(m.x), right = x > W * 0.6;
      var cls = m.kind === 'note' ? 'step-marker' : m.kind === 'change' ? 'change-point' : 'fault-marker';
      var g = el('g', { class: cls, 'data-kind': m.kind, 'data-at-s': m.x }, svg);
      el('line', { x1: x, x2: x, y1: M.t, y2: H - M.b }, g);
      text(g, right ? x - 3 : x + 3, M.t + 10 + (i % 3) * 11, m.label, { 'text-anchor': right ? 'end' : 'start' });
      el('title', {}, g).textContent = m.title || m.label + ' at ' + fmtX(m.x);
    });
  }

  /** A dot per point of the series that carry `points` (history runs), with its hover text. */
  function drawDots(svg, series, X, Y, tx) {
    series.forEach(function (d) {
      if (!d.s.points) return;
      d.xs.forEach(function (xv, i) {
        var y = d.s.y[i], p = d.s.points[i];
        if (y === null || y === undefined || !p) return;
        var dot = el('circle', { cx: X(tx(xv)).toFixed(1), cy: Y(y).toFixed(1), r: 3.5, fill: d.color, class: 'dot' + (p.hollow ? ' hollow' : '') }, svg);
        el('title', {}, dot).textContent = p.title;
      });
    });
  }

  TB.drawChart = function (figure, spec) {
    var plot = figure.querySelector('.plot');
    if (!spec) return message(figure, plot, 'error', 'no data for this chart');
    if (spec.status !== 'ok') return message(figure, plot, spec.status || 'missing', spec.message || 'missing');
    var spectrum = spec.xKind === 'spectrum';
    // x labels: time (m:ss), a start rate (capacity curves), a run's label (history), or percentiles on the spectrum axis.
    var run = spec.xKind === 'run';
    var fmtX = spec.xKind === 'rate' ? function (v) { return TB.fmtNum(v) + '/s'; }
      : run ? function (v) { return (spec.xLabels || [])[Math.round(v)] || ''; }
      : TB.fmtTime;
    var tx = spectrum ? Math.log10 : function (v) { return v; };
    var series = spec.series.map(function (s, i) { return { s: s, xs: s.x || spec.x, color: palette[i % palette.length] }; });
    var xmin = Infinity, xmax = -Infinity, ymax = 0, ymin = 0;
    // Stacked: each series is the band between the sum of those before it and that sum plus its values.
    if (spec.stacked) {
      var base = series.length ? series[0].xs.map(function () { return 0; }) : [];
      series.forEach(function (d) {
        d.bottom = base;
        d.top = base.map(function (b, i) { var y = d.s.y[i]; return b + (y === null || y === undefined ? 0 : y); });
        base = d.top;
      });
    }
    series.forEach(function (d) {
      d.xs.forEach(function (x) { x = tx(x); if (x < xmin) xmin = x; if (x > xmax) xmax = x; });
      (d.top || d.s.y).forEach(function (y) { if (y !== null) { if (y > ymax) ymax = y; if (y < ymin) ymin = y; } });
    });
    (spec.refLines || []).forEach(function (r) { if (r.y > ymax) ymax = r.y; });
    if (!(xmax > xmin)) xmax = xmin + 1;
    if (!(ymax > ymin)) ymax = ymin + 1;
    var W = Math.max(320, plot.clientWidth || 560);
    var X = TB.linear(xmin, xmax, M.l, W - M.r);
    var yTicks = TB.niceTicks(ymin, ymax, 4);
    var Y = TB.linear(ymin, yTicks[yTicks.length - 1], H - M.b, M.t);
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', height: H, role: 'img' });

    (spec.bands || []).forEach(function (b) {
      var x0 = X(Math.max(xmin, tx(b.from))), x1 = X(Math.min(xmax, tx(b.to)));
      if (x1 > x0) el('title', {}, el('rect', { x: x0, y: M.t, width: x1 - x0, height: H - M.t - M.b, class: 'band' }, svg)).textContent = b.label;
    });
    yTicks.forEach(function (v) {
      el('line', { x1: M.l, x2: W - M.r, y1: Y(v), y2: Y(v), class: 'grid' }, svg);
      text(svg, M.l - 6, Y(v) + 4, TB.fmtNum(v), { class: 'tick', 'text-anchor': 'end' });
    });
    // Outage windows over the grid, under the lines; data-* keep the unclipped window for tests and tools.
    (spec.outages || []).forEach(function (o) {
      var x0 = X(Math.max(xmin, o.from)), x1 = X(Math.min(xmax, o.to));
      if (!(x1 > x0)) return;
      var rect = el('rect', { x: x0, y: M.t, width: x1 - x0, height: H - M.t - M.b, class: 'outage-window', 'data-start-s': o.from, 'data-end-s': o.to }, svg);
      el('title', {}, rect).textContent = o.label;
    });
    var xTicks = spectrum
      ? TB.spectrumTicks(Math.pow(10, xmax)).map(function (t) { return { v: Math.log10(t.x), label: t.label }; })
      : TB.niceTicks(xmin, xmax, 6)
        .filter(function (v) { return !run || Math.abs(v - Math.round(v)) < 1e-9; }) // runs are whole
        .map(function (v) { return { v: v, label: fmtX(v) }; });
    xTicks.forEach(function (t) {
      if (t.v < xmin - 1e-9 || t.v > xmax + 1e-9) return;
      el('line', { x1: X(t.v), x2: X(t.v), y1: M.t, y2: H - M.b, class: 'grid' }, svg);
      text(svg, X(t.v), H - M.b + 16, t.label, { class: 'tick', 'text-anchor': 'middle' });
    });

    series.forEach(function (d) {
      if (d.top) {
        var up = '', down = '';
        for (var k = 0; k < d.xs.length; k++) up += (k ? 'L' : 'M') + X(tx(d.xs[k])).toFixed(1) + ',' + Y(d.top[k]).toFixed(1);
        for (var j = d.xs.length - 1; j >= 0; j--) down += 'L' + X(tx(d.xs[j])).toFixed(1) + ',' + Y(d.bottom[j]).toFixed(1);
        if (up) el('path', { d: up + down + 'Z', fill: d.color, class: 'area' }, svg);
        return;
      }
      var path = '', pen = false;
      for (var i = 0; i < d.xs.length; i++) {
        var y = d.s.y[i];
        if (y === null || y === undefined) { pen = false; continue; }
        path += (pen ? 'L' : 'M') + X(tx(d.xs[i])).toFixed(1) + ',' + Y(y).toFixed(1);
        pen = true;
      }
      if (path) el('path', { d: path, stroke: d.color, class: 'line' + (d.s.dashed ? ' dashed' : '') }, svg);
    });
    (spec.refLines || []).forEach(function (r) {
      el('line', { x1: M.l, x2: W - M.r, y1: Y(r.y), y2: Y(r.y), class: 'ref' }, svg);
      text(svg, W - M.r - 4, Y(r.y) - 4, r.label, { class: 'tick ref-label', 'text-anchor': 'end' });
    });
    drawDots(svg, series, X, Y, tx);
    drawMarkers(svg, spec.markers || [], X, xmin, xmax, W, fmtX);
    plot.appendChild(svg);

    var legend = document.createElement('div');
    legend.className = 'legend';
    series.forEach(function (d) {
      var item = document.createElement('span');
      var swatch = document.createElement('i');
      swatch.style.background = d.color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(d.s.name));
      legend.appendChild(item);
    });
    plot.appendChild(legend);

    var tip = document.createElement('div');
    tip.className = 'tip';
    plot.appendChild(tip);
    svg.addEventListener('mousemove', function (ev) {
      var box = svg.getBoundingClientRect();
      var xv = xmin + ((ev.clientX - box.left) * (W / box.width) - M.l) / (W - M.l - M.r) * (xmax - xmin);
      var lines = series.map(function (d) {
        var i = nearest(d.xs.map(tx), xv);
        return d.s.name + ': ' + TB.fmtNum(d.s.y[i]) + ' ' + spec.unit;
      });
      tip.textContent = (spectrum ? TB.percentileOf(Math.pow(10, xv)) : fmtX(xv)) + ' — ' + lines.join(' · ');
    });
    figure.dataset.drawn = 'true';
    figure.dataset.series = String(series.length);
  };
})();

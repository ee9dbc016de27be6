// Scales, ticks and number formats for the report's charts (plain browser script, no dependencies).
(function () {
  'use strict';
  var TB = (window.TB = window.TB || {});

  TB.linear = function (d0, d1, r0, r1) {
    var span = d1 - d0 || 1;
    return function (v) { return r0 + ((v - d0) / span) * (r1 - r0); };
  };

  /** Round-number ticks from min up to the first round number at or above max. */
  TB.niceTicks = function (min, max, count) {
    if (!(max > min)) return [min];
    var raw = (max - min) / Math.max(1, count);
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * mag; }).find(function (s) { return s >= raw; }) || 10 * mag;
    var ticks = [];
    // The last tick is at or above max so the top of every line stays inside the plot.
    var last = Math.ceil(max / step - 1e-9);
    for (var k = Math.ceil(min / step - 1e-9); k <= last; k++) ticks.push(k * step);
    return ticks;
  };

  TB.fmtNum = function (v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '—';
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
    if (a >= 100 || Number.isInteger(v)) return String(Math.round(v));
    if (a >= 1) return v.toFixed(1);
    return v.toPrecision(2);
  };

  TB.fmtTime = function (s) {
    var sign = s < 0 ? '-' : '';
    s = Math.round(Math.abs(s));
    var hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return sign + (hh ? hh + ':' + pad(mm) : mm) + ':' + pad(ss);
  };

  /** Ticks on the 1/(1−p) axis, labelled as percentiles: 1→0%, 2→50%, 10→90%, 100→99% ... */
  TB.spectrumTicks = function (maxX) {
    var ticks = [{ x: 1, label: '0%' }, { x: 2, label: '50%' }];
    for (var d = 1; Math.pow(10, d) <= maxX * 1.0001; d++) {
      var p = 100 - 100 / Math.pow(10, d);
      ticks.push({ x: Math.pow(10, d), label: p.toFixed(Math.max(0, d - 2)) + '%' });
    }
    return ticks;
  };

  TB.percentileOf = function (x) {
    var p = 100 * (1 - 1 / x);
    return (p >= 99.99 ? p.toFixed(4) : p >= 99 ? p.toFixed(2) : p.toFixed(1)) + '%';
  };
})();

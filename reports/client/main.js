// Draws every chart from the page's JSON data block; a chart that fails says so and logs why.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var byId = {};
  data.charts.forEach(function (c) { byId[c.id] = c; });
  var figures = document.querySelectorAll('figure[data-chart]');
  figures.forEach(function (figure) {
    try {
      window.TB.drawChart(figure, byId[figure.dataset.chart]);
    } catch (err) {
      figure.dataset.drawn = 'error';
      console.error('chart ' + figure.dataset.chart + ' failed:', err);
    }
  });
  document.body.dataset.chartsDrawn = String(figures.length);
})();

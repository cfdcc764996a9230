/*
 * quito_chart_view: the line chart of an indicator's time series with the
 * vendored Chart.js (UMD build, global Chart). The series come as JSON in
 * #quito-chart-data (previews/chart.py); the checkboxes [data-series] show
 * or hide each line from the keyboard. The table under the chart has the
 * same values.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("quito-chart-data").textContent);
  var lang = document.documentElement.lang || undefined;

  var datasets = data.series.map(function (series) {
    return {
      label: series.label, data: series.data, borderColor: series.color, backgroundColor: series.color,
      pointStyle: series.point, pointRadius: 5, pointHoverRadius: 7, borderWidth: 2, spanGaps: true
    };
  });

  var chart = new Chart(document.getElementById("quito-chart"), {
    type: "line",
    data: {labels: data.labels, datasets: datasets},
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: lang,
      interaction: {mode: "nearest", intersect: false},
      plugins: {
        legend: {display: datasets.length === 1, onClick: null},
        tooltip: {enabled: true}
      },
      scales: {
        x: {title: {display: Boolean(data.xTitle), text: data.xTitle}},
        y: {title: {display: Boolean(data.yTitle), text: data.yTitle}}
      }
    }
  });

  document.querySelectorAll("input[data-series]").forEach(function (box) {
    box.addEventListener("change", function () {
      chart.setDatasetVisibility(Number(box.getAttribute("data-series")), box.checked);
      chart.update();
    });
  });
})();

// Draws a cohort's outcomes from the figures the page embeds as JSON (#outcome-chart-data): the share of ventures
// answering, then each metric's total (or average, or share of yes) and median; the same numbers are in the table
// beside each chart for screen readers.
(function () {
  const data = JSON.parse(document.getElementById("outcome-chart-data").textContent);
  const rtl = document.documentElement.dir === "rtl";
  const colours = ["#20476b", "#e0a526"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  function draw(canvas, datasets, kind) {
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.months,
        datasets: datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.values,
            borderColor: colours[index % colours.length],
            backgroundColor: colours[index % colours.length],
            spanGaps: true,
          };
        }),
      },
      options: {
        maintainAspectRatio: false,
        locale: document.documentElement.lang,
        plugins: {
          legend: { display: datasets.length > 1, rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
          tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
        },
        // Right to left, the months run from the right and the value axis stands on the right. A total of revenue
        // may be a loss, so the axis starts at zero only for what cannot go below it.
        scales: {
          x: { reverse: rtl },
          y: { beginAtZero: kind !== "money", position: rtl ? "right" : "left" },
        },
      },
    });
  }

  draw(document.getElementById("outcome-chart-answering"), [{ label: data.labels.answering, values: data.answering }]);
  data.metrics.forEach(function (metric, index) {
    const lines = [{ label: metric.headline_label, values: metric.headline }];
    if (metric.kind !== "yes_no") {
      lines.push({ label: data.labels.median, values: metric.median });
    }
    draw(document.getElementById("outcome-chart-" + index), lines, metric.kind);
  });
})();

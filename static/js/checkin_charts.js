// Draws a venture's metrics over time from the figures the page embeds as JSON (#checkin-chart-data); the same
// numbers are in the table below the charts for screen readers.
(function () {
  const data = JSON.parse(document.getElementById("checkin-chart-data").textContent);
  const rtl = document.documentElement.dir === "rtl";
  const palette = ["#20476b", "#e0a526", "#3f8f6b", "#b5473a", "#7a5ea8", "#4a9fc9", "#8c8c8c"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  data.series.forEach(function (series, index) {
    new Chart(document.getElementById("checkin-chart-" + index), {
      type: "line",
      data: {
        labels: data.months,
        datasets: [{
          label: series.label,
          data: series.values,
          borderColor: palette[index % palette.length],
          backgroundColor: palette[index % palette.length],
          spanGaps: true,
        }],
      },
      options: {
        maintainAspectRatio: false,
        locale: document.documentElement.lang,
        plugins: { legend: { display: false }, tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" } },
        // Right to left, the months run from the right and the value axis stands on the right. Revenue may be a
        // loss, so the axis starts at zero only for what cannot go below it.
        scales: {
          x: { reverse: rtl },
          y: { beginAtZero: series.kind !== "money", position: rtl ? "right" : "left" },
        },
      },
    });
  });
})();

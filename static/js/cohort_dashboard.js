// Draws the cohort dashboard's charts from the figures the page embeds as JSON (#chart-data).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const rtl = document.documentElement.dir === "rtl";
  const palette = ["#20476b", "#e0a526", "#3f8f6b", "#b5473a", "#7a5ea8", "#4a9fc9", "#8c8c8c"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  function draw(id, type, chart, extra) {
    new Chart(document.getElementById(id), {
      type: type,
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map((set, index) => ({
          label: set.label,
          data: set.values,
          backgroundColor: type === "doughnut" ? palette : set.color || palette[index],
        })),
      },
      options: Object.assign({
        maintainAspectRatio: false,
        locale: document.documentElement.lang,
        plugins: {
          legend: { display: type === "doughnut" || chart.datasets.length > 1, position: "bottom", rtl: rtl },
          tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
        },
      }, extra || {}),
    });
  }

  // Right to left, the categories run from the right and the value axis stands on the right.
  const valueAxis = { beginAtZero: true, ticks: { precision: 0 }, position: rtl ? "right" : "left" };
  const integerAxis = { y: valueAxis, x: { reverse: rtl } };
  draw("chart-status", "doughnut", data.status);
  draw("chart-region", "bar", data.region, { scales: integerAxis });
  draw("chart-milestones", "bar", data.milestones, {
    scales: { x: { stacked: true, reverse: rtl }, y: Object.assign({ stacked: true }, valueAxis) },
  });
  draw("chart-initiatives", "bar", data.initiatives, { scales: integerAxis });
})();

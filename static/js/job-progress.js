// The progress bar of a background job (templates/inbox/job.html): asks the job's status every
// second until it is finished, then shows the download link or the error. No inline script
// (the Content-Security-Policy forbids it).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var bar = box.querySelector(".job-bar");
  var meter = box.querySelector("[role=progressbar]");
  var state = document.getElementById("job-state");
  var error = document.getElementById("job-error");
  var result = document.getElementById("job-result");

  function setPercent(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    meter.setAttribute("aria-valuenow", percent);
  }

  function number(n) {
    return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function show(data) {
    setPercent(data.percent);
    state.textContent = data.status_label + (data.total ? ": " + number(data.done) + "/" + number(data.total) + " dòng" : "");
    if (data.error) {
      error.textContent = data.error;
      error.classList.remove("d-none");
    }
    if (data.finished && (data.download_url || data.result_url)) {
      var link = document.createElement("a");
      link.className = "btn btn-primary";
      link.href = data.download_url || data.result_url;
      link.textContent = data.download_url ? "Tải về" : "Xem kết quả";
      result.replaceChildren(link);
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (!data.finished) window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  setPercent(parseInt(bar.dataset.percent, 10) || 0);
  if (box.dataset.finished !== "1") poll();
})();

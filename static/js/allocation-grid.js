// The allocation grid (templates/quotas/allocation_grid.html): totals per line and per unit and
// the seats left on each line follow what is typed; a cell below the seats its unit holds says
// why at once. The server checks everything again when the grid is saved.
(function () {
  "use strict";
  var form = document.getElementById("allocation-grid");
  if (!form) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll(".grid-input"));
  var numberFormat = new Intl.NumberFormat("vi-VN");

  function parse(text) {
    var clean = String(text).trim().replace(/\./g, "");
    if (clean === "") return 0;
    return /^[0-9]{1,12}$/.test(clean) ? parseInt(clean, 10) : NaN;
  }

  function cellWarning(input, value) {
    var box = input.parentNode.querySelector(".grid-warning");
    var held = parseInt(input.dataset.held, 10) || 0;
    var text = "";
    if (isNaN(value)) text = "Số chỉ tiêu phải là số nguyên không âm.";
    else if (value < held)
      text = "Không thể giảm xuống " + value + ": " + input.dataset.unitName + " đang có " + held +
        " hồ sơ giữ chỗ.";
    else if (value === 0 && (parseInt(input.dataset.initial, 10) || 0) > 0)
      text = "Thu hồi toàn bộ chỉ tiêu (sẽ hỏi xác nhận khi lưu).";
    box.textContent = text;
    input.classList.toggle("grid-bad", text !== "" && text.indexOf("Thu hồi") !== 0);
  }

  function update() {
    var lineTotals = {};
    var rowTotals = new Map();
    var grand = 0;
    inputs.forEach(function (input) {
      var value = parse(input.value);
      cellWarning(input, value);
      var line = input.dataset.line;
      var n = isNaN(value) ? 0 : value;
      lineTotals[line] = (lineTotals[line] || 0) + n;
      var row = input.closest("tr");
      rowTotals.set(row, (rowTotals.get(row) || 0) + n);
      grand += n;
    });
    form.querySelectorAll(".line-total").forEach(function (cell) {
      cell.textContent = numberFormat.format(lineTotals[cell.dataset.line] || 0);
    });
    form.querySelectorAll(".line-planned").forEach(function (cell) {
      var planned = parseInt(cell.dataset.planned, 10) || 0;
      var left = planned - (lineTotals[cell.dataset.line] || 0);
      var remaining = form.querySelector('.line-remaining[data-line="' + cell.dataset.line + '"]');
      remaining.textContent = numberFormat.format(left);
      remaining.classList.toggle("text-danger", left < 0);
    });
    rowTotals.forEach(function (total, row) {
      row.querySelector(".unit-total").textContent = numberFormat.format(total);
    });
    var grandCell = form.querySelector(".grand-total");
    if (grandCell) grandCell.textContent = numberFormat.format(grand);
  }

  // Enter moves down the column (as in a spreadsheet) instead of submitting the grid.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.classList.contains("grid-input")) return;
    event.preventDefault();
    var cell = event.target.closest("td");
    var index = Array.prototype.indexOf.call(cell.parentNode.children, cell);
    var next = cell.parentNode.nextElementSibling;
    var target = next && next.children[index] && next.children[index].querySelector("input");
    if (target) { target.focus(); target.select(); }
  });
  form.addEventListener("input", update);
  update();
  var summary = document.getElementById("grid-summary");
  if (summary) {
    var firstBad = form.querySelector(".is-invalid");
    (firstBad || summary).focus();
  }
})();

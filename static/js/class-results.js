// Results of a whole class (templates/budget/class_results.html), as in a spreadsheet: “Tất cả
// hoàn thành”, Enter moves down the column, Ctrl+D copies the cell above, a button copies the
// first row's certificate date down. The server checks everything when the class is saved.
(function () {
  "use strict";
  var form = document.getElementById("results-form");
  if (!form) return;

  function column(cell) {
    var td = cell.closest("td");
    return Array.prototype.indexOf.call(td.parentNode.children, td);
  }

  function cellAt(row, index) {
    var td = row && row.children[index];
    return td && td.querySelector(".result-cell");
  }

  function set(field, value) {
    field.value = value;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.getElementById("all-completed").addEventListener("click", function () {
    form.querySelectorAll("select.result-choice").forEach(function (select) {
      set(select, "completed");
    });
  });

  form.querySelectorAll("[data-fill]").forEach(function (button) {
    button.addEventListener("click", function () {
      var fields = form.querySelectorAll('[name^="' + button.dataset.fill + '_"]');
      if (!fields.length) return;
      var first = fields[0].value;
      fields.forEach(function (field) { set(field, first); });
    });
  });

  form.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!field.classList || !field.classList.contains("result-cell")) return;
    var row = field.closest("tr");
    var index = column(field);
    if (event.key === "Enter") {
      event.preventDefault();
      var below = cellAt(row.nextElementSibling, index);
      if (below) { below.focus(); if (below.select) below.select(); }
    } else if ((event.ctrlKey || event.metaKey) && (event.key === "d" || event.key === "D")) {
      event.preventDefault();
      var above = cellAt(row.previousElementSibling, index);
      if (above) set(field, above.value);
    }
  });

  var summary = document.getElementById("results-summary");
  if (summary) {
    var first = form.querySelector("tr.table-danger .result-cell");
    (first || summary).focus();
  }
})();

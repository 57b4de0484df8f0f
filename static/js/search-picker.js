// A choice found by typing (training_plan.widgets.SearchPicker): the text box asks the server
// for matches as the user types (diacritics not needed), the arrow keys and Enter choose, the
// chosen id goes into the hidden input. On the nomination form the quota-line choices then say
// what the chosen person's unit has left on each line (`seats` of each result).
(function () {
  "use strict";

  function setup(picker) {
    var input = picker.querySelector(".picker-input");
    var hidden = picker.querySelector(".picker-value");
    var list = picker.querySelector(".picker-results");
    var status = picker.querySelector(".picker-status");
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var chosenLabel = input.value;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) {
        item.classList.toggle("active", i === index);
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function relabelSeats(seats) {
      var form = picker.closest("form");
      var select = form && form.querySelector("select[name=target]");
      if (!select) return;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.dataset.base) option.dataset.base = option.textContent.replace(/ \([^)]*\)$/, "");
        var text = seats && seats[option.value];
        if (text) option.textContent = option.dataset.base + " (" + text + ")";
      });
    }

    function choose(index) {
      var person = results[index];
      if (!person) return;
      hidden.value = person.id;
      input.value = person.label;
      chosenLabel = person.label;
      status.textContent = "Đã chọn: " + person.label;
      relabelSeats(person.seats);
      close();
    }

    function render() {
      list.textContent = "";
      results.forEach(function (person, i) {
        var item = document.createElement("li");
        item.className = "list-group-item list-group-item-action picker-option";
        item.id = input.id + "_option_" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "fw-semibold";
        name.textContent = person.name;
        var details = document.createElement("span");
        details.className = "d-block small text-body-secondary";
        details.textContent = [person.unit, "sinh " + person.birth, person.position]
          .filter(Boolean).join(" · ");
        item.appendChild(name);
        item.appendChild(details);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    function search() {
      var query = input.value.trim();
      if (query.length < 2) {
        results = [];
        render();
        status.textContent = query ? "Gõ ít nhất 2 chữ cái." : "";
        return;
      }
      var ticket = ++asked;
      var url = picker.dataset.url + (picker.dataset.url.indexOf("?") < 0 ? "?" : "&") +
        "q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          if (ticket !== asked) return; // an older answer
          results = data.results;
          render();
          highlight(results.length ? 0 : -1);
          status.textContent = results.length
            ? results.length + (data.more ? "+" : "") + " người phù hợp; dùng phím mũi tên và Enter để chọn."
            : "Không tìm thấy cán bộ nào có tên như vậy.";
        })
        .catch(function () {
          status.textContent = "Không tìm được lúc này, vui lòng thử lại.";
        });
    }

    input.addEventListener("input", function () {
      hidden.value = ""; // typing again drops the previous choice
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && results.length) {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp" && results.length) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
      if (hidden.value && input.value !== chosenLabel) input.value = chosenLabel;
    });
  }

  document.querySelectorAll(".search-picker").forEach(setup);
})();

/* Sorting of the product listing. The list is complete without JavaScript; this only reorders. */
(function () {
  "use strict";
  var list = document.getElementById("pim-products");
  var sort = document.querySelector("[data-pim-sort]");
  if (!list || !sort) return;
  var select = sort.querySelector("select");
  var items = Array.prototype.slice.call(list.children);
  items.forEach(function (item, index) { item.dataset.order = index; }); // built newest first
  function byTitle(a, b) {
    return a.querySelector(".pim-card__title").textContent.localeCompare(
      b.querySelector(".pim-card__title").textContent);
  }
  function apply(mode) {
    var sorted = items.slice().sort(function (a, b) {
      if (mode === "title") return byTitle(a, b);
      var order = a.dataset.order - b.dataset.order;
      return mode === "date-asc" ? -order : order;
    });
    sorted.forEach(function (item) { list.appendChild(item); });
  }
  sort.hidden = false;
  select.addEventListener("change", function () { apply(select.value); });
})();

/* Filters the organigram as the citizen types: a dependency stays visible when
   it, or one of its descendants, matches; matching branches open. */
(function () {
  "use strict";
  var input = document.getElementById("quito-organigram-q");
  if (!input) { return; }
  var none = document.querySelector(".quito-organigram-none");
  var fold = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
  var nodes = Array.prototype.slice.call(document.querySelectorAll(".quito-node"));
  function filter() {
    var q = fold(input.value.trim());
    var shown = 0;
    nodes.slice().reverse().forEach(function (li) {
      var own = !q || fold(li.getAttribute("data-search")).indexOf(q) !== -1;
      var child = li.querySelector(":scope > details > ul > .quito-node:not([hidden])");
      var visible = own || !!child;
      li.hidden = !visible;
      var details = li.querySelector(":scope > details");
      if (details && q && child) { details.open = true; }
      if (visible) { shown += 1; }
    });
    if (none) { none.hidden = shown > 0; }
  }
  input.addEventListener("input", filter);
})();

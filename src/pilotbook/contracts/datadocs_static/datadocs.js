/* pilotbook: what Great Expectations' Data Docs need for a keyboard, a screen reader and a phone
 * (issue 14).  src/pilotbook/contracts/datadocs.py adds this file to every page.
 *
 * bootstrap-table builds its filter fields in the browser, without labels: each gets the name of its
 * column.  A table or list box that scrolls becomes a keyboard stop (so arrow keys scroll it), and
 * stops being one when it fits again.
 */
(function () {
  "use strict";

  function columnName(control) {
    var th = control.closest("th");
    var inner = th && th.querySelector(".th-inner");
    var text = inner ? inner.textContent.replace(/\s+/g, " ").trim() : "";
    return text || (th && th.getAttribute("data-field")) || "this column";
  }

  function labelFilters() {
    document.querySelectorAll(".filter-control input, .filter-control select").forEach(function (control) {
      if (!control.hasAttribute("aria-label")) control.setAttribute("aria-label", "Filter by " + columnName(control));
    });
  }

  function tabStops() {
    document.querySelectorAll(".fixed-table-body, .table-responsive, .show-scrollbars, .ge-navigation-sidebar-container")
      .forEach(function (box) {
        var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
        var focusable = box.querySelector("a[href], button, input, select, textarea, [tabindex]");
        if (scrolls && !focusable) box.setAttribute("tabindex", "0");
        else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
      });
  }

  var pending = false;
  function update() {
    if (pending) return;
    pending = true;
    Promise.resolve().then(function () {
      pending = false;
      labelFilters();
      tabStops();
    });
  }

  new MutationObserver(update).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", update);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
})();

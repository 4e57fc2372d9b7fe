/* Wide tables scroll sideways on a narrow screen: show it (issue 14).
 *
 * The box that scrolls a table (the nearest ancestor inside the article whose overflow-x is auto or
 * scroll) is put in a frame.  While the box can scroll, the frame shades the edge that has more to
 * see (a shadow that stays put while the table moves under it), a line above says so, and the box
 * is a keyboard stop (so arrow keys scroll it).  Nothing changes for a table that fits.
 */
(function () {
  "use strict";

  function scrollBoxOf(table, article) {
    for (var el = table.parentElement; el && el !== article; el = el.parentElement) {
      var overflow = getComputedStyle(el).overflowX;
      if (overflow === "auto" || overflow === "scroll") return el;
    }
    return null;
  }

  function update(box) {
    var frame = box.parentElement;
    var room = box.scrollWidth - box.clientWidth;
    var scrolls = room > 1;
    frame.classList.toggle("pb-scrolls", scrolls);
    frame.classList.toggle("pb-more-left", scrolls && box.scrollLeft > 1);
    frame.classList.toggle("pb-more-right", scrolls && box.scrollLeft < room - 1);
    if (scrolls) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  }

  function frame(box) {
    var wrapper = document.createElement("div");
    wrapper.className = "pb-scroll-frame";
    var hint = document.createElement("p");
    hint.className = "pb-scroll-hint";
    hint.setAttribute("aria-hidden", "true");
    hint.textContent = "Wide table: scroll sideways to see every column";
    box.parentElement.insertBefore(hint, box);
    box.parentElement.insertBefore(wrapper, box);
    wrapper.appendChild(box);
    box.classList.add("pb-scroll-box");
    box.addEventListener("scroll", function () { update(box); }, { passive: true });
    return box;
  }

  function init() {
    var article = document.querySelector(".bd-article") || document.body;
    var boxes = [];
    article.querySelectorAll("table").forEach(function (table) {
      var box = scrollBoxOf(table, article);
      if (box && boxes.indexOf(box) < 0 && !box.classList.contains("pb-scroll-box")) boxes.push(frame(box));
    });
    boxes.forEach(update);
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { update(entry.target); });
      });
      boxes.forEach(function (box) { observer.observe(box); });
    } else {
      window.addEventListener("resize", function () { boxes.forEach(update); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

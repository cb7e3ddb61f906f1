/* digest: the key-facts table's scroll box is reachable with the keyboard (Tab, then the arrow
   keys scroll the outlets) and named for screen readers; the "scroll sideways" hint above it
   shows only while the outlets do not all fit; a link into a fold opens it. Material wraps tables in a scroll box
   from its own script, so this runs after it, on every page load (and, with instant navigation,
   on every page Material swaps in). */
(function () {
  function label() {
    document.querySelectorAll("table").forEach(function (table) {
      if (!table.querySelector(".dg-facts")) return;
      var box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
      if (!box) return;
      var before = box.previousElementSibling;
      var hint = before && before.querySelector(".dg-scroll-hint");
      if (hint) {
        var measure = function () { hint.classList.toggle("dg-overflows", box.scrollWidth > box.clientWidth + 1); };
        measure();
        if (!hint.dataset.dgWatched) { hint.dataset.dgWatched = "1"; window.addEventListener("resize", measure); }
      }
      if (box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Key facts, a column per outlet (scrolls sideways)");
    });
    // The theme's search overlay is a dialog without a name (axe: aria-dialog-name).
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (d) {
      d.setAttribute("aria-label", "Search");
    });
  }
  // A link to something folded away (an entity listed under "N more mentioned") opens the fold.
  function unfold() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) el.open = true;
    }
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", unfold);
  if (location.hash) setTimeout(unfold, 0);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setTimeout(label, 0); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { setTimeout(label, 0); });
  else setTimeout(label, 0);
})();

// What the crawl records of one loaded page (tests/browser/conftest.py evaluates this in the page).
// One pass over the elements; axe-core last (it is injected into every page by an init script).
async ({ width, axe, wide }) => {
  const started = performance.now();
  const html = document.documentElement;
  const body = document.body || html;
  const viewportHeight = window.innerHeight;
  const out = {
    title: document.title.trim(),
    lang: html.getAttribute("lang") || "",
    viewportMeta: !!document.querySelector('meta[name="viewport"][content*="width=device-width"]'),
    scrollWidth: Math.max(html.scrollWidth, body.scrollWidth),
    wide: [], clipped: [], fixed: [], scrollers: [], images: [], duplicateScripts: [],
  };

  const shown = (el, style) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const s = style || getComputedStyle(el);
    return s.visibility !== "hidden" && s.display !== "none" && parseFloat(s.opacity) > 0;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    else if (el.classList.length) s += "." + [...el.classList].slice(0, 3).join(".");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    return text ? `${s} "${text}"` : s;
  };
  const clippedByAncestor = (el) => {  // inside a box that clips or scrolls it within the screen
    for (let a = el.parentElement; a && a !== body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible" && a.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const range = document.createRange();
  const cutText = (el, r) => {
    // a text node under el, partly shown: it starts inside el's box and ends past its right edge
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.textContent.trim()) continue;
      range.selectNodeContents(node);
      for (const tr of range.getClientRects()) {
        if (tr.width > 0 && tr.right > r.right + 1 && tr.left < r.right - 1 && tr.bottom > r.top && tr.top < r.bottom) {
          return node.textContent.trim().replace(/\s+/g, " ").slice(0, 50);
        }
      }
    }
    return null;
  };

  for (const el of body.querySelectorAll("*")) {
    const s = getComputedStyle(el);
    if (s.display === "none") continue;
    const clips = s.overflowX === "hidden" || s.overflowX === "clip" || s.textOverflow === "ellipsis";
    if (clips && el.scrollWidth > el.clientWidth + 1 && shown(el, s)) {
      const r = el.getBoundingClientRect();
      if (r.right > 0 && r.left < width) {
        const cut = cutText(el, r);
        if (cut !== null) out.clipped.push(`${describe(el)} cuts "${cut}"`);
      }
    }
    if (s.position === "fixed" && shown(el, s)) {
      const r = el.getBoundingClientRect();
      const w = Math.max(0, Math.min(r.right, width) - Math.max(r.left, 0));
      const h = Math.max(0, Math.min(r.bottom, viewportHeight) - Math.max(r.top, 0));
      if (w * h > 0.05 * width * viewportHeight || (w > width / 2 && h > 0)) {
        out.fixed.push(`${describe(el).slice(0, 80)} (${Math.round(r.width)}x${Math.round(r.height)} at y=${Math.round(r.top)})`);
      }
    }
    if ((s.overflowX === "auto" || s.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1
        && el.querySelector("table") && el.closest(".bd-article") && shown(el, s)) {
      const frame = el.parentElement;
      const after = getComputedStyle(frame, "::after");
      out.scrollers.push({
        box: describe(el).slice(0, 80),
        framed: frame.classList.contains("pb-scroll-frame"),
        rightShade: after.content !== "none" && after.backgroundImage.includes("gradient") && parseFloat(after.opacity) > 0.5,
        focusable: el.tabIndex >= 0,
        hint: !!(frame.previousElementSibling && frame.previousElementSibling.classList.contains("pb-scroll-hint")
                 && shown(frame.previousElementSibling)),
      });
    }
  }
  if (out.scrollWidth > width) {  // the elements that reach furthest past the right edge, widest first
    const wide = [];
    const reach = (el) => {  // an element's box, or the content that spills out of it (a line that cannot wrap)
      const r = el.getBoundingClientRect();
      return Math.max(r.right, r.left + el.scrollWidth);
    };
    for (const el of body.querySelectorAll("*")) {
      const right = reach(el);
      if (right > width + 1 && el.getBoundingClientRect().width > 0 && shown(el) && !clippedByAncestor(el)
          && !el.closest("dialog") && ![...el.children].some((c) => reach(c) > width + 1)) {
        wide.push([right, `${describe(el).slice(0, 100)} (reaches ${Math.round(right)} px)`]);
      }
    }
    out.wide = wide.sort((a, b) => b[0] - a[0]).slice(0, 6).map((w) => w[1]);
  }
  // Charts are SVG images (a file, or inlined as a data: URI): their text sizes in viewBox units
  const svgText = (source) => {
    const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
    const box = (svg.getAttribute("viewBox") || "").trim().split(/[\s,]+/).map(Number);
    const sizes = [];
    for (const t of svg.querySelectorAll("text, tspan")) {
      const style = t.getAttribute("style") || "";
      const m = style.match(/font-size:\s*([0-9.]+)/) || style.match(/\bfont:[^;]*?([0-9.]+)px/)
        || [null, t.getAttribute("font-size")];
      if (m[1]) sizes.push(parseFloat(m[1]));
    }
    return { viewBoxWidth: box.length === 4 ? box[2] : null, sizes: sizes.length, minSize: sizes.length ? Math.min(...sizes) : null };
  };
  for (const img of document.images) {
    const r = img.getBoundingClientRect();
    const src = img.currentSrc || img.src;
    const entry = { src: src.startsWith("data:") ? src.slice(0, 30) + "..." : src, alt: img.getAttribute("alt"),
                    width: r.width, loaded: img.complete && img.naturalWidth > 0,
                    figure: (img.closest("figure[id]") || { id: "" }).id };
    if (src.startsWith("data:image/svg+xml")) {
      const [head, data] = src.split(",", 2);
      entry.svg = svgText(head.endsWith(";base64") ? new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)))
                                                   : decodeURIComponent(data));
    } else if (/\.svg([?#]|$)/.test(src)) {
      entry.svgFile = true;
    }
    out.images.push(entry);
  }
  const bodies = [...document.querySelectorAll("script:not([src])")].map((x) => x.textContent.trim()).filter(Boolean);
  out.duplicateScripts = [...new Set(bodies.filter((b, i) => bodies.indexOf(b) !== i))].map((b) => b.slice(0, 100));
  if (!wide) {
    out.links = [...document.querySelectorAll("a[href], link[href]")].map((a) => a.href);
    out.ids = [...document.querySelectorAll("[id]")].map((e) => e.id)
      .concat([...document.querySelectorAll("a[name]")].map((a) => a.name));
  }
  out.ms = { dom: Math.round(performance.now() - started) };
  if (axe) {
    // preload: false: axe would fetch every stylesheet again to build a CSSOM, for its one rule that reads
    // CSS text (css-orientation-lock); test_no_stylesheet_locks_the_orientation covers that rule instead
    const results = await window.axe.run(document, { resultTypes: ["violations"], preload: false });
    out.axe = results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: (n.failureSummary || "").slice(0, 300) })),
    }));
  }
  out.ms.axe = Math.round(performance.now() - started) - out.ms.dom;
  return out;
}

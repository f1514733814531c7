"""What the layout browser tests measure in the page itself (getComputedStyle and boxes).

axe-core checks none of this: the size of the text people read, the size of what they
tap, and how far down a phone screen things start.
"""

from __future__ import annotations

# Every visible text on the page, reported as the element holding it and its font size.
# Closed <details> are opened first: what is behind them must be as large as the rest.
SMALL_TEXT_JS = """
(minimum) => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = [];
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (el.closest("script, style, svg, [aria-hidden=true], .visually-hidden")) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || !el.checkVisibility()) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size >= minimum) continue;
    // One line per kind of element and size, with the first text of that kind.
    const parent = el.parentElement;
    const kind = (parent ? parent.tagName.toLowerCase() + (parent.className ?
      "." + String(parent.className).trim().split(/\\s+/).join(".") : "") + " > " : "") +
      el.tagName.toLowerCase() + (el.className ? "." +
      String(el.className).trim().split(/\\s+/).join(".") : "");
    const key = kind + " " + size;
    if (!small.some(s => s[0] === key)) small.push([key, node.textContent.trim().slice(0, 16)]);
  }
  return small;
}
"""

# What a finger taps: links, buttons, fields, summaries and the labels of choices. A link
# inside a sentence (WCAG 2.5.8's inline exception) is left out: an inline link whose
# parent holds words or digits of its own (text directly in it, not in other elements).
SMALL_TARGETS_JS = """
(minimum) => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const small = [];
  const controls = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), " +
    "select, textarea, summary, label:has(> input[type=radio]), label:has(> input[type=checkbox])");
  for (const el of controls) {
    if (el.closest(".skip-link")) continue;  // off screen until focused
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || !el.checkVisibility()) continue;
    if (getComputedStyle(el).display === "inline" && el.parentElement) {
      const own = [...el.parentElement.childNodes].filter(n => n.nodeType === Node.TEXT_NODE);
      if (own.some(n => /[\\p{L}\\p{N}]/u.test(n.textContent))) continue;
    }
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5)
      small.push([el.tagName.toLowerCase() + (el.className ? "." + el.className : ""),
                  (el.textContent || el.name || "").trim().slice(0, 16),
                  Math.round(box.width) + "x" + Math.round(box.height)]);
  }
  return small;
}
"""

# Font sizes of what the issue named, for the report: selector -> px (the first match).
SIZES_JS = """
(selectors) => Object.fromEntries(selectors.map(s => {
  const el = document.querySelector(s);
  return [s, el ? parseFloat(getComputedStyle(el).fontSize) : null];
}))
"""

NAMED = [
    ".notice-body p", ".notice-list li > a", ".notice-list .meta time", ".meta-table td",
    ".meta-table th", "input:not([type=hidden])", "select", ".help", ".hint",
    ".breadcrumbs", ".site-footer p",
]  # fmt: skip

# The header's height and where the page's title starts (from the top of the page).
LAYOUT_JS = """
() => {
  const header = document.querySelector(".site-header").getBoundingClientRect();
  const h1 = document.querySelector("main h1").getBoundingClientRect();
  const searches = [...document.querySelectorAll("input[type=search]")]
    .filter(el => el.checkVisibility());
  return {header: Math.round(header.height), title_y: Math.round(h1.top + window.scrollY),
          search_boxes: searches.length};
}
"""

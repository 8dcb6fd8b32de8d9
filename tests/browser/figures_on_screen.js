(width) => {
  const problems = [];
  const amount = /(€\s?[-−]?\d|\d[\d\s.,\u202f\u00a0]*\s?€)/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let seen = 0;
  const clipping = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!amount.test(text)) continue;
    const element = node.parentElement;
    if (element.closest("title, option, script, .visually-hidden, details:not([open]) > :not(summary)")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered
    seen += 1;
    const where = `"${text.slice(0, 60)}" (${element.tagName.toLowerCase()}${element.className ? "." + element.className : ""})`;
    if (box.left < -0.5 || box.right > width + 0.5) problems.push(`${where} at ${Math.round(box.left)}–${Math.round(box.right)} px`);
    const match = text.match(amount);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (element.closest("svg") === null && text.length < 24 && lines.size > 1) problems.push(`${where} breaks over ${lines.size} lines`);
    for (let up = element; up && up !== document.documentElement; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX !== "visible" && up.scrollWidth > up.clientWidth + 1) clipping.add(up);
      if (style.overflowX !== "visible") {
        const outer = up.getBoundingClientRect();
        if (box.left < outer.left - 0.5 || box.right > outer.right + 0.5) problems.push(`${where} clipped by ${up.tagName.toLowerCase()}.${up.className}`);
      }
    }
  }
  for (const up of clipping) {
    if (up.closest(".sidebar")) continue;
    problems.push(`${up.tagName.toLowerCase()}.${up.className} scrolls sideways (${up.scrollWidth} > ${up.clientWidth} px)`);
  }
  for (const wrap of document.querySelectorAll(".table-wrap")) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) problems.push(`table-wrap of table.${wrap.querySelector("table")?.className} scrolls sideways (${wrap.scrollWidth} > ${wrap.clientWidth} px)`);
  }
  if (document.documentElement.scrollWidth > width) problems.push(`page is ${document.documentElement.scrollWidth} px wide`);
  return {seen, problems};
}

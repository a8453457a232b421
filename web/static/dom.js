// Small DOM helpers of the web map: element by id, element and SVG element builders.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/**
 * An element with attributes (`class`, `text`, `on<event>` handlers, others as attributes;
 * null, undefined and false are left out) and children (null, undefined and false skipped).
 */
export const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
};

/** "1 border", "2 borders". */
export const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** An SVG element with attributes. */
export const svgEl = (tag, attrs = {}) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

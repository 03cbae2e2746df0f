// Small DOM helpers: elements built from text (never from HTML strings) and durations.

// h('button', { type: 'button', onclick }, 'Park') — attributes, event handlers, children.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'className') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// 65_000 → "1:05", 3_725_000 → "1:02:05".
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = String(total % 60).padStart(2, '0');
  const m = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// A party as people read it: "Alice Martin (101)", or the number alone.
export function party(p) {
  if (!p) return '';
  return p.display_name ? `${p.display_name} (${p.number})` : p.number;
}

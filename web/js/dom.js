// Small DOM helpers: build elements without innerHTML (no injection from
// meeting titles or room names) and show transient messages.

/** h('button', {class: 'x', onclick: fn}, 'text', child) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A <select> with options [{value, label}] and a selected value. */
export function select(attrs, options, selected) {
  const el = h('select', attrs,
    options.map((o) => h('option', { value: o.value }, o.label)));
  if (selected !== undefined && selected !== null) el.value = String(selected);
  return el;
}

/** A labelled form field: returns the wrapper; the control gets the id. */
export function field(label, control, hint) {
  if (!control.id) control.id = uniqueId('f');
  const hintEl = hint ? h('small', { class: 'hint', id: control.id + '-hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

let counter = 0;
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Replace the contents of a status region (role=status / alert). */
export function say(region, text, kind = 'info') {
  region.replaceChildren();
  if (!text) return;
  region.append(h('p', { class: `msg msg-${kind}` }, text));
}

export async function copyText(text, fallbackEl) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallbackEl && fallbackEl.select) {
      fallbackEl.select();
      return document.execCommand('copy');
    }
    return false;
  }
}

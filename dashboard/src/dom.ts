/**
 * A tiny element builder. Text always goes in through text nodes, never innerHTML: labels and
 * annotations come from configuration and alert rules and must not be able to inject markup.
 */

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** An error or notice line inside the page; role=alert only for errors, so notices stay quiet. */
export function banner(kind: 'error' | 'notice', text: string): HTMLElement {
  return h('p', { class: `banner banner-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/**
 * A table that scrolls sideways on a phone (its first column stays, see style.css), in a region
 * the keyboard can reach: axe-core flags a scrollable region that cannot take focus.
 */
export function scrollTable(
  label: string,
  columns: readonly string[],
  rows: readonly HTMLElement[],
  caption = label,
): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': `${label} (scrolls sideways)` },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...columns.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows),
    ),
  );
}

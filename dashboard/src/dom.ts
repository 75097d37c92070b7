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

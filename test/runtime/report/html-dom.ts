/**
 * A small HTML parser for the report tests: elements, attributes and text, with the entities the
 * report uses decoded. It reads both report.html itself and the DOM that headless Chromium dumps,
 * so the same DOM facts can be checked with or without a browser.
 */

export interface DomElement {
  tag: string;
  attrs: Record<string, string>;
  children: DomNode[];
}

export type DomNode = DomElement | { text: string };

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style']);

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
    return named[name.toLowerCase()] ?? whole;
  });
}

function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attrs[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

export function parseHtml(html: string): DomElement {
  const root: DomElement = { tag: '#document', attrs: {}, children: [] };
  const stack: DomElement[] = [root];
  const token = /<!--[\s\S]*?-->|<![^>]*>|<\/([a-zA-Z][\w:-]*)\s*>|<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>|[^<]+|</g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(html)) !== null) {
    const top = stack[stack.length - 1]!;
    const [whole, closeTag, openTag, attrText, selfClose] = m;
    if (whole.startsWith('<!')) continue;
    if (closeTag !== undefined) {
      const tag = closeTag.toLowerCase();
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    if (openTag !== undefined) {
      const element: DomElement = { tag: openTag.toLowerCase(), attrs: parseAttributes(attrText ?? ''), children: [] };
      top.children.push(element);
      if (RAW_TEXT.has(element.tag)) {
        const end = html.toLowerCase().indexOf(`</${element.tag}`, token.lastIndex);
        const stop = end < 0 ? html.length : end;
        element.children.push({ text: html.slice(token.lastIndex, stop) });
        token.lastIndex = stop;
        stack.push(element);
      } else if (!VOID.has(element.tag) && selfClose !== '/') {
        stack.push(element);
      }
      continue;
    }
    top.children.push({ text: decodeEntities(whole) });
  }
  return root;
}

export function isElement(node: DomNode): node is DomElement {
  return 'tag' in node;
}

/** Every element below `root`, in document order. */
export function elements(root: DomElement): DomElement[] {
  const out: DomElement[] = [];
  const visit = (element: DomElement) => {
    for (const child of element.children) {
      if (!isElement(child)) continue;
      out.push(child);
      visit(child);
    }
  };
  visit(root);
  return out;
}

export function byTag(root: DomElement, tag: string): DomElement[] {
  return elements(root).filter((e) => e.tag === tag);
}

export function byClass(root: DomElement, name: string): DomElement[] {
  return elements(root).filter((e) => (e.attrs.class ?? '').split(/\s+/).includes(name));
}

export function byId(root: DomElement, id: string): DomElement | undefined {
  return elements(root).find((e) => e.attrs.id === id);
}

export function textOf(node: DomNode): string {
  return isElement(node) ? node.children.map(textOf).join('') : node.text;
}

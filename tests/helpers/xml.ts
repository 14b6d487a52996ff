/** A strict little XML parser for what a sitemap uses (unit and API tests of src/lib/sitemap.ts). */

export interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (raw: string, where: string) => {
  if (/[<]/.test(raw)) throw new Error(`raw < in ${where}: ${raw}`);
  return raw.replace(/&([^;]*);|&/g, (entity, name: string | undefined) => {
    if (name === undefined || !(name in ENTITIES)) throw new Error(`bad entity ${entity} in ${where}: ${raw}`);
    return ENTITIES[name];
  });
};

/** A strict little XML parser for what a sitemap uses: one declaration, elements, attributes, text. */
export const parseXml = (xml: string): Element => {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!declaration.test(xml)) throw new Error('missing XML declaration');
  const body = xml.replace(declaration, '');
  const root: Element = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*="[^"]*")*)\s*(\/?)>|([^<]+)/y;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    const match = token.exec(body);
    if (!match) throw new Error(`not well-formed at ${at}: ${body.slice(at, at + 40)}`);
    at = token.lastIndex;
    const [, closing, name, rawAttributes, selfClosing, rawText] = match;
    const current = stack[stack.length - 1];
    if (rawText !== undefined) {
      if (stack.length === 1 && rawText.trim()) throw new Error('text outside the root element');
      if (rawText.includes('>')) throw new Error(`raw > in text: ${rawText}`);
      current.text += unescape(rawText, current.name);
    } else if (closing) {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const [, attribute, value] of rawAttributes.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
        if (attribute in attributes) throw new Error(`duplicate attribute ${attribute}`);
        attributes[attribute] = unescape(value, `${name}@${attribute}`);
      }
      const element: Element = { name, attributes, children: [], text: '' };
      if (stack.length === 1 && root.children.length) throw new Error('more than one root element');
      current.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0];
};

export const child = (element: Element, name: string) => element.children.filter((c) => c.name === name);

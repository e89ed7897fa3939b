import { HTMLElement, Node, NodeType, TextNode, parse } from 'node-html-parser';

export interface HtmlConversion {
  markdown: string;
  /** The <title> element's text, when the page has one. */
  title?: string;
}

// Not content: code, styling, site chrome, embedded objects and form controls. Their text would
// otherwise end up in chunks and be quoted to customers ("Home | Products | Contact").
const DROPPED = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'footer',
  'svg',
  'iframe',
  'object',
  'embed',
  'canvas',
  'button',
  'select',
  'textarea',
  'input',
  'img',
  'picture',
  'video',
  'audio',
]);
const HEADING = /^h([1-6])$/;
// Elements that start a new block. Anything else (span, a, strong, code, unknown tags) is inline.
const BLOCKS = new Set([
  'html',
  'body',
  'main',
  'article',
  'section',
  'header',
  'aside',
  'div',
  'p',
  'blockquote',
  'figure',
  'figcaption',
  'address',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
  'center',
  'form',
  'fieldset',
  'legend',
  'hr',
  'li',
  'caption',
]);

/**
 * Converts HTML to the Markdown subset `chunkMarkdown` understands: ATX headings, paragraphs,
 * "- " / "1. " list items and fenced code. Tables become one "cell | cell" line per row so a row
 * stays together in one chunk. Links keep their text only: a URL is not an answer.
 */
export function htmlToMarkdown(html: string): HtmlConversion {
  // script/style/noscript are parsed as raw text (so a "<" inside them cannot open tags) and their
  // content discarded; <pre> is deliberately absent so code inside it is still parsed as markup.
  // node-html-parser keeps a doctype or XML declaration as a text node; neither is content.
  const source = html.replace(/^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype[^>]*>)?/i, '');
  const root = parse(source, { blockTextElements: { script: false, style: false, noscript: false } });
  const titleText = root.querySelector('title')?.text;
  const title = titleText === undefined ? undefined : collapse(titleText);
  const writer = new BlockWriter();
  writer.children(root);
  return { markdown: writer.finish(), title: title === '' ? undefined : title };
}

class BlockWriter {
  private readonly blocks: string[] = [];
  /** Inline text of the paragraph being built; "\n" marks a <br>. */
  private inline = '';

  children(node: Node): void {
    for (const child of node.childNodes) this.node(child);
  }

  finish(): string {
    this.flush();
    return this.blocks.join('\n\n');
  }

  private node(node: Node): void {
    if (node.nodeType === NodeType.TEXT_NODE) {
      this.inline += collapseSpaces((node as TextNode).text);
      return;
    }
    if (!(node instanceof HTMLElement)) return; // comments
    const tag = node.tagName?.toLowerCase() ?? '';
    if (DROPPED.has(tag)) return;
    const heading = HEADING.exec(tag);
    if (heading !== null) {
      this.flush();
      const text = inlineText(node);
      if (text.length > 0) this.blocks.push(`${'#'.repeat(Number(heading[1]))} ${text}`);
    } else if (tag === 'br') {
      this.inline += '\n';
    } else if (tag === 'ul' || tag === 'ol') {
      this.flush();
      const lines = listLines(node, 0);
      if (lines.length > 0) this.blocks.push(lines.join('\n'));
    } else if (tag === 'table') {
      this.flush();
      this.table(node);
    } else if (tag === 'pre') {
      this.flush();
      this.blocks.push(fence(node.text));
    } else if (BLOCKS.has(tag)) {
      this.flush();
      this.children(node);
      this.flush();
    } else {
      this.children(node);
    }
  }

  private table(table: HTMLElement): void {
    const caption = table.querySelector('caption');
    if (caption !== null) {
      const text = inlineText(caption);
      if (text.length > 0) this.blocks.push(text);
    }
    const rows: string[] = [];
    for (const row of table.querySelectorAll('tr')) {
      // Only this row's own cells: a table nested in a cell is flattened into that cell's text.
      if (row.closest('table') !== table) continue;
      const cells = row.childNodes
        .filter((c): c is HTMLElement => c instanceof HTMLElement && /^t[dh]$/i.test(c.tagName))
        .map((c) => inlineText(c));
      if (cells.some((c) => c.length > 0)) rows.push(cells.join(' | '));
    }
    if (rows.length > 0) this.blocks.push(rows.join('\n'));
  }

  private flush(): void {
    const text = this.inline
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .join('\n');
    if (text.length > 0) this.blocks.push(text);
    this.inline = '';
  }
}

/** All text inside an element on one line, with dropped elements left out. */
function inlineText(element: HTMLElement): string {
  let text = '';
  const walk = (node: Node): void => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      text += (node as TextNode).text;
    } else if (node instanceof HTMLElement && !DROPPED.has(node.tagName?.toLowerCase() ?? '')) {
      // Block boundaries and <br> inside a heading or cell still separate words; inline elements
      // must not, or "<a>orders</a>." would become "orders .".
      const separate = isBlockLevel(node.tagName?.toLowerCase() ?? '');
      if (separate) text += ' ';
      node.childNodes.forEach(walk);
      if (separate) text += ' ';
    }
  };
  element.childNodes.forEach(walk);
  return collapse(text);
}

function isBlockLevel(tag: string): boolean {
  return BLOCKS.has(tag) || HEADING.test(tag) || ['br', 'ul', 'ol', 'table', 'tr', 'td', 'th', 'pre'].includes(tag);
}

/** One line per item, nested lists indented under their item. */
function listLines(list: HTMLElement, depth: number): string[] {
  const ordered = list.tagName.toLowerCase() === 'ol';
  const start = Number(list.getAttribute('start') ?? '1');
  let n = Number.isInteger(start) ? start : 1;
  const lines: string[] = [];
  const indent = '  '.repeat(depth);
  for (const item of list.childNodes) {
    if (!(item instanceof HTMLElement) || item.tagName.toLowerCase() !== 'li') continue;
    // The item's own text excludes nested lists, which follow as their own, indented lines.
    const own = item.clone() as HTMLElement;
    for (const nested of own.querySelectorAll('ul, ol')) nested.remove();
    const marker = ordered ? `${n}.` : '-';
    n += 1;
    const text = inlineText(own);
    if (text.length > 0) lines.push(`${indent}${marker} ${text}`);
    for (const nested of item.querySelectorAll('ul, ol')) {
      if (nested.parentNode.closest('ul, ol') === list) lines.push(...listLines(nested, depth + 1));
    }
  }
  return lines;
}

function fence(code: string): string {
  // trimEnd, not /\s+$/: that pattern rescans a long blank run from each of its characters.
  const body = code.replace(/^\n+/, '').trimEnd();
  // The fence must be longer than any backtick run in the code, or the code would close it.
  const longestRun = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const marker = '`'.repeat(longestRun + 1);
  return `${marker}\n${body}\n${marker}`;
}

/**
 * HTML whitespace rules: any run of spaces, tabs and newlines renders as one space. &nbsp; is
 * folded in too: its only job was layout, and downstream text handling expects plain spaces.
 */
function collapseSpaces(text: string): string {
  return text.replace(/[ \t\n\r\f\u00a0]+/g, ' ');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

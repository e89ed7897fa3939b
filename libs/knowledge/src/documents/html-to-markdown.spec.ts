import { chunkMarkdown } from '../markdown-chunker';
import { htmlToMarkdown } from './html-to-markdown';

const PAGE = `<!DOCTYPE html>
<html>
<head>
  <title>Returns &amp; Refunds – ACME Help</title>
  <style>h1 { color: red; } p > a { content: "<b>not text</b>"; }</style>
  <script>var html = "<h1>Injected</h1>"; if (a < b && c > d) { track(); }</script>
</head>
<body>
  <nav><a href="/">Home</a> | <a href="/help">Help</a></nav>
  <header><h1>Returns &amp; <em>Refunds</em></h1></header>
  <main>
    <p>You can return an item within <strong>30&nbsp;days</strong>.
       See <a href="https://example.com/policy">our full   policy</a> for details.</p>
    <div><div><p>Nested <span>deeply <b>inside</b></span> divs.</p></div></div>
    <h2>How to return</h2>
    <ol>
      <li>Open <a href="/orders">your orders</a>.</li>
      <li><p>Choose the item.</p>
        <ul><li>Pick a reason.</li><li>Add a photo if it is damaged.</li></ul>
      </li>
    </ol>
    <h3>Refund times</h3>
    <table>
      <thead><tr><th>Method</th><th>Time</th></tr></thead>
      <tbody>
        <tr><td>Card</td><td>5&ndash;10 business days</td></tr>
        <tr><td>Store credit</td><td>Instant</td></tr>
      </tbody>
    </table>
    <p>Line one<br>line two &lt;kept&gt; &quot;quoted&quot; caf&eacute; &#20013;&#25991;</p>
    <pre><code>curl -X POST /returns
  --data "id=1"</code></pre>
    <noscript>Enable JavaScript</noscript>
  </main>
  <footer>© 2024 ACME · <a href="/privacy">Privacy</a></footer>
</body>
</html>`;

describe('htmlToMarkdown', () => {
  const { markdown, title } = htmlToMarkdown(PAGE);

  it('converts a realistic help-centre page', () => {
    expect(markdown).toBe(
      [
        '# Returns & Refunds',
        'You can return an item within 30 days. See our full policy for details.',
        'Nested deeply inside divs.',
        '## How to return',
        '1. Open your orders.\n2. Choose the item.\n  - Pick a reason.\n  - Add a photo if it is damaged.',
        '### Refund times',
        'Method | Time\nCard | 5–10 business days\nStore credit | Instant',
        'Line one\nline two <kept> "quoted" café 中文',
        '```\ncurl -X POST /returns\n  --data "id=1"\n```',
      ].join('\n\n'),
    );
  });

  it('reads the <title>, decoding entities', () => {
    expect(title).toBe('Returns & Refunds – ACME Help');
  });

  it('drops scripts, styles, navigation and footers entirely', () => {
    for (const dropped of ['Injected', 'track', 'color', 'Home', 'Privacy', '2024', 'Enable JavaScript', 'not text']) {
      expect(markdown).not.toContain(dropped);
    }
  });

  it('produces Markdown the chunker scopes by heading', () => {
    const chunks = chunkMarkdown('page', markdown);
    expect(chunks.map((c) => c.sectionPath)).toEqual([
      ['Returns & Refunds'],
      ['Returns & Refunds', 'How to return'],
      ['Returns & Refunds', 'How to return', 'Refund times'],
    ]);
    expect(chunks[2]?.text).toContain('Card | 5–10 business days\nStore credit | Instant');
  });

  it('keeps the numbering of ordered lists that start elsewhere', () => {
    expect(htmlToMarkdown('<ol start="3"><li>Three</li><li>Four</li></ol>').markdown).toBe('3. Three\n4. Four');
  });

  it('handles fragments, unclosed tags and pages without a title', () => {
    const result = htmlToMarkdown('<p>First paragraph<p>Second <b>bold');
    expect(result).toEqual({ markdown: 'First paragraph\n\nSecond bold', title: undefined });
  });

  it('fences code containing backticks with a longer fence', () => {
    expect(htmlToMarkdown('<pre>use ``` here</pre>').markdown).toBe('````\nuse ``` here\n````');
  });
});

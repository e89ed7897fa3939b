import { DocumentError } from './parsed-document';
import { decodeText } from './text-decoding';

describe('decodeText', () => {
  it('decodes UTF-8, strips a BOM and normalises line endings', () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('faq_id,问题\r\nA,b\r', 'utf8')]);
    expect(decodeText('faq.csv', data)).toBe('faq_id,问题\nA,b\n');
  });

  it('decodes UTF-16 with a byte-order mark (Excel "Unicode Text")', () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('退货 policy', 'utf16le')]);
    expect(decodeText('faq.txt', data)).toBe('退货 policy');
  });

  it('refuses text that is not UTF-8 (here: GBK) instead of producing mojibake', () => {
    const gbk = Buffer.from([0xcd, 0xcb, 0xbb, 0xf5]); // 退货 in GBK
    expect(() => decodeText('faq.csv', gbk)).toThrow(DocumentError);
    expect(() => decodeText('faq.csv', gbk)).toThrow(/^faq\.csv is not valid UTF-8 text; save it with UTF-8 encoding/);
  });
});

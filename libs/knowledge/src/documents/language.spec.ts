import { detectLanguage } from './language';

describe('detectLanguage', () => {
  it.each([
    ['You can return an item within 30 days.', 'en'],
    ['您可以在三十天内退货。', 'zh'],
    // Product names in Latin letters do not outweigh the Chinese around them.
    ['请在 App 中打开 iPhone 15 Pro Max 的订单，点击退货。', 'zh'],
    // A Chinese place name in an English sentence does not make it Chinese.
    ['Our Shanghai office (上海办公室) answers calls from 9 to 5 every weekday.', 'en'],
    ['返品は30日以内に受け付けます。', 'und'],
    ['Возврат товара возможен в течение 30 дней.', 'und'],
    ['12345 --- !!!', 'und'],
    ['', 'und'],
  ])('%s → %s', (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });
});

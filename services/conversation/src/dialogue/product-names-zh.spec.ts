import { productsNamedInChinese } from './product-names-zh';

describe('productsNamedInChinese', () => {
  it('reads a common word as the product the customer has', () => {
    expect(productsNamedInChinese('上次收到的那副耳机是白色的', ['Wireless Earbuds', 'Backpack'])).toEqual(['Wireless Earbuds']);
    expect(productsNamedInChinese('上次收到的那副耳机是白色的', ['Headphones', 'Backpack'])).toEqual(['Headphones']);
    expect(productsNamedInChinese('那套化妆品想退掉', ['Makeup Kit', 'Portable Charger'])).toEqual(['Makeup Kit']);
  });

  it('names every product a common word may mean, and only the one a longer name means', () => {
    expect(productsNamedInChinese('那副耳机', ['Headphones', 'Wireless Earbuds']).sort()).toEqual(['Headphones', 'Wireless Earbuds']);
    expect(productsNamedInChinese('那副无线耳机', ['Headphones', 'Wireless Earbuds'])).toEqual(['Wireless Earbuds']);
    expect(productsNamedInChinese('笔记本电脑', ['Laptop', 'Notebook'])).toEqual(['Laptop']);
  });
});

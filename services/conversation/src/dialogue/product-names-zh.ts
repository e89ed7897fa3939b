// What Chinese-speaking customers call the tau-retail catalogue's products, so "有行李箱的那个"
// finds the order holding the Luggage Set. The catalogue itself is English.
const ZH_NAMES: Record<string, string[]> = {
  'Action Camera': ['运动相机', '运动摄像机'],
  'Air Purifier': ['空气净化器'],
  Backpack: ['背包', '双肩包'],
  Bicycle: ['自行车', '单车'],
  'Bluetooth Speaker': ['蓝牙音箱', '蓝牙音响'],
  Bookshelf: ['书架', '书柜'],
  'Coffee Maker': ['咖啡机', '咖啡壶', '法压壶', '滴滤壶'],
  'Cycling Helmet': ['骑行头盔', '头盔'],
  'Desk Lamp': ['台灯'],
  'Digital Camera': ['数码相机', '相机'],
  'Dumbbell Set': ['哑铃'],
  'E-Reader': ['电子阅读器', '阅读器', '电纸书'],
  'Electric Kettle': ['电水壶', '电热水壶'],
  'Electric Toothbrush': ['电动牙刷', '牙刷'],
  'Espresso Machine': ['意式咖啡机', '浓缩咖啡机'],
  'Fleece Jacket': ['抓绒外套', '抓绒衣', '外套'],
  'Gaming Mouse': ['游戏鼠标', '鼠标'],
  'Garden Hose': ['浇花水管', '花园水管', '水管'],
  Grill: ['烤架', '烧烤架', '烤炉'],
  Headphones: ['头戴式耳机', '耳机'],
  'Hiking Boots': ['登山靴', '徒步鞋'],
  'Indoor Security Camera': ['室内监控摄像头', '监控摄像头', '摄像头'],
  'Jigsaw Puzzle': ['拼图'],
  'LED Light Bulb': ['灯泡'],
  Laptop: ['笔记本电脑', '电脑'],
  'Luggage Set': ['行李箱', '旅行箱', '拉杆箱'],
  'Makeup Kit': ['化妆品套装', '化妆套装', '化妆品', '彩妆'],
  'Mechanical Keyboard': ['机械键盘', '键盘'],
  Notebook: ['笔记本', '本子'],
  'Office Chair': ['办公椅', '椅子'],
  'Patio Umbrella': ['庭院伞', '遮阳伞'],
  Perfume: ['香水'],
  'Pet Bed': ['宠物床', '宠物窝', '狗窝', '猫窝'],
  'Portable Charger': ['充电宝', '移动电源'],
  'Running Shoes': ['跑鞋', '跑步鞋'],
  Skateboard: ['滑板'],
  'Smart Thermostat': ['智能温控器', '温控器'],
  'Smart Watch': ['智能手表'],
  Smartphone: ['智能手机', '手机'],
  Sneakers: ['运动鞋', '球鞋'],
  Sunglasses: ['太阳镜', '墨镜'],
  'T-Shirt': ['T恤', 't恤', '短袖'],
  Tablet: ['平板电脑', '平板'],
  'Tea Kettle': ['茶壶', '烧水壶'],
  'Vacuum Cleaner': ['吸尘器'],
  'Wall Clock': ['挂钟', '钟'],
  'Water Bottle': ['水壶', '水杯', '水瓶'],
  'Wireless Earbuds': ['无线耳机', '蓝牙耳机', '耳机'],
  Wristwatch: ['手表', '腕表'],
  'Yoga Mat': ['瑜伽垫'],
};

/** Every word of the catalogue's product names ("keyboard", "set"): words no typo stands for. */
export const CATALOGUE_WORDS: ReadonlySet<string> = new Set(Object.keys(ZH_NAMES).flatMap((name) => name.toLowerCase().split(/[\s-]+/)));

/**
 * The catalogue products among `catalogue` that the text names in Chinese. Longer names win
 * ("笔记本电脑" is the Laptop, not the Notebook), and a span names the products it may mean: "耳机"
 * is the Headphones or the Wireless Earbuds, both when the catalogue holds both.
 */
export function productsNamedInChinese(text: string, catalogue: readonly string[]): string[] {
  const meanings = new Map<string, string[]>();
  for (const name of catalogue) for (const alias of ZH_NAMES[name] ?? []) meanings.set(alias, [...(meanings.get(alias) ?? []), name]);
  let rest = text;
  const named = new Set<string>();
  for (const alias of [...meanings.keys()].sort((a, b) => b.length - a.length)) {
    if (!rest.includes(alias)) continue;
    for (const name of meanings.get(alias)!) named.add(name);
    rest = rest.replaceAll(alias, ' ');
  }
  return [...named];
}

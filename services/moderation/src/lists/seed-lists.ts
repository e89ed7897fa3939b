// Hand-picked words that are unambiguous in a shop's chat, always loaded (also when the shared
// lists are missing). Short Chinese words from the shared lists are not loaded (see
// shared-lists.ts), so the few short ones worth blocking are here. Allow-listed phrases never fire.
import type { Category } from './categories';

export const SEED_WORDS: Record<Category, string[]> = {
  abuse: [
    'fuck', 'fucking', 'fucker', 'motherfucker', 'shit', 'bullshit', 'bitch', 'bitches', 'asshole', 'assholes', 'cunt', 'idiot', 'idiots', 'moron', 'morons',
    '傻逼', '傻b', '煞笔', '操你', '操你妈', '草你妈', '肏你', '你妈逼', '去死', '贱人', '婊子', '狗日的',
  ],
  porn: ['卖淫', '嫖娼', '援交', '裸聊', '色情', '淫秽', '黄片', '乱伦', '口交', '肛交', '轮奸', '迷奸', '招妓', '一夜情', 'porn', 'porno'],
  drugs: ['冰毒', '海洛因', '摇头丸', '可卡因', '氯胺酮', 'k粉', '毒品', '嗑药', '磕药', '春药', '迷药', 'cocaine', 'heroin', 'meth'],
  gambling: ['赌博', '赌球', '赌场', '博彩', '网赌', '六合彩'],
  weapons: ['枪支', '买枪', '卖枪', '雷管', '炸药'],
  crime: ['假币', '假钞', '洗钱', '办假证', '卖肾'],
  self_harm: ['kill myself', 'killing myself', 'end my life', 'want to die', 'suicide', 'suicidal', '自杀', '不想活了', '轻生'],
  threat: ['kill you', '杀了你', '弄死你', '砍死你'],
  politics: [],
  terror: [],
};

// Everyday and shop wording that the community lists tag; found by reading all their three-character
// entries and samples of the longer ones. An allowed phrase silences list words inside it only, so
// "娱乐城" is allowed while "皇冠娱乐城" still fires.
export const SEED_ALLOW = [
  // Skin care ("exfoliating"), a film.
  '去死皮', 'suicide squad',
  // People and family.
  '妈妈的', '两个妈妈', '日本人', '女教师', '女白领', '姐妹花', '同性恋', '双性恋', '同性爱', '小龙女', '张博涵', '张博雅', '张博树', '王俊博', '陈博志',
  // Health and everyday life.
  '性骚扰', '性生活', '性行为', '性发育', '性冷淡', '性用品', '情侣装', '聊天室', '夜总会', '新干线', '双色球', '娱乐城', '博白县', '工资日结', '转业干部工资', '中医药局',
  // Food, medicine and cosmetics.
  '冻干粉', '冰糖', '黄冰糖', '水果冰', '果子冰', '植物冰', '奶油冰', '樱花粉', '粉末型', '日落黄', '三聚氰胺', '减肥药', '安眠药', '失眠药', '催眠药', '麻醉药', '尼古丁', '黄体酮', '苯甲酸', '精神药品', '药品回收', '虫草养生酒',
  // Tools and gadgets.
  '射钉枪', '射钉弹', '发射器', '喷射器', '远射灯', '电子狗导航手机', '绿色环保手机', '阳江刀具', '户外刀具', '野营刀具', '出售刀具', '直销刀具', '刀具专卖',
  // Promotions, media and games.
  '买一送一', '买二送一', '男女婴幼儿童服装', '免费电影', '电影下载', '热门电影推荐', '精品电影', '欧美电影', '软件免费下载', '游戏代币', '游戏新干线', '魔兽金币', '上网娱乐', '娱乐论坛',
];

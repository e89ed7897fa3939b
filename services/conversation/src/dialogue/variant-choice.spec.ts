import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chooseVariant, namedOptions, type Variant } from './variant-choice';

const data = path.join(
  process.env.SWITCHBOARD_DATA_DIR ?? path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'data'),
  'tau-retail',
);
const products = JSON.parse(readFileSync(path.join(data, 'products.json'), 'utf8')) as Record<
  string,
  { name: string; variants: Record<string, Variant> }
>;
const variantsOf = (name: string) => Object.values(Object.values(products).find((p) => p.name === name)!.variants);
const lamp = { item_id: '8384507844', options: { color: 'white', brightness: 'medium', 'power source': 'USB' } };

describe('chooseVariant', () => {
  it('holds every named option: "silver, low, battery" is never silver, medium, USB', () => {
    expect(chooseVariant('silver, low, battery', lamp, variantsOf('Desk Lamp'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '7453605304' },
    });
  });

  it('keeps what the customer did not name', () => {
    expect(chooseVariant('the silver one', lamp, variantsOf('Desk Lamp'))).toMatchObject({
      kind: 'match',
      variant: { options: { color: 'silver', brightness: 'medium', 'power source': 'USB' } },
    });
  });

  it('reads no size S in "it\'s": an email given as "sure, it\'s …" changes nothing', () => {
    const helmet = { item_id: '3339188619', options: { size: 'M', color: 'blue', ventilation: 'low' } };
    expect(namedOptions("sure, it's jo@example.com", helmet, variantsOf('Cycling Helmet'))).toEqual({});
    expect(chooseVariant("white please, it's for my son", helmet, variantsOf('Cycling Helmet'))).toMatchObject({
      kind: 'match',
      variant: { options: { size: 'M', color: 'white', ventilation: 'low' } },
    });
    expect(namedOptions('size s please', helmet, variantsOf('Cycling Helmet'))).toEqual({ size: ['S'] });
  });

  it('offers the closest available variants when nothing matches exactly, and says when the exact one is out of stock', () => {
    const none = chooseVariant('black, low, battery', lamp, variantsOf('Desk Lamp'));
    expect(none).toMatchObject({ kind: 'no_exact', unavailable: false, named: ['black', 'low', 'battery'] });
    expect(none.kind === 'no_exact' && none.closest.map((v) => v.item_id)).toContain('9190635437');
    expect(chooseVariant('white, high, battery', lamp, variantsOf('Desk Lamp'))).toMatchObject({ kind: 'no_exact', unavailable: true });
  });

  it('asks when several variants fit and reads "from X to Y" as Y', () => {
    expect(chooseVariant('silver and low', lamp, variantsOf('Desk Lamp'))).toMatchObject({
      kind: 'ambiguous',
      candidates: [{ item_id: '1569765161' }, { item_id: '7453605304' }],
    });
    expect(namedOptions('from white to black', lamp, variantsOf('Desk Lamp'))).toEqual({ color: ['black'] });
    expect(chooseVariant('hello there', lamp, variantsOf('Desk Lamp'))).toEqual({ kind: 'none_named' });
  });

  it('reads a yes/no option only with its name', () => {
    const speaker = { item_id: '5650803029', options: { color: 'black', 'battery life': '20 hours', 'water resistance': 'no' } };
    expect(namedOptions('no, the red one', speaker, variantsOf('Bluetooth Speaker'))).toEqual({ color: ['red'] });
  });
  it('gives a value two options share to the option named beside it ("brown lenses" keeps the frame\'s colour)', () => {
    const sunglasses = {
      item_id: '9045948550',
      options: { 'frame color': 'black', 'lens color': 'blue', 'lens type': 'polarized', 'frame material': 'metal' },
    };
    expect(namedOptions('ones with brown lenses', sunglasses, variantsOf('Sunglasses'))).toEqual({ 'lens color': ['brown'] });
    expect(namedOptions('a brown frame', sunglasses, variantsOf('Sunglasses'))).toEqual({ 'frame color': ['brown'] });
    expect(chooseVariant('brown lenses please', sunglasses, variantsOf('Sunglasses'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '4358482460' },
    });
    // Said on its own, it may mean either.
    expect(namedOptions('the brown one', sunglasses, variantsOf('Sunglasses'))).toEqual({
      'frame color': ['brown'],
      'lens color': ['brown'],
    });
  });

  it('reads a shared value said alone as both options when a variant has that, else as either one, the rest kept', () => {
    const brownPair = {
      item_id: '9672174103',
      options: { 'frame color': 'brown', 'lens color': 'brown', 'lens type': 'polarized', 'frame material': 'plastic' },
    };
    // No black-framed, black-lensed pair: the black frame, the brown lenses and the rest kept.
    expect(chooseVariant('the same pair but in black', brownPair, variantsOf('Sunglasses'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '4358482460' },
    });
    const blackFrame = { ...brownPair, item_id: '4358482460', options: { ...brownPair.options, 'frame color': 'black' } };
    expect(chooseVariant('I would like them in brown', blackFrame, variantsOf('Sunglasses'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '9672174103' },
    });
  });

  it('chooses nothing from a description of the item as it is', () => {
    const speaker = { item_id: '5650803029', options: { color: 'black', 'battery life': '20 hours', 'water resistance': 'no' } };
    expect(chooseVariant('could I have the black speaker', speaker, variantsOf('Bluetooth Speaker'))).toEqual({ kind: 'none_named' });
  });

  it('reads a number and its unit however they are joined ("31-inch" is the 31 inch)', () => {
    const board = { item_id: '6313971174', options: { 'deck material': 'bamboo', length: '31 inch', design: 'custom' } };
    expect(
      chooseVariant('I got the 31-inch board, could I have the 34-inch version of it?', board, variantsOf('Skateboard')),
    ).toMatchObject({
      kind: 'match',
      variant: { item_id: '6956751343' },
    });
  });

  it('reads "the next size up" and "too big" as one step along the size, the rest kept', () => {
    const bed = { item_id: '2405281423', options: { size: 'medium', material: 'polyester', color: 'grey' } };
    expect(chooseVariant('the bigger size please, still grey', bed, variantsOf('Pet Bed'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '7917269097' },
    });
    expect(namedOptions('it is too big, one size down', bed, variantsOf('Pet Bed'))).toEqual({ size: ['small'] });
    expect(namedOptions('换个大一号的', bed, variantsOf('Pet Bed'))).toEqual({ size: ['large'] });
    // What is wrong with it, not what is wanted; and a value named outright wins over a step.
    expect(namedOptions('it is larger than I expected', bed, variantsOf('Pet Bed'))).toEqual({});
    expect(namedOptions('too big, the small one', bed, variantsOf('Pet Bed'))).toEqual({ size: ['small'] });
    // Naming the size it has is no choice of size; a delivery that took too long is no size at all.
    expect(namedOptions('the medium bed is too small, next size up', bed, variantsOf('Pet Bed'))).toEqual({ size: ['large'] });
    expect(namedOptions('shipping took too long, I want another one in grey', bed, variantsOf('Pet Bed'))).toEqual({ color: ['grey'] });
    const boots = { item_id: '8118291112', options: { size: '12', material: 'leather', waterproof: 'no' } };
    expect(namedOptions('one size smaller', boots, variantsOf('Hiking Boots'))).toEqual({ size: ['11'] });
  });

  it('reads a yes/no option named both as it is and as wanted, in English and Chinese', () => {
    const camera = { item_id: '1810466394', options: { resolution: '1080p', waterproof: 'no', color: 'silver' } };
    const wanted = { kind: 'match', variant: { item_id: '6117189161' } }; // 4K, waterproof, silver
    expect(
      chooseVariant('运动相机我选的是1080p不防水的银色款，想改成4K、防水的，颜色还是银色', camera, variantsOf('Action Camera')),
    ).toMatchObject(wanted);
    expect(
      chooseVariant("it's the 1080p non-waterproof one, I'd like it 4K and waterproof", camera, variantsOf('Action Camera')),
    ).toMatchObject(wanted);
    // Only "not waterproof" named: no.
    expect(namedOptions('4K but not waterproof', camera, variantsOf('Action Camera'))).toEqual({ resolution: ['4K'], waterproof: ['no'] });
    expect(namedOptions('换成4K的，不防水就行', camera, variantsOf('Action Camera'))).toEqual({ resolution: ['4K'], waterproof: ['no'] });
  });

  it("reads a notebook's cover in Chinese: 软皮 is soft cover, 硬皮 / 精装 hard cover", () => {
    const notebook = { item_id: '9799386954', options: { size: 'A5', 'cover type': 'soft cover' } };
    expect(chooseVariant('A5软皮笔记本想换成A4硬皮的', notebook, variantsOf('Notebook'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '1199058591' },
    });
    expect(namedOptions('A4，精装', notebook, variantsOf('Notebook'))).toEqual({ size: ['A4'], 'cover type': ['hard cover'] });
  });

  it('reads a luggage set and a helmet in Chinese: 两件套 / 硬壳 / 中通风', () => {
    const luggage = { item_id: '8926329222', options: { 'piece count': '2-piece', color: 'black', material: 'softshell' } };
    expect(chooseVariant('黑色两件套软壳的想换成红色两件套硬壳的', luggage, variantsOf('Luggage Set'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '8964750292' },
    });
    expect(namedOptions('换成蓝色4件套', luggage, variantsOf('Luggage Set'))).toMatchObject({
      'piece count': ['4-piece'],
      color: ['blue'],
    });
    const helmet = { item_id: '1596993217', options: { size: 'S', color: 'white', ventilation: 'low' } };
    expect(chooseVariant('头盔是S码白色低通风的，想换成同款中通风的', helmet, variantsOf('Cycling Helmet'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '7811981098' },
    });
  });

  it('keeps a value the message names beside another when it says the value stays ("still beginner level")', () => {
    const art = { item_id: '9030221155', options: { pieces: '2000', theme: 'art', 'difficulty level': 'beginner' } };
    const text =
      "i received a landscape puzzle (intermediate) and an art puzzle (beginner) in order #w8864622. i'd like to exchange the art one for the animals theme with 1500 pieces, still beginner level.";
    expect(chooseVariant(text, art, variantsOf('Jigsaw Puzzle'))).toMatchObject({
      kind: 'match',
      variant: { options: { pieces: '1500', theme: 'animals', 'difficulty level': 'beginner' } },
    });
  });

  it('reads Chinese materials and numbers with units as the catalogue writes them', () => {
    const kettle = variantsOf('Tea Kettle').find((v) => v.options.capacity === '1.5 liters' && v.options.material === 'glass')!;
    const wanted = chooseVariant('要1升的，玻璃，燃气灶', kettle, variantsOf('Tea Kettle'));
    expect(wanted).toMatchObject({
      kind: 'match',
      variant: { options: { capacity: '1 liter', material: 'glass', 'stovetop compatibility': 'gas' } },
    });
    expect(namedOptions('不锈钢的，2升', kettle, variantsOf('Tea Kettle'))).toMatchObject({
      material: ['stainless steel'],
      capacity: ['2 liters'],
    });
  });

  it('steps only along a scale of one unit (not 1080p beside 4K)', () => {
    const camera = variantsOf('Action Camera')[0];
    expect(Object.keys(namedOptions('a bigger one please', camera, variantsOf('Action Camera')))).not.toContain('resolution');
  });

  it("reads Chinese colour and level words as the catalogue's values", () => {
    const speaker = { item_id: '7597543861', options: { color: 'black', 'battery life': '10 hours', 'water resistance': 'no' } };
    expect(chooseVariant('换成蓝色的', speaker, variantsOf('Bluetooth Speaker'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '6704763132' },
    });
    expect(namedOptions('从黑色换成红色', speaker, variantsOf('Bluetooth Speaker'))).toEqual({ color: ['red'] });
    // Levels too: a white lamp, high, on USB, wanted in black at medium brightness.
    const lamp = { item_id: '9083642334', options: { color: 'white', brightness: 'high', 'power source': 'USB' } };
    expect(chooseVariant('黑色的，亮度要中等', lamp, variantsOf('Desk Lamp'))).toMatchObject({
      kind: 'match',
      variant: { item_id: '6805564527' },
    });
  });
});

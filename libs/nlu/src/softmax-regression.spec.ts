import { seededRandom } from './seeded-random';
import { SoftmaxRegression, softmaxInPlace } from './softmax-regression';
import { fitTemperature } from './temperature';
import { TextFeaturizer } from './text-features';

const noSparse = { indices: new Int32Array(0), values: new Float32Array(0) };

describe('SoftmaxRegression', () => {
  it('learns three clusters from dense features, the same way for the same seed', () => {
    const random = seededRandom(1);
    const centres = [
      [2, 0],
      [-2, 0],
      [0, 2],
    ];
    const rows = Array.from({ length: 90 }, (_, i) => ({
      dense: Float32Array.from(centres[i % 3], (c) => c + (random() - 0.5)),
      sparse: noSparse,
    }));
    const labels = Int32Array.from(rows, (_, i) => i % 3);
    const model = SoftmaxRegression.fit(rows, labels, 3, 0, { learningRate: 0.05, seed: 3 });
    const predict = (x: number, y: number) => {
      const s = model.scores({ dense: Float32Array.of(x, y), sparse: noSparse });
      return s.indexOf(Math.max(...s));
    };
    expect([predict(2, 0), predict(-2, 0), predict(0, 2)]).toEqual([0, 1, 2]);
    const again = SoftmaxRegression.fit(rows, labels, 3, 0, { learningRate: 0.05, seed: 3 });
    expect(Array.from(again.scores(rows[0]))).toEqual(Array.from(model.scores(rows[0])));
  });

  it('learns from sparse n-gram features alone', () => {
    const texts = ['track my parcel', 'where is my parcel', 'refund my money', 'I want a refund'];
    const featurizer = TextFeaturizer.fit(texts);
    const rows = texts.map((t) => ({ dense: new Float32Array(0), sparse: featurizer.transform(t) }));
    const model = SoftmaxRegression.fit(rows, Int32Array.of(0, 0, 1, 1), 2, featurizer.size, { learningRate: 0.05 });
    const probabilities = softmaxInPlace(model.scores({ dense: new Float32Array(0), sparse: featurizer.transform('parcel tracking') }));
    expect(probabilities[0]).toBeGreaterThan(0.8);
  });
});

describe('fitTemperature', () => {
  it('recovers the factor by which logits are overconfident', () => {
    const random = seededRandom(5);
    const logits: Float64Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const truth = Float64Array.from({ length: 4 }, () => random() * 4);
      // Sample the label from softmax(truth), then report logits three times too sharp.
      const p = softmaxInPlace(Float64Array.from(truth));
      let u = random();
      let label = 0;
      while (label < 3 && u > p[label]) u -= p[label++];
      labels.push(label);
      logits.push(truth.map((z) => z * 3));
    }
    expect(fitTemperature(logits, labels)).toBeGreaterThan(2.6);
    expect(fitTemperature(logits, labels)).toBeLessThan(3.4);
  });
});

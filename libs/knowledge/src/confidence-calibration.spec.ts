import { answeredPrecision, calibrateFloor, MIN_PAIRS, type ConfidencePair } from './confidence-calibration';
import { defaultModelFor, similarityFloors } from './models';
import { unitsOf } from './knowledge-units';
import type { ParsedDocument } from './documents/parsed-document';

const pair = (similarity: number, correct: boolean, margin = 0.1): ConfidencePair => ({ top: { similarity, margin }, correct });

describe('calibrateFloor', () => {
  it('takes the lowest similarity at which confident answers are at least 95% right', () => {
    // Wrong answers sit at 0.55 and 0.6; from 0.61 up, all 10 are right (from 0.6, 10 of 11).
    const pairs = [pair(0.55, false), pair(0.6, false), ...Array.from({ length: 10 }, (_, i) => pair(0.61 + i * 0.01, true))];
    const calibration = calibrateFloor(pairs, 0.8, 0.3);
    expect(calibration).toMatchObject({ floor: 0.61, source: 'phrasings', pairs: 12, precision: 1 });
    expect(calibration.answered).toBeCloseTo(10 / 12, 6);
  });

  it('never answers a near tie, whatever the similarity', () => {
    expect(answeredPrecision([pair(0.9, true, 0.01), pair(0.9, true, 0.2)], 0.5)).toEqual({ answered: 0.5, precision: 1 });
  });

  it("keeps the model's floor when the FAQ has too few phrasings to say", () => {
    const pairs = Array.from({ length: MIN_PAIRS - 1 }, () => pair(0.7, true));
    expect(calibrateFloor(pairs, 0.8, 0.3)).toMatchObject({ floor: 0.8, source: 'model', pairs: MIN_PAIRS - 1 });
  });

  it('answers above every pair seen when no floor reaches the precision', () => {
    const pairs = Array.from({ length: 12 }, (_, i) => pair(0.5 + i * 0.01, i % 2 === 0));
    const calibration = calibrateFloor(pairs, 0.4, 0.3);
    expect(calibration.floor).toBeGreaterThan(0.61);
    expect(calibration.answered).toBe(0);
  });

  it('does not go below the relevance floor', () => {
    const pairs = Array.from({ length: 12 }, (_, i) => pair(0.1 + i * 0.05, true));
    expect(calibrateFloor(pairs, 0.8, 0.3).floor).toBeCloseTo(0.3, 6);
  });
});

describe('models', () => {
  it("gives an ensemble the mean of its members' floors", () => {
    expect(defaultModelFor('en')).toBe('all-minilm-l6-v2');
    expect(similarityFloors('all-minilm-l6-v2+bge-small-en-v1.5')).toEqual({
      relevant: (0.3 + 0.6) / 2,
      standardAnswer: (0.75 + 0.85) / 2,
    });
  });
});

describe('FAQ units', () => {
  it('does not embed an answer that only repeats the question as a second view', () => {
    const doc: ParsedDocument = {
      kind: 'faq',
      title: 'FAQ',
      language: 'zh',
      markdown: '',
      faqs: [
        { faqId: 'q-only', question: '怎么查询话费余额？', altQuestions: [], answer: '怎么查询话费余额', approved: true, tags: [] },
        {
          faqId: 'full',
          question: 'How do I reset my password?',
          altQuestions: ['forgot password'],
          answer: 'Use the link on the sign-in page.',
          approved: true,
          tags: [],
        },
      ],
    };
    const units = unitsOf('faq', doc);
    expect(units.filter((u) => u.faqId === 'q-only').map((u) => u.embedText)).toEqual(['怎么查询话费余额？']);
    expect(units.filter((u) => u.faqId === 'full')).toHaveLength(3);
  });
});

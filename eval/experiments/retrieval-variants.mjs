#!/usr/bin/env node
// Measures retrieval variants on one FAQ + query set, each on its own, exactly (no ANN) and in
// memory, so that a dozen variants cost one embedding pass per model. Embeddings are cached under
// .local/eval-cache. The production path is measured by `switchboard kb eval`; this script is for
// deciding what goes into it.
//
// Usage: node eval/experiments/retrieval-variants.mjs --faq F --queries Q --models m1,m2 [--adapt] [--normalize] [--json]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import embeddings from '@switchboard/embeddings';
import knowledge from '@switchboard/knowledge';
const { loadLocalEmbedder } = embeddings;
const { keywordsOf, parseDocument, unitsOf } = knowledge;

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
if (argv.includes('--help')) {
  process.stdout.write(
    'Usage: retrieval-variants.mjs --faq F --queries Q --models m1,m2 [--adapt] [--normalize] [--json]\n  --adapt      also fit fusion weights per FAQ by leave-one-phrasing-out and score them\n  --normalize  NFKC-normalise the queries first\n',
  );
  process.exit(0);
}
const faqFile = opt('faq');
const queryFile = opt('queries');
const models = opt('models', 'all-minilm-l6-v2').split(',');
const cacheDir = path.resolve('.local/eval-cache');
mkdirSync(cacheDir, { recursive: true });

const doc = await parseDocument({ fileName: path.basename(faqFile), contentType: 'text/csv', data: readFileSync(faqFile) });
const units = unitsOf('faq', doc);
// --normalize: NFKC (full-width letters, digits and punctuation to their usual forms) and
// collapsed whitespace, applied to queries before anything else sees them.
const queries = parse(readFileSync(queryFile), { columns: true, skip_empty_lines: true, bom: true }).map((q) =>
  argv.includes('--normalize') ? { ...q, query: q.query.normalize('NFKC').replace(/\s+/g, ' ').trim() } : q,
);
const faqIds = [...new Set(units.map((u) => u.faqId))];
const faqIndex = new Map(faqIds.map((id, i) => [id, i]));
const isAnswer = units.map((u) => u.position % 100 === 99);
// A unit whose text an earlier unit of the same entry already has (an answer that repeats the question).
const duplicate = units.map((u, i) => units.slice(0, i).some((v) => v.faqId === u.faqId && v.embedText.trim() === u.embedText.trim()));

async function embedCached(model, texts, kind) {
  const key = createHash('sha256').update(model).update(kind).update(JSON.stringify(texts)).digest('hex').slice(0, 24);
  const file = path.join(cacheDir, `${key}.f32`);
  let dim;
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const flat = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    dim = flat.length / texts.length;
    return texts.map((_, i) => flat.subarray(i * dim, (i + 1) * dim));
  }
  const embedder = await loadLocalEmbedder(model);
  const vectors = [];
  for (let i = 0; i < texts.length; i += 256) vectors.push(...(await embedder.embed(texts.slice(i, i + 256), kind)));
  await embedder.close();
  dim = vectors[0].length;
  const flat = new Float32Array(texts.length * dim);
  vectors.forEach((v, i) => flat.set(v, i * dim));
  writeFileSync(file, Buffer.from(flat.buffer));
  return vectors;
}
const dot = (a, b) => {
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += a[i] * b[i];
  return s;
};

// sims[model][q][u]
const sims = {};
for (const model of models) {
  const u = await embedCached(
    model,
    units.map((x) => x.embedText),
    'passage',
  );
  const q = await embedCached(
    model,
    queries.map((x) => x.query),
    'query',
  );
  sims[model] = q.map((qv) => Float32Array.from(u, (uv) => dot(qv, uv)));
}

// BM25 over the keyword field (same tokens as production), exact.
const docs = units.map((x) => x.keywords.split(' ').filter(Boolean));
const df = new Map();
for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
const avgdl = docs.reduce((s, d) => s + d.length, 0) / docs.length;
const tf = docs.map((d) => {
  const m = new Map();
  for (const t of d) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
});
function bm25(query) {
  const terms = keywordsOf(query).split(' ').filter(Boolean);
  return Float32Array.from(docs, (d, i) => {
    let s = 0;
    for (const t of terms) {
      const f = tf[i].get(t);
      if (!f) continue;
      const idf = Math.log(1 + (docs.length - df.get(t) + 0.5) / (df.get(t) + 0.5));
      s += (idf * (f * 2.2)) / (f + 1.2 * (1 - 0.75 + (0.75 * d.length) / avgdl));
    }
    return s;
  });
}
const kw = queries.map((q) => bm25(q.query));

/**
 * Per-FAQ score from per-unit scores. Views: the question phrasings (best, second best) and the
 * answer. Default (production today): best + second * second best over all units.
 * views mode: best question phrasing + ans * answer (second best phrasing ignored).
 */
function perFaq(unitScores, { answers = true, second = 0.4, ans, dedupe = false, solo = 'zero' } = {}) {
  const best = new Float64Array(faqIds.length).fill(-Infinity);
  const next = new Float64Array(faqIds.length).fill(-Infinity);
  const answer = new Float64Array(faqIds.length);
  unitScores.forEach((s, i) => {
    const f = faqIndex.get(units[i].faqId);
    if (isAnswer[i]) {
      answer[f] = s;
      if (!answers || ans !== undefined) return;
    }
    if (dedupe && duplicate[i]) return;
    if (s > best[f]) {
      next[f] = best[f];
      best[f] = s;
    } else if (s > next[f]) next[f] = s;
  });
  if (ans !== undefined) return Float64Array.from(best, (b, f) => b + ans * answer[f]);
  if (solo === 'best') return Float64Array.from(best, (b, f) => (b + second * (Number.isFinite(next[f]) ? next[f] : b)) / (1 + second));
  return Float64Array.from(best, (b, f) => b + second * (Number.isFinite(next[f]) ? next[f] : 0));
}
function minmax(a) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of a) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const sp = hi - lo || 1;
  return Float64Array.from(a, (x) => (x - lo) / sp);
}
function score(rankings) {
  let h1 = 0;
  let h5 = 0;
  let rr = 0;
  rankings.forEach((scores, qi) => {
    const target = faqIndex.get(queries[qi].expected);
    const t = scores[target];
    let rank = 1;
    for (let f = 0; f < scores.length; f += 1) if (scores[f] > t) rank += 1;
    if (rank === 1) h1 += 1;
    if (rank <= 5) h5 += 1;
    rr += 1 / rank;
  });
  const n = rankings.length;
  return { r1: +(h1 / n).toFixed(3), r5: +(h5 / n).toFixed(3), mrr: +(rr / n).toFixed(3) };
}

const variants = {};
const denseOf = (weights, o) =>
  queries.map((_, qi) => {
    const combined = new Float32Array(units.length);
    for (const [m, w] of Object.entries(weights)) {
      const s = sims[m][qi];
      for (let i = 0; i < s.length; i += 1) combined[i] += w * s[i];
    }
    return perFaq(combined, o);
  });
const hybrid = (dense, kwWeight, o) =>
  dense.map((d, qi) => {
    const k = perFaq(kw[qi], { ...o, second: 0 });
    const kmax = Math.max(...k) || 1;
    const dn = minmax(d);
    return Float64Array.from(dn, (x, f) => (1 - kwWeight) * x + (kwWeight * Math.max(0, k[f])) / kmax);
  });
for (const m of models) {
  const d = denseOf({ [m]: 1 });
  variants[`dense ${m}`] = score(d);
  variants[`dense ${m} no-answer-view`] = score(denseOf({ [m]: 1 }, { answers: false }));
  variants[`dense ${m} no-second`] = score(denseOf({ [m]: 1 }, { second: 0 }));
  for (const a of [0.3, 0.5, 1]) variants[`dense ${m} q+${a}*answer`] = score(denseOf({ [m]: 1 }, { ans: a }));
  variants[`dense ${m} dedupe`] = score(denseOf({ [m]: 1 }, { dedupe: true }));
  variants[`dense ${m} dedupe solo=best`] = score(denseOf({ [m]: 1 }, { dedupe: true, solo: 'best' }));
  variants[`hybrid ${m} dedupe kw0.2`] = score(hybrid(denseOf({ [m]: 1 }, { dedupe: true }), 0.2));
  variants[`hybrid ${m} dedupe solo=best kw0.2`] = score(hybrid(denseOf({ [m]: 1 }, { dedupe: true, solo: 'best' }), 0.2));
  for (const w of [0.1, 0.2, 0.3, 0.4, 0.5]) variants[`hybrid ${m} kw${w}`] = score(hybrid(d, w));
}
variants['keyword'] = score(kw.map((k) => perFaq(k, { second: 0 })));
if (models.length > 1) {
  const even = Object.fromEntries(models.map((m) => [m, 1 / models.length]));
  const d = denseOf(even);
  variants[`dense ensemble ${models.join('+')}`] = score(d);
  for (const a of [0.3, 0.5, 1]) variants[`dense ensemble q+${a}*answer`] = score(denseOf(even, { ans: a }));
  for (let i = 0; i < models.length; i += 1)
    for (let j = i + 1; j < models.length; j += 1) {
      variants[`dense pair ${models[i]}+${models[j]}`] = score(denseOf({ [models[i]]: 0.5, [models[j]]: 0.5 }));
      variants[`dense pair ${models[i]}+${models[j]} q+0.5a`] = score(denseOf({ [models[i]]: 0.5, [models[j]]: 0.5 }, { ans: 0.5 }));
    }
  for (const w of [0.1, 0.2, 0.3]) variants[`hybrid ensemble kw${w}`] = score(hybrid(d, w));
}

// Per-tenant adaptation: fusion weights (the first model's share of the ensemble, the keyword
// share) chosen by leave-one-phrasing-out on the FAQ's own alternative phrasings, then applied to
// the queries. Only the FAQ is used for the choice; the queries only measure it.
if (argv.includes('--adapt')) {
  const phrasingIdx = units
    .map((u, i) => i)
    .filter((i) => !isAnswer[i] && units.filter((v, j) => j !== i && !isAnswer[j] && v.faqId === units[i].faqId).length > 0);
  const psims = {};
  for (const m of models) {
    const pv = await embedCached(
      m,
      phrasingIdx.map((i) => units[i].embedText),
      'query',
    );
    const uv = await embedCached(
      m,
      units.map((x) => x.embedText),
      'passage',
    );
    psims[m] = pv.map((qv) => Float32Array.from(uv, (v) => dot(qv, v)));
  }
  const pkw = phrasingIdx.map((i) => bm25(units[i].embedText));
  const grid = [];
  const shares = models.length > 1 ? [0, 0.25, 0.5, 0.75, 1] : [1];
  for (const share of shares) for (const kwW of [0, 0.1, 0.2, 0.3]) grid.push({ share, kwW });
  const weightsOf = (share) => (models.length > 1 ? { [models[0]]: share, [models[1]]: 1 - share } : { [models[0]]: 1 });
  const rank1 = (simsOf, kwOf, n, cfg, exclude, expected) => {
    let hits = 0;
    for (let qi = 0; qi < n; qi += 1) {
      const combined = new Float32Array(units.length);
      for (const [m, w] of Object.entries(weightsOf(cfg.share))) {
        const s = simsOf[m][qi];
        for (let i = 0; i < s.length; i += 1) combined[i] += w * s[i];
      }
      const k = Float32Array.from(kwOf[qi]);
      if (exclude) {
        combined[exclude[qi]] = -1e9;
        k[exclude[qi]] = 0;
      }
      const d = minmax(perFaq(combined).map((x) => (x < -1e8 ? 0 : x)));
      const kf = perFaq(k, { second: 0 });
      const kmax = Math.max(...kf) || 1;
      const fused = Float64Array.from(d, (x, f) => (1 - cfg.kwW) * x + (cfg.kwW * Math.max(0, kf[f])) / kmax);
      const target = faqIndex.get(expected[qi]);
      if (fused.every((x, f) => f === target || x < fused[target])) hits += 1;
    }
    return hits / n;
  };
  const loo = grid.map((cfg) => ({
    cfg,
    r1: rank1(
      psims,
      pkw,
      phrasingIdx.length,
      cfg,
      phrasingIdx,
      phrasingIdx.map((i) => units[i].faqId),
    ),
  }));
  const bestLoo = Math.max(...loo.map((x) => x.r1));
  const def = { share: models.length > 1 ? 0.5 : 1, kwW: 0.1 };
  const defLoo = loo.find((x) => x.cfg.share === def.share && x.cfg.kwW === def.kwW).r1;
  const chosen = defLoo >= bestLoo ? def : loo.find((x) => x.r1 === bestLoo).cfg;
  const onQueries = (cfg) =>
    rank1(
      sims,
      kw,
      queries.length,
      cfg,
      null,
      queries.map((q) => q.expected),
    );
  variants[
    `adapt: ${phrasingIdx.length} phrasings, chosen share ${chosen.share} kw ${chosen.kwW} (LOO r@1 ${bestLoo.toFixed(3)} vs default ${defLoo.toFixed(3)})`
  ] = { r1: +onQueries(chosen).toFixed(3), r5: NaN, mrr: NaN };
  variants[`adapt: default share ${def.share} kw ${def.kwW}`] = { r1: +onQueries(def).toFixed(3), r5: NaN, mrr: NaN };
}
if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(variants)}\n`);
else
  for (const [name, r] of Object.entries(variants))
    process.stdout.write(`${name.padEnd(48)} r@1 ${r.r1.toFixed(3)}  r@5 ${r.r5.toFixed(3)}  mrr ${r.mrr.toFixed(3)}\n`);

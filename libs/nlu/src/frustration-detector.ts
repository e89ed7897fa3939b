// Frustration the lexicon cannot see ("I have been waiting for two weeks and nobody answers my
// emails" has no angry word): compare the message with a few frustrated and a few calm customer
// messages in embedding space. Adds to sentimentOf(), never replaces it.
import type { Embedder } from '@switchboard/embeddings';
import { sentimentOf, type Sentiment } from './sentiment';

const FRUSTRATED = [
  'I have been waiting for weeks and nobody has helped me',
  'this is the third time I am contacting you about the same problem',
  'you keep giving me the same useless answer',
  'I want my money back right now',
  'your service is terrible and I am going to complain',
  'why does nobody ever answer my emails',
  'I am really fed up with this company',
  'this is taking forever and I am losing my patience',
  '我已经等了两个星期了，一直没人处理',
  '这是我第三次联系你们了，问题还是没解决',
  '你们到底能不能解决问题',
  '我要投诉你们的服务',
];

const CALM = [
  'where is my order',
  'I would like to return an item',
  'can you tell me when my package will arrive',
  'I want to change my shipping address',
  'thanks, that answers my question',
  'hello, I need some help with my account',
  'can I exchange this for a different size',
  'what is your return policy',
  '我的订单到哪了',
  '我想退货',
  '谢谢，没有别的问题了',
  '请帮我改一下收货地址',
];

/** Cosine-margin scale: unrelated sentences sit closer together for some encoders (bge) than others. */
const MARGIN_SCALE = 0.04;
/** The embedding view alone never claims more than this; the lexicon carries the strong cases. */
const EMBEDDING_CEILING = 0.75;
/** Below this the embedding view is noise (calm requests score up to ~0.2 with the right model). */
const EMBEDDING_FLOOR = 0.35;

const meanOfTop = (values: number[], k: number) => {
  const top = [...values].sort((a, b) => b - a).slice(0, k);
  return top.reduce((s, v) => s + v, 0) / top.length;
};
const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * An async scorer: sentimentOf() plus an embedding component — how much closer the message is to
 * the frustrated examples than to the calm ones, as 0..EMBEDDING_CEILING, counted from
 * EMBEDDING_FLOOR up. The frustration reported is the larger of the two; the signal
 * "resembles_frustrated" says when the embedding raised it. Use an encoder for the message's
 * language (bge-small-zh-v1.5 for Chinese).
 */
export function frustrationDetector(embedder: Embedder): (text: string) => Promise<Sentiment> {
  let prototypes: Promise<{ frustrated: Float32Array[]; calm: Float32Array[] }> | undefined;
  const load = () => {
    prototypes ??= Promise.all([embedder.embed(FRUSTRATED, 'passage'), embedder.embed(CALM, 'passage')]).then(([frustrated, calm]) => ({ frustrated, calm }));
    return prototypes;
  };
  return async (text: string) => {
    const lexical = sentimentOf(text);
    const [{ frustrated, calm }, [vector]] = await Promise.all([load(), embedder.embed([text], 'passage')]);
    const margin = meanOfTop(frustrated.map((p) => dot(vector, p)), 2) - meanOfTop(calm.map((p) => dot(vector, p)), 2);
    const embedded = Math.round((EMBEDDING_CEILING / (1 + Math.exp(-margin / MARGIN_SCALE))) * 1000) / 1000;
    if (embedded < EMBEDDING_FLOOR || embedded <= lexical.frustration) return lexical;
    return { ...lexical, frustration: embedded, signals: [...lexical.signals, 'resembles_frustrated'] };
  };
}

// A scripted customer task for `switchboard simulate`, read from a JSON file: who the customer is,
// what they open with, how they answer each kind of question (several phrasings each), and the
// order-system operations a correct conversation ends in. Bad input is refused with the field named.

export interface ReplyRule {
  /** A regular expression (case-insensitive) the bot's reply must match for this answer. */
  when: string;
  /** Phrasings of the answer; trial n uses phrasing n (modulo their number). */
  say: string[];
}

export interface ExpectedCall {
  operation: string;
  arguments: Record<string, unknown>;
}

export interface SimulationTask {
  id: string;
  /** The intent the task exercises; figures are reported per intent. */
  intent: string;
  language: 'en' | 'zh';
  /** The customer's user id in the order system: their account and orders are compared. */
  userId: string;
  opening: string[];
  replies: ReplyRule[];
  /** What the reference solution does; an empty list means nothing may change. */
  expected: ExpectedCall[];
}

export class TaskFileError extends Error {}

function fail(where: string, problem: string): never {
  throw new TaskFileError(`${where}: ${problem}`);
}

const nonEmptyStrings = (value: unknown, where: string): string[] => {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.trim() !== ''))
    fail(where, 'must be a non-empty list of non-empty strings');
  return value as string[];
};

const text = (value: unknown, where: string): string => {
  if (typeof value !== 'string' || value.trim() === '') fail(where, 'must be a non-empty string');
  return value;
};

/** Parses and checks a task file: a JSON list of tasks with unique ids. */
export function parseTasks(json: string): SimulationTask[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    fail('task file', `not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(raw) || raw.length === 0) fail('task file', 'must be a non-empty JSON list of tasks');
  const seen = new Set<string>();
  return raw.map((entry, i): SimulationTask => {
    const at = `tasks[${i}]`;
    if (typeof entry !== 'object' || entry === null) fail(at, 'must be an object');
    const t = entry as Record<string, unknown>;
    const id = text(t.id, `${at}.id`);
    if (seen.has(id)) fail(`${at}.id`, `"${id}" is used twice`);
    seen.add(id);
    const language = t.language ?? 'en';
    if (language !== 'en' && language !== 'zh') fail(`${at}.language`, 'must be "en" or "zh"');
    if (!Array.isArray(t.replies)) fail(`${at}.replies`, 'must be a list');
    const replies = (t.replies as unknown[]).map((r, j): ReplyRule => {
      const where = `${at}.replies[${j}]`;
      if (typeof r !== 'object' || r === null) fail(where, 'must be an object');
      const rule = r as Record<string, unknown>;
      const when = text(rule.when, `${where}.when`);
      try {
        new RegExp(when, 'i');
      } catch (error) {
        fail(`${where}.when`, `not a regular expression (${(error as Error).message})`);
      }
      return { when, say: nonEmptyStrings(rule.say, `${where}.say`) };
    });
    if (!Array.isArray(t.expected)) fail(`${at}.expected`, 'must be a list of {operation, arguments}');
    const expected = (t.expected as unknown[]).map((c, j): ExpectedCall => {
      const where = `${at}.expected[${j}]`;
      const call = (c ?? {}) as Record<string, unknown>;
      if (typeof call.arguments !== 'object' || call.arguments === null || Array.isArray(call.arguments))
        fail(`${where}.arguments`, 'must be an object');
      return { operation: text(call.operation, `${where}.operation`), arguments: call.arguments as Record<string, unknown> };
    });
    return {
      id,
      intent: text(t.intent, `${at}.intent`),
      language,
      userId: text(t.userId, `${at}.userId`),
      opening: nonEmptyStrings(t.opening, `${at}.opening`),
      replies,
      expected,
    };
  });
}

/** The customer's next message: the first rule whose pattern the bot's reply matches. */
export function answerTo(task: SimulationTask, botReply: string, trial: number): string | undefined {
  const rule = task.replies.find((r) => new RegExp(r.when, 'i').test(botReply));
  return rule ? rule.say[trial % rule.say.length] : undefined;
}

// The revision of the order flows this process runs. Flows are code (the rules in
// dialogue/order-flows.ts, the slot filling and argument mapping beside them, the confirmation texts
// in turns/replies.ts), so their revision is a hash of that code as loaded. Figures the simulator
// measured on other code say nothing about these flows: the autonomy check counts them as not
// measured. Any change there (a comment too) asks for a new measurement, which errs on the safe side.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TESTS = /\.(int-)?spec\.[jt]s$/;

function sourcesOfTheFlows(): string[] {
  const dialogue = path.join(__dirname, '..', 'dialogue');
  const code = (name: string) => /\.[jt]s$/.test(name) && !name.endsWith('.d.ts') && !TESTS.test(name);
  const replies = readdirSync(path.join(__dirname, '..', 'turns')).filter((name) => code(name) && name.startsWith('replies.'));
  return [
    ...readdirSync(dialogue)
      .filter(code)
      .map((name) => path.join(dialogue, name)),
    ...replies.map((name) => path.join(__dirname, '..', 'turns', name)),
  ].sort();
}

function hashOf(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.basename(file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export const FLOWS_REVISION = hashOf(sourcesOfTheFlows());

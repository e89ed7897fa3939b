// Serves the intent examples' request-reply topics: a support lead's upload (through the gateway)
// is validated here, stored, and picked up by every replica's next revision check; reading them
// back says the cross-validated accuracy of their model once it is trained.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { create, GetIntentExamplesResultSchema, PutIntentExamplesResultSchema, Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, PermanentError, serveRpc } from '@switchboard/messaging';
import { parseIntentCsv, type IntentExample } from '@switchboard/nlu';
import { LOGGER } from '@switchboard/platform';
import { IntentExamplesRepository } from './intent-examples.repository';
import { builtInExamples, IntentModels } from './intent-models';

const MAX_EXAMPLES = 50_000;
const MAX_LABELS = 500;

function labelsOf(examples: IntentExample[]): string[] {
  return [...new Set(examples.map((e) => e.label))].sort();
}

/** How many examples each label has, labels in order: what a support lead balances. */
export function examplesPerLabel(examples: IntentExample[]): Record<string, number> {
  // A Map, not an object: a label is any text, "__proto__" included.
  const counts = new Map(labelsOf(examples).map((label) => [label, 0]));
  for (const e of examples) counts.set(e.label, counts.get(e.label)! + 1);
  return Object.fromEntries(counts);
}

function toCsv(examples: IntentExample[]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return ['text,label', ...examples.map((e) => `${cell(e.text)},${cell(e.label)}`)].join('\n') + '\n';
}

@Injectable()
export class IntentsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly repository: IntentExamplesRepository,
    private readonly models: IntentModels,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(
      this.bus,
      Rpcs.intentsPut,
      async (request) => {
        let examples: IntentExample[];
        try {
          examples = parseIntentCsv(request.csv);
        } catch (error) {
          throw new PermanentError('INVALID_ARGUMENT', `csv: ${(error as Error).message}`);
        }
        const labels = labelsOf(examples);
        if (examples.length > MAX_EXAMPLES)
          throw new PermanentError('INVALID_ARGUMENT', `csv: holds ${examples.length} examples; at most ${MAX_EXAMPLES} are accepted`);
        if (labels.length < 2)
          throw new PermanentError('INVALID_ARGUMENT', 'csv: needs examples of at least two labels to tell intents apart');
        if (labels.length > MAX_LABELS)
          throw new PermanentError('INVALID_ARGUMENT', `csv: holds ${labels.length} labels; at most ${MAX_LABELS} are accepted`);
        const revision = await this.repository.replace(request.tenantId, examples);
        this.models.invalidate(request.tenantId);
        this.log.info(
          { tenantId: request.tenantId, examples: examples.length, labels: labels.length, revision },
          'intent examples replaced',
        );
        return create(PutIntentExamplesResultSchema, { examples: examples.length, labels, revision: BigInt(revision) });
      },
      this.log,
      { concurrency: 3 },
    );

    await serveRpc(
      this.bus,
      Rpcs.intentsGet,
      async (request) => {
        const stored = await this.repository.load(request.tenantId);
        const examples = stored?.examples ?? builtInExamples('en').examples;
        return create(GetIntentExamplesResultSchema, {
          csv: toCsv(examples),
          examples: examples.length,
          labels: labelsOf(examples),
          revision: BigInt(stored?.revision ?? 0),
          builtIn: stored === undefined,
          examplesPerLabel: examplesPerLabel(examples),
          accuracy: await this.models.accuracyOf(examples),
        });
      },
      this.log,
      { concurrency: 3 },
    );
  }
}

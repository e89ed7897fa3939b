// Moderation (admins): the tenant's own policy on top of the built-in rules: word lists (what a
// match does, on which messages), words that never fire, and compliance rules with keywords and
// patterns (GET / PUT /v1/moderation/policy, the TenantPolicy of moderation.proto). The policy is
// saved whole; the moderation service names each problem's field ("policy.rules[0].patterns[1]: …"),
// which shows at that input, an item of a list as its line.
import { Button, CloseButton, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState, type ReactNode } from 'react';
import { api } from './api';
import { AdminFrame, ErrorAlert, linesOf, LinesInput, LoadState, Notice, useFormError, useLoad, useSubmit } from './AdminParts';
import { useT, type TextKey } from './i18n';

interface WordList {
  name: string;
  category: string;
  action: string;
  direction: string;
  words: string[];
}
interface PolicyRule {
  name: string;
  direction: string;
  keywords: string[];
  patterns: string[];
  action: string;
  safeReply: string;
}
interface TenantPolicy {
  wordLists: WordList[];
  allowWords: string[];
  rules: PolicyRule[];
}
/** The form's copy of a policy: every list of words as lines of a text box. */
interface Draft {
  wordLists: Array<Omit<WordList, 'words'> & { words: string }>;
  allowWords: string;
  rules: Array<Omit<PolicyRule, 'keywords' | 'patterns'> & { keywords: string; patterns: string }>;
}

const ACTIONS: Array<[string, TextKey]> = [
  ['ACTION_BLOCK', 'actionBlock'],
  ['ACTION_ESCALATE', 'actionEscalate'],
  ['ACTION_REDACT', 'actionRedact'],
  ['ACTION_ALLOW', 'actionAllow'],
];
const DIRECTIONS: Array<[string, TextKey]> = [
  ['DIRECTION_UNSPECIFIED', 'directionBoth'],
  ['DIRECTION_INPUT', 'directionInput'],
  ['DIRECTION_OUTPUT', 'directionOutput'],
];
const draftOf = (p: TenantPolicy): Draft => ({
  wordLists: p.wordLists.map((l) => ({ ...l, words: l.words.join('\n') })),
  allowWords: p.allowWords.join('\n'),
  rules: p.rules.map((r) => ({ ...r, keywords: r.keywords.join('\n'), patterns: r.patterns.join('\n') })),
});
const policyOf = (d: Draft): TenantPolicy => ({
  wordLists: d.wordLists.map((l) => ({ ...l, words: linesOf(l.words) })),
  allowWords: linesOf(d.allowWords),
  rules: d.rules.map((r) => ({ ...r, keywords: linesOf(r.keywords), patterns: linesOf(r.patterns) })),
});
const NEW_LIST = { name: '', category: '', action: 'ACTION_BLOCK', direction: 'DIRECTION_UNSPECIFIED', words: '' };
const NEW_RULE = { name: '', direction: 'DIRECTION_OUTPUT', keywords: '', patterns: '', action: 'ACTION_BLOCK', safeReply: '' };

const loadPolicy = () => api<TenantPolicy>('GET', '/v1/moderation/policy');

export function AdminModeration() {
  const t = useT();
  const { data, error, setError, reload, loading } = useLoad(loadPolicy);
  const [draft, setDraft] = useState<Draft>();
  useEffect(() => {
    if (data) setDraft(draftOf(data));
  }, [data]);
  const fields = draft
    ? [
        ...draft.wordLists.flatMap((_, i) =>
          ['name', 'category', 'action', 'direction', 'words'].map((f) => `policy.wordLists[${i}].${f}`),
        ),
        'policy.allowWords',
        ...draft.rules.flatMap((_, i) => [
          `policy.rules[${i}]`,
          ...['name', 'direction', 'keywords', 'patterns', 'action', 'safeReply'].map((f) => `policy.rules[${i}].${f}`),
        ]),
      ]
    : [];
  const problems = useFormError(fields);
  // "[2]: is empty …" of a list of words is the text box's third line.
  const at = (field: string) => problems.at(field)?.replace(/\[(\d+)\]:?\s*/g, (_, i: string) => `${t('lineN', { n: Number(i) + 1 })}: `);
  const invalid = (field: string) => ({ error: at(field), 'aria-invalid': at(field) ? true : undefined });

  const {
    submit: save,
    busy,
    done: saved,
    clearDone,
  } = useSubmit(problems.setError, () => api<{ words: number; rules: number }>('PUT', '/v1/moderation/policy', policyOf(draft!)), reload);
  // Saving works from inside a text box, where a person edits.
  useHotkeys([['mod+S', () => void save()]], []);

  const setList = (i: number, change: Partial<Draft['wordLists'][number]>) =>
    setDraft((d) => d && { ...d, wordLists: d.wordLists.map((l, k) => (k === i ? { ...l, ...change } : l)) });
  const setRule = (i: number, change: Partial<Draft['rules'][number]>) =>
    setDraft((d) => d && { ...d, rules: d.rules.map((r, k) => (k === i ? { ...r, ...change } : r)) });

  return (
    <AdminFrame route="/admin/moderation" shortcuts={[['Ctrl+S', 'kSavePolicy']]}>
      <LoadState loading={loading} error={error} onClose={() => setError(undefined)} />
      {draft && (
        <form ref={problems.form} onSubmit={(e) => void save(e)} aria-label={t('adminModeration')}>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t('moderationHelp')}
            </Text>
            <ItemSection
              id="word-lists"
              title={t('wordLists')}
              empty={draft.wordLists.length === 0 ? t('noWordLists') : undefined}
              addLabel={t('addWordList')}
              onAdd={() => setDraft({ ...draft, wordLists: [...draft.wordLists, NEW_LIST] })}
            >
              {draft.wordLists.map((l, i) => {
                const f = `policy.wordLists[${i}]`;
                const title = l.name || t('newWordList');
                return (
                  <ItemCard
                    key={i}
                    title={title}
                    testId="word-list"
                    onRemove={() => setDraft({ ...draft, wordLists: draft.wordLists.filter((_, k) => k !== i) })}
                  >
                    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
                      <TextInput
                        label={t('listName')}
                        value={l.name}
                        onChange={(e) => setList(i, { name: e.currentTarget.value })}
                        {...invalid(`${f}.name`)}
                      />
                      <TextInput
                        label={t('category')}
                        value={l.category}
                        onChange={(e) => setList(i, { category: e.currentTarget.value })}
                        {...invalid(`${f}.category`)}
                      />
                      <ActionAndDirection item={l} field={f} invalid={invalid} onChange={(change) => setList(i, change)} />
                    </SimpleGrid>
                    <LinesInput
                      mt="xs"
                      label={t('words')}
                      value={l.words}
                      onChange={(e) => setList(i, { words: e.currentTarget.value })}
                      {...invalid(`${f}.words`)}
                    />
                  </ItemCard>
                );
              })}
            </ItemSection>
            <LinesInput
              label={t('allowWords')}
              description={t('allowWordsHelp')}
              value={draft.allowWords}
              onChange={(e) => setDraft({ ...draft, allowWords: e.currentTarget.value })}
              {...invalid('policy.allowWords')}
            />
            <ItemSection
              id="policy-rules"
              title={t('policyRules')}
              empty={draft.rules.length === 0 ? t('noPolicyRules') : undefined}
              addLabel={t('addRule')}
              onAdd={() => setDraft({ ...draft, rules: [...draft.rules, NEW_RULE] })}
            >
              {draft.rules.map((r, i) => {
                const f = `policy.rules[${i}]`;
                const title = r.name || t('newRule');
                return (
                  <ItemCard
                    key={i}
                    title={title}
                    testId="policy-rule"
                    onRemove={() => setDraft({ ...draft, rules: draft.rules.filter((_, k) => k !== i) })}
                  >
                    {at(f) && (
                      <Text size="sm" c="var(--mantine-color-error)" role="alert">
                        {at(f)}
                      </Text>
                    )}
                    <SimpleGrid cols={{ base: 2, md: 3 }} spacing="sm">
                      <TextInput
                        label={t('ruleName')}
                        value={r.name}
                        onChange={(e) => setRule(i, { name: e.currentTarget.value })}
                        {...invalid(`${f}.name`)}
                      />
                      <ActionAndDirection item={r} field={f} invalid={invalid} onChange={(change) => setRule(i, change)} />
                      <LinesInput
                        label={t('keywords')}
                        value={r.keywords}
                        onChange={(e) => setRule(i, { keywords: e.currentTarget.value })}
                        {...invalid(`${f}.keywords`)}
                      />
                      <LinesInput
                        label={t('patterns')}
                        description={t('patternsHelp')}
                        styles={{ input: { fontFamily: 'monospace' } }}
                        value={r.patterns}
                        onChange={(e) => setRule(i, { patterns: e.currentTarget.value })}
                        {...invalid(`${f}.patterns`)}
                      />
                      <Textarea
                        label={t('safeReply')}
                        description={t('safeReplyHelp')}
                        autosize
                        minRows={2}
                        maxRows={6}
                        value={r.safeReply}
                        onChange={(e) => setRule(i, { safeReply: e.currentTarget.value })}
                        {...invalid(`${f}.safeReply`)}
                      />
                    </SimpleGrid>
                  </ItemCard>
                );
              })}
            </ItemSection>
            <Notice message={saved && t('policySaved', { words: saved.words, rules: saved.rules })} onClose={clearDone} />
            <ErrorAlert error={problems.alert} />
            <Group justify="flex-end" gap="xs">
              <Button type="submit" loading={busy}>
                {t('savePolicy')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </AdminFrame>
  );
}

/** A word list or a rule: its name as the title, and a button that takes it out of the policy. */
function ItemCard({ title, testId, onRemove, children }: { title: string; testId: string; onRemove: () => void; children: ReactNode }) {
  const t = useT();
  return (
    <Paper withBorder p="sm" component="fieldset" aria-label={title} data-testid={testId}>
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <CloseButton aria-label={`${t('remove')} ${title}`} onClick={onRemove} />
      </Group>
      {children}
    </Paper>
  );
}

/** What a match of a word list or rule does, and on which messages. */
function ActionAndDirection({
  item,
  field,
  invalid,
  onChange,
}: {
  item: { action: string; direction: string };
  field: string;
  invalid: (field: string) => { error?: string };
  onChange: (change: { action?: string; direction?: string }) => void;
}) {
  const t = useT();
  const select = (options: Array<[string, TextKey]>) => options.map(([value, label]) => ({ value, label: t(label) }));
  return (
    <>
      <NativeSelect
        label={t('onMatch')}
        value={item.action}
        data={select(ACTIONS)}
        onChange={(e) => onChange({ action: e.currentTarget.value })}
        {...invalid(`${field}.action`)}
      />
      <NativeSelect
        label={t('appliesTo')}
        value={item.direction}
        data={select(DIRECTIONS)}
        onChange={(e) => onChange({ direction: e.currentTarget.value })}
        {...invalid(`${field}.direction`)}
      />
    </>
  );
}

/** The word lists or the rules: a heading, each one's card, and a button to add another. */
function ItemSection({
  id,
  title,
  empty,
  addLabel,
  onAdd,
  children,
}: {
  id: string;
  title: string;
  empty?: string;
  addLabel: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <Title order={3} size="h5" id={id} mb="xs">
        {title}
      </Title>
      <Stack gap="sm">
        {empty && (
          <Text size="sm" c="dimmed">
            {empty}
          </Text>
        )}
        {children}
        <Group>
          <Button variant="light" size="xs" onClick={onAdd}>
            {addLabel}
          </Button>
        </Group>
      </Stack>
    </section>
  );
}

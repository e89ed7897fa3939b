// Intents (admins): the examples the bot's intent classifier learns from, per intent, and a new
// examples CSV to replace them all (GET / PUT /v1/intents). A row the conversation service refuses
// ("row 3, column "label": empty") is selected in the CSV being edited, so the fix starts there.
// Beside the counts, the model's cross-validated accuracy, overall and per intent: the out-of-fold
// predictions training makes anyway to calibrate its confidence. Until the model on these examples
// has trained there is none, and the screen says so and asks again every few seconds.
import { Badge, Button, Code, FileInput, Group, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { getHotkeyHandler, useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from './api';
import { AdminFrame, AdminTable, ErrorAlert, LoadState, Notice, outsideDialogs, useFormError, useLoad, useSubmit } from './AdminParts';
import { csvRowRange, rowOf } from './csv-rows';
import { SHADES } from './format';
import { useT } from './i18n';

interface IntentExamples {
  csv: string;
  examples: number;
  labels: string[];
  revision: string;
  builtIn: boolean;
  examplesPerLabel: Record<string, number>;
  /** Absent while the model on these examples trains. */
  accuracy?: { overall: number; perIntent: Record<string, number>; heldOut: number; method: 'cross-validation' | 'hold-out' };
}
/** Fewer examples than this per intent is thin (docs/nlu.md asks for about 10-15). */
const FEW = 10;
/** How often the screen asks again while the model trains (a tenant's few hundred examples take seconds). */
const TRAINING_POLL_MS = 3_000;

const loadIntents = () => api<IntentExamples>('GET', '/v1/intents');

export function AdminIntents() {
  const t = useT();
  const { data, error, setError, reload, loading } = useLoad(loadIntents);
  const [csv, setCsv] = useState('');
  const editor = useRef<HTMLTextAreaElement>(null);
  const upload = useFormError(['csv']);
  const problem = upload.at('csv');
  const badRow = rowOf(problem);
  const badRange = badRow === undefined ? undefined : csvRowRange(csv, badRow);

  // After useFormError has focused the editor: select the row it names.
  useEffect(() => {
    if (badRange) editor.current?.setSelectionRange(...badRange);
    // Only when a new error arrives, not as the text is fixed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [problem]);
  useHotkeys([['u', outsideDialogs(() => editor.current?.focus())]]);
  useEffect(() => {
    if (!data || data.accuracy) return;
    const timer = setTimeout(() => void reload(), TRAINING_POLL_MS);
    return () => clearTimeout(timer);
  }, [data, reload]);
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  const notYet: ReactNode = (
    <Text span size="sm" c="dimmed" title={t('accuracyTraining')}>
      {t('notAvailable')}
    </Text>
  );

  const readFile = async (file: File | null) => {
    if (file) setCsv(await file.text());
  };
  const {
    submit: send,
    busy,
    done: saved,
    clearDone,
  } = useSubmit(
    upload.setError,
    () => {
      const form = new FormData();
      form.append('csv', csv);
      return api<{ examples: number; labels: string[] }>('PUT', '/v1/intents', form);
    },
    async () => {
      setCsv('');
      await reload();
    },
  );
  const counts = Object.entries(data?.examplesPerLabel ?? {});

  return (
    <AdminFrame
      route="/admin/intents"
      shortcuts={[
        ['u', 'kEditCsv'],
        ['Ctrl+Enter', 'kUploadCsv'],
      ]}
    >
      <LoadState loading={loading} error={error} onClose={() => setError(undefined)} />
      {data && (
        <Group gap="xs" data-testid="intents-summary">
          <Text size="sm">{t('intentsSummary', { examples: data.examples, intents: data.labels.length })}</Text>
          {data.builtIn ? (
            <Badge variant="outline">{t('builtInExamples')}</Badge>
          ) : (
            <Text size="sm" c="dimmed">
              {t('revision', { n: data.revision })}
            </Text>
          )}
          <Text size="sm" data-testid="intents-accuracy">
            {data.accuracy
              ? t('accuracyOverall', {
                  accuracy: percent(data.accuracy.overall),
                  n: data.accuracy.heldOut,
                  method: t(data.accuracy.method === 'hold-out' ? 'accuracyHoldOut' : 'accuracyFolds'),
                })
              : t('accuracyTraining')}
          </Text>
        </Group>
      )}
      <Text size="sm" c="dimmed">
        {t('intentsAccuracyHelp')} <Code>switchboard nlu eval</Code>
      </Text>
      {/* Side by side where there is room: the counts beside the CSV that will replace them. */}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" style={{ alignItems: 'start' }}>
        <AdminTable
          label={t('adminIntents')}
          testId="intents-table"
          minWidth={360}
          head={[t('intent'), t('examplesCount'), t('accuracy')]}
          empty={!loading && !error && counts.length === 0 ? t('noIntents') : undefined}
        >
          {counts.map(([label, n]) => (
            <Table.Tr key={label} data-label={label}>
              <Table.Td ff="monospace" fz="sm">
                {label}
              </Table.Td>
              <Table.Td>
                {n}{' '}
                {n < FEW && (
                  <Badge size="sm" variant="outline" color={SHADES.orange}>
                    {t('fewExamples')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td data-testid="intent-accuracy">
                {!data?.accuracy ? notYet : label in data.accuracy.perIntent ? percent(data.accuracy.perIntent[label]) : '—'}
              </Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>

        <Paper withBorder p="sm" component="section" aria-labelledby="intents-upload">
          <form ref={upload.form} onSubmit={(e) => void send(e)}>
            <Stack gap="sm">
              <Title order={3} size="h5" id="intents-upload">
                {t('uploadExamples')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('uploadExamplesHelp')}
              </Text>
              <Notice
                message={saved && t('examplesSaved', { examples: saved.examples, intents: saved.labels.length })}
                onClose={clearDone}
              />
              <FileInput
                label={t('csvFile')}
                accept=".csv,text/csv"
                clearable
                clearButtonProps={{ 'aria-label': t('remove') }}
                onChange={(file) => void readFile(file)}
                maw={420}
              />
              <Textarea
                ref={editor}
                label={t('csvText')}
                description={t('csvTextHelp')}
                placeholder={'text,label\nwhere is my order,order_status\n…'}
                autosize
                minRows={6}
                maxRows={16}
                styles={{ input: { fontFamily: 'monospace', fontSize: 13 } }}
                value={csv}
                onChange={(e) => setCsv(e.currentTarget.value)}
                onKeyDown={getHotkeyHandler([['mod+Enter', () => void send()]])}
                {...upload.invalid('csv')}
              />
              {badRange && (
                <Text size="sm" data-testid="bad-row">
                  {t('csvRowIs', { row: badRow! })} <Code>{csv.slice(...badRange)}</Code>
                </Text>
              )}
              <ErrorAlert error={upload.alert} />
              <Group justify="flex-end">
                <Button type="submit" loading={busy} disabled={!csv.trim()}>
                  {t('uploadExamples')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      </SimpleGrid>
    </AdminFrame>
  );
}

// Style guide (admins): how the bot's LLM-written replies sound and what they must never say:
// tone, house rules, forbidden promises, sign-off (GET / PUT /v1/style-guide, the StyleGuide of
// generation.proto; extractive answers quote the sources as they are). Saved whole. The autonomy
// bars (/v1/autonomy) are not here: they decide when the bot acts, not how it words a reply.
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { api } from './api';
import {
  AdminFrame,
  ErrorAlert,
  linesOf,
  LinesInput,
  LoadState,
  Notice,
  useDateTime,
  useFormError,
  useLoad,
  useSubmit,
} from './AdminParts';
import { useT } from './i18n';

interface StyleGuide {
  tone: string;
  rules: string[];
  forbiddenPromises: string[];
  signOff: string;
  updatedAt: string;
}
const EMPTY = { tone: '', rules: '', forbiddenPromises: '', signOff: '' };

const loadGuide = () => api<StyleGuide>('GET', '/v1/style-guide');

export function AdminStyleGuide() {
  const t = useT();
  const dateTime = useDateTime();
  const { data, error, setError, reload, loading } = useLoad(loadGuide);
  const [form, setForm] = useState(EMPTY);
  const problems = useFormError(['styleGuide', 'tone', 'rules', 'forbiddenPromises', 'signOff']);
  useEffect(() => {
    if (data)
      setForm({
        tone: data.tone,
        rules: data.rules.join('\n'),
        forbiddenPromises: data.forbiddenPromises.join('\n'),
        signOff: data.signOff,
      });
  }, [data]);

  const {
    submit: save,
    busy,
    done: saved,
    clearDone,
  } = useSubmit(
    problems.setError,
    () =>
      api<StyleGuide>('PUT', '/v1/style-guide', {
        tone: form.tone,
        rules: linesOf(form.rules),
        forbiddenPromises: linesOf(form.forbiddenPromises),
        signOff: form.signOff,
      }),
    reload,
  );
  // Saving works from inside a text box, where a person edits.
  useHotkeys([['mod+S', () => void save()]], []);
  const set = (field: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [field]: e.currentTarget.value });

  return (
    <AdminFrame route="/admin/style-guide" shortcuts={[['Ctrl+S', 'kSaveStyleGuide']]}>
      <LoadState loading={loading} error={error} onClose={() => setError(undefined)} />
      {data && (
        <form ref={problems.form} onSubmit={(e) => void save(e)} aria-label={t('adminStyleGuide')}>
          <Stack gap="sm" maw={760}>
            <Text size="sm" c="dimmed">
              {t('styleGuideHelp')} {data.updatedAt ? t('lastChanged', { time: dateTime(data.updatedAt) }) : t('styleGuideNone')}
            </Text>
            <TextInput
              label={t('tone')}
              placeholder={t('tonePlaceholder')}
              value={form.tone}
              onChange={set('tone')}
              {...problems.invalid('tone')}
            />
            <LinesInput label={t('houseRules')} value={form.rules} onChange={set('rules')} {...problems.invalid('rules')} />
            <LinesInput
              label={t('forbiddenPromises')}
              description={t('forbiddenPromisesHelp')}
              value={form.forbiddenPromises}
              onChange={set('forbiddenPromises')}
              {...problems.invalid('forbiddenPromises')}
            />
            <TextInput
              label={t('signOff')}
              placeholder={t('signOffPlaceholder')}
              value={form.signOff}
              onChange={set('signOff')}
              {...problems.invalid('signOff')}
            />
            <Notice message={saved && t('styleGuideSaved')} onClose={clearDone} />
            <ErrorAlert error={problems.alert} />
            <Group justify="flex-end">
              <Button type="submit" loading={busy}>
                {t('saveStyleGuide')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </AdminFrame>
  );
}

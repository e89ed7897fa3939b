// A search as the bot makes it (POST /v1/search), at a chosen access level: 0 is what customers may
// be shown; higher levels add internal passages.
import { Button, Group, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent, type RefObject } from 'react';
import { api, type Passage, type StandardAnswer } from './api';
import { SHADES } from './format';
import { useT } from './i18n';

export function KnowledgeSearch({
  kb,
  searchBox,
  onError,
}: {
  kb: string;
  searchBox: RefObject<HTMLInputElement | null>;
  onError: (message: string | undefined) => void;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [accessLevel, setAccessLevel] = useState<number>(0);
  const [passages, setPassages] = useState<Passage[]>();
  const [standard, setStandard] = useState<StandardAnswer | null>();

  const search = async (e: FormEvent) => {
    e.preventDefault();
    onError(undefined);
    try {
      const result = await api<{ passages: Passage[]; standardAnswer?: StandardAnswer | null }>('POST', '/v1/search', {
        query,
        accessLevel,
        ...(kb ? { knowledgeBaseIds: [kb] } : {}),
      });
      setPassages(result.passages ?? []);
      setStandard(result.standardAnswer);
    } catch (err) {
      onError((err as Error).message);
    }
  };

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('search')}>
      <form onSubmit={(e) => void search(e)}>
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('search')}
          </Title>
          <TextInput
            ref={searchBox}
            aria-label={t('search')}
            placeholder={t('search')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
          <Group align="flex-end">
            <NumberInput
              label={t('accessLevel')}
              value={accessLevel}
              onChange={(v) => setAccessLevel(Number(v) || 0)}
              min={0}
              max={100}
              w={200}
            />
            <Button type="submit" disabled={!query.trim()}>
              {t('searchNow')}
            </Button>
          </Group>
          {standard && (
            <Paper withBorder p="xs" data-testid="standard-answer" style={{ borderColor: SHADES.green }}>
              <Text size="xs" fw={600}>
                {t('kStandardAnswer', { faq: standard.faqId, confidence: standard.confidence.toFixed(3) })}
              </Text>
              <Text size="sm">{standard.answer}</Text>
            </Paper>
          )}
          {passages && passages.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="no-passages">
              {t('noResults')}
            </Text>
          )}
          {passages?.map((p, i) => (
            <div key={i} data-testid="passage" data-document-id={p.documentId}>
              <Text size="xs" fw={600}>
                {p.title} · {p.score.toFixed(3)}
              </Text>
              <Text size="sm" lineClamp={3}>
                {p.text}
              </Text>
            </div>
          ))}
        </Stack>
      </form>
    </Paper>
  );
}

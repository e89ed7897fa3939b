// The suggested reply for the customer's last message (the gateway searches the knowledge base and
// drafts from the best passage); `u` or the button puts it in the reply box to edit and send.
import { Button, Group, Paper, Spoiler, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, type Suggestions as Found } from './api';
import { useT } from './i18n';

export function Suggestions({
  conversationId,
  lastCustomerTurn,
  onUse,
  onDraft,
}: {
  conversationId: string;
  lastCustomerTurn: string;
  onUse?: (draft: string) => void;
  onDraft: (draft: string, forMessage: string) => void;
}) {
  const t = useT();
  const [found, setFound] = useState<Found>();
  useEffect(() => {
    if (!lastCustomerTurn) return;
    let current = true;
    api<Found>('GET', `/v1/agent/conversations/${conversationId}/suggestions`)
      .then((f) => {
        if (current) {
          setFound(f);
          onDraft(f.draft, f.forMessage);
        }
      })
      .catch(() => {
        if (current) {
          setFound(undefined);
          onDraft('', '');
        }
      });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conversationId, lastCustomerTurn]);

  if (!lastCustomerTurn || !found) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('suggestions')} data-testid="suggestions">
      <Stack gap={6}>
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('suggestions')}
          </Title>
          {found.draft && onUse && (
            <Button size="compact-xs" variant="light" onClick={() => onUse(found.draft)}>
              {t('useDraft')} (u)
            </Button>
          )}
        </Group>
        {found.draft ? (
          <Text size="sm" data-testid="draft">
            {found.draft}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('noSuggestions')}
          </Text>
        )}
        {found.passages.slice(0, 3).map((p, i) => (
          // Three whole lines (the title and two of the passage) at the xs size: 40 px cut the third in half.
          <Spoiler key={i} maxHeight={56} showLabel={t('passageMore')} hideLabel={t('passageLess')}>
            <Text size="xs" fw={600}>
              {p.title}
            </Text>
            <Text size="xs">{p.text}</Text>
          </Spoiler>
        ))}
      </Stack>
    </Paper>
  );
}

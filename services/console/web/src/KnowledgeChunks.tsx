// The passages a document was cut into (its live version, as searches see it), a page at a time:
// what each shows, what was indexed when that differs (an FAQ phrasing), and whether an FAQ entry's
// answer is approved to be given word for word — which a lead can change here, entry by entry.
import { Badge, Button, CloseButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorAlert } from './AdminParts';
import { api, type ChunkPage, type DocumentStatus } from './api';
import { SHADES } from './format';
import { useT } from './i18n';

const PAGE = 20;

export function KnowledgeChunks({ kb, document, onClose }: { kb: string; document: DocumentStatus; onClose: () => void }) {
  const t = useT();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ChunkPage>();
  const [error, setError] = useState<Error>();
  const name = document.title || document.documentId;

  const path = `/v1/knowledge-bases/${kb}/documents/${encodeURIComponent(document.documentId)}`;
  const [loads, setLoads] = useState(0);
  useEffect(() => setOffset(0), [kb, document.documentId, document.version]);
  useEffect(() => {
    let current = true;
    api<ChunkPage>('GET', `${path}/chunks?offset=${offset}&limit=${PAGE}`)
      .then((p) => current && (setPage(p), setError(undefined)))
      .catch((err: Error) => current && setError(err));
    return () => {
      current = false;
    };
  }, [path, document.version, offset, loads]);
  const approve = async (faqId: string, approved: boolean) => {
    try {
      await api('PUT', `${path}/faqs/${encodeURIComponent(faqId)}/approval`, { approved });
      setLoads((n) => n + 1);
    } catch (err) {
      setError(err as Error);
    }
  };
  // The approval belongs to the entry, not to each of its phrasings: one button, on its first chunk.
  const firstOfEntry = new Set(
    page?.chunks.filter((c, i) => c.faqId && page.chunks.findIndex((o) => o.faqId === c.faqId) === i).map((c) => c.position),
  );

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('kShowChunks', { doc: name })} data-testid="chunks">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('kShowChunks', { doc: name })}
          </Title>
          <CloseButton aria-label={t('close')} onClick={onClose} />
        </Group>
        <ErrorAlert error={error} />
        {page && (
          <Text size="sm" c="dimmed" data-testid="chunk-range">
            {page.total === 0
              ? t('kNoChunks')
              : t('kChunkRange', { from: offset + 1, to: offset + page.chunks.length, total: page.total, v: page.version })}
          </Text>
        )}
        {page?.chunks.some((c) => c.faqId) && (
          <Text size="xs" c="dimmed">
            {t('kApprovalHelp')}
          </Text>
        )}
        {page?.chunks.map((c) => (
          <div key={c.position} data-testid="chunk" data-position={c.position}>
            <Group gap="xs">
              <Text size="xs" fw={600}>
                #{c.position} · {c.title}
              </Text>
              {c.faqId && (
                <Badge size="xs" variant="outline" color={c.faqApproved ? SHADES.green : SHADES.grey}>
                  {c.faqApproved ? t('kApproved') : t('kNotApproved')}
                </Badge>
              )}
              {firstOfEntry.has(c.position) && (
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => void approve(c.faqId, !c.faqApproved)}
                  aria-label={t(c.faqApproved ? 'kWithdrawEntry' : 'kApproveEntry', { faq: c.faqId })}
                >
                  {t(c.faqApproved ? 'kWithdraw' : 'kApprove')}
                </Button>
              )}
            </Group>
            {/* An FAQ phrasing is indexed as itself but shows the answer; other chunks show what they index. */}
            {c.faqId && c.indexedText !== c.text && (
              <Text size="xs" c="dimmed">
                {t('kIndexedAs')}: {c.indexedText}
              </Text>
            )}
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.text}
            </Text>
          </div>
        ))}
        {page && page.total > PAGE && (
          <Group gap="xs">
            <Button size="compact-sm" variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('kPrevious')}
            </Button>
            <Button size="compact-sm" variant="default" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              {t('kNext')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

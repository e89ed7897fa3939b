// The support lead's knowledge screen (admins): a knowledge base's documents (upload, replace,
// delete, see the passages each was cut into) beside a search at an access level, to see what the
// bot (level 0) or an internal reader would find.
import { Alert, Group, NativeSelect, SimpleGrid, Stack, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { outsideDialogs } from './AdminParts';
import { api, type DocumentStatus, type KnowledgeBase } from './api';
import { useT } from './i18n';
import { KnowledgeChunks } from './KnowledgeChunks';
import { KnowledgeDocuments } from './KnowledgeDocuments';
import { KnowledgeSearch } from './KnowledgeSearch';
import { Shortcuts } from './Shortcuts';

export function Knowledge() {
  const t = useT();
  const [bases, setBases] = useState<KnowledgeBase[]>([]);
  const [kb, setKb] = useState('');
  const [documents, setDocuments] = useState<DocumentStatus[]>([]);
  const [shown, setShown] = useState<DocumentStatus>();
  const [error, setError] = useState<string>();
  const searchBox = useRef<HTMLInputElement>(null);
  const fileButton = useRef<HTMLButtonElement>(null);

  const loadBases = useCallback(async () => {
    try {
      const { knowledgeBases } = await api<{ knowledgeBases: KnowledgeBase[] }>('GET', '/v1/knowledge-bases');
      setBases(knowledgeBases ?? []);
      setKb((current) => current || knowledgeBases?.[0]?.id || '');
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);
  const loadDocuments = useCallback(async () => {
    if (!kb) return;
    try {
      setDocuments((await api<{ documents: DocumentStatus[] }>('GET', `/v1/knowledge-bases/${kb}/documents`)).documents ?? []);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [kb]);
  const reload = useCallback(() => Promise.all([loadBases(), loadDocuments()]).then(() => undefined), [loadBases, loadDocuments]);
  useEffect(() => {
    void loadBases();
  }, [loadBases]);
  useEffect(() => {
    setShown(undefined);
    void loadDocuments();
  }, [loadDocuments]);
  useHotkeys([
    ['/', outsideDialogs(() => searchBox.current?.focus())],
    ['n', outsideDialogs(() => fileButton.current?.focus())],
  ]);

  return (
    <Stack gap="sm" maw={1400}>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('knowledge')}
        </Title>
        <Shortcuts
          items={[
            ['n', 'kUploadFocus'],
            ['/', 'kSearch'],
            ['Shift+L', 'kLang'],
          ]}
        />
      </Group>
      {error && (
        <Alert
          color="red"
          title={t('error')}
          role="alert"
          withCloseButton
          closeButtonLabel={t('close')}
          onClose={() => setError(undefined)}
        >
          {error}
        </Alert>
      )}
      <NativeSelect
        aria-label={t('knowledge')}
        value={kb}
        onChange={(e) => setKb(e.currentTarget.value)}
        maw={420}
        data={bases.map((b) => ({
          value: b.id,
          label: `${b.name || b.id} · ${b.documents} ${t('documents').toLowerCase()} · ${b.chunks} ${t('passages')}`,
        }))}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <KnowledgeDocuments
          kb={kb}
          documents={documents}
          fileButton={fileButton}
          onChanged={reload}
          onRefresh={loadDocuments}
          onShowChunks={setShown}
          onDeleted={(doc) => setShown((current) => (current?.documentId === doc ? undefined : current))}
        />
        <KnowledgeSearch kb={kb} searchBox={searchBox} onError={setError} />
      </SimpleGrid>
      {shown && <KnowledgeChunks kb={kb} document={shown} onClose={() => setShown(undefined)} />}
    </Stack>
  );
}

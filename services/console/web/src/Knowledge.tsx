// The support lead's knowledge screen (admins): each knowledge base with its documents, upload a
// document (shown as indexing until the gateway answers), and try a search at an access level to
// see what the bot (level 0) or an internal reader would find.
import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type DocumentStatus, type KnowledgeBase, type Passage } from './api';
import { useT } from './i18n';
import { Shortcuts } from './Shortcuts';

export function Knowledge() {
  const t = useT();
  const [bases, setBases] = useState<KnowledgeBase[]>([]);
  const [kb, setKb] = useState('');
  const [documents, setDocuments] = useState<DocumentStatus[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [query, setQuery] = useState('');
  const [accessLevel, setAccessLevel] = useState<number>(0);
  const [passages, setPassages] = useState<Passage[]>();
  const searchBox = useRef<HTMLInputElement>(null);

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
  useEffect(() => {
    void loadBases();
  }, [loadBases]);
  useEffect(() => {
    void loadDocuments();
  }, [loadDocuments]);
  useHotkeys([['/', () => searchBox.current?.focus()]]);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !kb) return;
    const form = new FormData();
    form.append('file', file);
    setUploading(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const result = await api<{ chunks: number }>('POST', `/v1/knowledge-bases/${kb}/documents`, form);
      setNotice(t(result.chunks === 1 ? 'uploadedOne' : 'uploaded', { n: result.chunks }));
      setFile(null);
      await Promise.all([loadBases(), loadDocuments()]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setUploading(false);
    }
  };
  const search = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const result = await api<{ passages: Passage[] }>('POST', '/v1/search', {
        query,
        accessLevel,
        ...(kb ? { knowledgeBaseIds: [kb] } : {}),
      });
      setPassages(result.passages ?? []);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('knowledge')}
        </Title>
        <Shortcuts
          items={[
            ['/', 'kSearch'],
            ['Shift+L', 'kLang'],
          ]}
        />
      </Group>
      {error && (
        <Alert color="red" title={t('error')} role="alert" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      <NativeSelect
        aria-label={t('knowledge')}
        value={kb}
        onChange={(e) => setKb(e.currentTarget.value)}
        w={360}
        data={bases.map((b) => ({
          value: b.id,
          label: `${b.name || b.id} · ${b.documents} ${t('documents').toLowerCase()} · ${b.chunks} ${t('passages')}`,
        }))}
      />
      <SimpleGrid cols={2}>
        <Paper withBorder p="sm" component="section" aria-label={t('documents')}>
          <Stack gap="xs">
            <Title order={3} size="h5">
              {t('documents')}
            </Title>
            <form onSubmit={(e) => void upload(e)}>
              <Group align="flex-end">
                <FileInput
                  label={t('upload')}
                  value={file}
                  onChange={setFile}
                  accept=".md,.txt,.html,.pdf,.docx,.csv,.json"
                  w={260}
                  clearable
                />
                <Button type="submit" disabled={!file || !kb} loading={uploading}>
                  {t('uploadButton')}
                </Button>
              </Group>
            </form>
            {uploading && <Text size="sm">{t('uploading')}</Text>}
            {notice && (
              <Text size="sm" c="green.8" data-testid="upload-result">
                {notice}
              </Text>
            )}
            <Table data-testid="documents">
              <Table.Tbody>
                {documents.map((d) => (
                  <Table.Tr key={d.documentId}>
                    <Table.Td>{d.title || d.documentId}</Table.Td>
                    <Table.Td>
                      <Badge color={d.status === 'ready' ? 'green' : d.status === 'failed' ? 'red' : 'yellow'} variant="light">
                        {d.status}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Paper>
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
                  {t('kSearch')}
                </Button>
              </Group>
              {passages && passages.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('noResults')}
                </Text>
              )}
              {passages?.map((p, i) => (
                <div key={i} data-testid="passage">
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
      </SimpleGrid>
    </Stack>
  );
}

// A knowledge base's documents: upload one, replace one (a new file under the same document id:
// retrieval indexes it as a new version beside the live one and swaps it in when done, so searches
// never see half of it), delete one after a confirmation, open its passages. Ingestion answers when
// it is done; meanwhile the list is polled so the document shows as indexing.
import { Badge, Button, FileInput, Group, Loader, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent, type RefObject } from 'react';
import { AdminTable, ConfirmDialog, ErrorAlert, useLastDefined } from './AdminParts';
import { api, type DocumentStatus, type IngestResult } from './api';
import { SHADES } from './format';
import { useT, type TextKey } from './i18n';

const POLL_MS = 1_000;
const STATUS: Record<DocumentStatus['status'], { label: TextKey; colour: string }> = {
  ready: { label: 'kStatusReady', colour: SHADES.green },
  ingesting: { label: 'kStatusIngesting', colour: SHADES.orange },
  failed: { label: 'kStatusFailed', colour: SHADES.red },
};

export function KnowledgeDocuments({
  kb,
  documents,
  fileButton,
  onChanged,
  onRefresh,
  onShowChunks,
  onDeleted,
}: {
  kb: string;
  documents: DocumentStatus[];
  fileButton: RefObject<HTMLButtonElement | null>;
  onChanged: () => Promise<void>;
  onRefresh: () => Promise<void>;
  onShowChunks: (doc: DocumentStatus) => void;
  onDeleted: (documentId: string) => void;
}) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [accessLevel, setAccessLevel] = useState(0);
  const [replacing, setReplacing] = useState<DocumentStatus>();
  const [uploading, setUploading] = useState(false);
  // Kept as a text key, so it follows a language switch.
  const [notice, setNotice] = useState<[TextKey, Record<string, string | number>]>();
  const [error, setError] = useState<Error>();
  const [deleting, setDeleting] = useState<DocumentStatus>();
  const deletingShown = useLastDefined(deleting);
  const nameOf = (d: DocumentStatus) => d.title || d.documentId;

  // While an upload runs, its document shows as indexing (and a replaced one keeps its live version).
  useEffect(() => {
    if (!uploading) return;
    const timer = setInterval(() => void onRefresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [uploading, onRefresh]);
  useEffect(() => {
    setReplacing(undefined);
    setNotice(undefined);
  }, [kb]);

  const startReplace = (d: DocumentStatus) => {
    setReplacing(d);
    setAccessLevel(d.accessLevel);
    setNotice(undefined);
    fileButton.current?.focus();
  };
  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !kb) return;
    const form = new FormData();
    form.append('file', file);
    form.append('accessLevel', String(accessLevel));
    if (replacing) form.append('documentId', replacing.documentId);
    setUploading(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const result = await api<IngestResult>('POST', `/v1/knowledge-bases/${kb}/documents`, form);
      setNotice(
        result.unchanged
          ? ['kUnchanged', {}]
          : [
              replacing ? (result.chunks === 1 ? 'kReplacedOne' : 'kReplaced') : result.chunks === 1 ? 'uploadedOne' : 'uploaded',
              { v: result.version, n: result.chunks },
            ],
      );
      setFile(null);
      setReplacing(undefined);
      setAccessLevel(0);
    } catch (err) {
      setError(err as Error);
    } finally {
      setUploading(false);
      await onChanged();
    }
  };
  const remove = async () => {
    const doc = deleting!;
    await api('DELETE', `/v1/knowledge-bases/${kb}/documents/${encodeURIComponent(doc.documentId)}`);
    setNotice(['kDeleted', { doc: nameOf(doc) }]);
    onDeleted(doc.documentId);
    await onChanged();
  };

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('documents')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('documents')}
        </Title>
        <form onSubmit={(e) => void upload(e)} aria-label={replacing ? t('kReplaceTitle', { doc: nameOf(replacing) }) : t('upload')}>
          <Stack gap={6}>
            {replacing && (
              <Text size="sm" data-testid="replace-help">
                {t('kReplaceHelp', { doc: replacing.documentId })}
              </Text>
            )}
            <Group align="flex-end" gap="xs">
              <FileInput
                ref={fileButton}
                label={replacing ? t('kReplaceTitle', { doc: nameOf(replacing) }) : t('upload')}
                value={file}
                onChange={setFile}
                accept=".md,.txt,.html,.pdf,.docx,.csv,.json"
                w={240}
                clearable
              />
              <NumberInput
                label={t('kDocAccessLevel')}
                value={accessLevel}
                onChange={(v) => setAccessLevel(Number(v) || 0)}
                min={0}
                max={100}
                w={150}
              />
              <Button type="submit" disabled={!file || !kb} loading={uploading}>
                {replacing ? t('kReplace') : t('uploadButton')}
              </Button>
              {replacing && (
                <Button variant="subtle" onClick={() => setReplacing(undefined)} disabled={uploading}>
                  {t('kCancelReplace')}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
        {uploading && (
          <Group gap="xs" role="status">
            <Loader size="xs" />
            <Text size="sm">{t('uploading')}</Text>
          </Group>
        )}
        {notice && (
          <Text size="sm" c={SHADES.green} data-testid="upload-result" role="status">
            {t(...notice)}
          </Text>
        )}
        <ErrorAlert error={error} onClose={() => setError(undefined)} />
        <AdminTable
          label={t('documents')}
          testId="documents"
          minWidth={560}
          head={[t('kDocument'), t('status'), t('kVersion'), t('kPassagesHead'), t('kLevel'), t('kActions')]}
          empty={documents.length === 0 ? t('kNoDocuments') : undefined}
        >
          {documents.map((d) => (
            <Table.Tr key={d.documentId} data-document-id={d.documentId} data-status={d.status}>
              <Table.Td>
                <Text size="sm">{nameOf(d)}</Text>
                {d.title && d.title !== d.documentId && (
                  <Text size="xs" c="dimmed">
                    {d.documentId}
                  </Text>
                )}
                {d.error && (
                  <Text size="xs" c={SHADES.red}>
                    {d.error}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge
                  color={STATUS[d.status]?.colour ?? SHADES.grey}
                  variant="outline"
                  data-testid="document-status"
                  // A flex item that may not shrink: else the table squeezes the label to "R…".
                  styles={{ label: { overflow: 'visible' } }}
                >
                  {t(STATUS[d.status]?.label ?? 'kStatusFailed')}
                </Badge>
              </Table.Td>
              <Table.Td data-testid="document-version">{d.version}</Table.Td>
              <Table.Td>{d.chunks}</Table.Td>
              <Table.Td>{d.accessLevel}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() => onShowChunks(d)}
                    disabled={d.version === 0}
                    aria-label={t('kShowChunks', { doc: nameOf(d) })}
                  >
                    {t('kPassagesHead')}
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() => startReplace(d)}
                    disabled={uploading}
                    aria-label={t('kReplaceTitle', { doc: nameOf(d) })}
                  >
                    {t('kReplace')}
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="default"
                    color={SHADES.red}
                    onClick={() => setDeleting(d)}
                    disabled={uploading}
                    aria-label={t('kDeleteDoc', { doc: nameOf(d) })}
                  >
                    {t('delete')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>
      </Stack>
      <ConfirmDialog
        opened={deleting !== undefined}
        title={deletingShown ? t('kDeleteTitle', { doc: nameOf(deletingShown) }) : ''}
        message={t('kDeleteMessage')}
        confirm={t('delete')}
        onConfirm={remove}
        onClose={() => setDeleting(undefined)}
        focusAfter={fileButton}
      />
    </Paper>
  );
}

import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError, signIn } from './api';
import { LanguageSwitch } from './App';
import { useT } from './i18n';

export function SignIn() {
  const t = useT();
  const [tenantId, setTenant] = useState(() => localStorage.getItem('switchboard.tenant') ?? 'demo');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      localStorage.setItem('switchboard.tenant', tenantId);
      await signIn(tenantId, username, password);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center h="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Group justify="space-between">
              <Title order={1} size="h3">
                {t('appName')}
              </Title>
            </Group>
            <LanguageSwitch />
            <TextInput label={t('tenant')} value={tenantId} onChange={(e) => setTenant(e.currentTarget.value)} required />
            <TextInput
              label={t('username')}
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              required
              autoFocus
              autoComplete="username"
            />
            <PasswordInput
              label={t('password')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
              autoComplete="current-password"
            />
            {error && (
              <Alert color="red" title={t('signInFailed')} role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              {t('signIn')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

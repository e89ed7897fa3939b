// The console's frame: language, session, hash routes (#/ inbox, #/tickets/<id> conversation,
// #/canned canned responses, #/overview KPIs for supervisors and admins, #/admin/* admins' screens), the top bar's links, the live channel's state and the keyboard shortcuts shown on screen.
import {
  AppShell,
  Badge,
  Button,
  createTheme,
  Group,
  MantineProvider,
  SegmentedControl,
  Text,
  Title,
  type CSSVariablesResolver,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { Admin } from './Admin';
import { currentSession, onSession, signOut, type Session } from './api';
import { CannedResponses } from './CannedResponses';
import { SHADES } from './format';
import { Conversation } from './Conversation';
import { LangContext, texts, useLang, useT, type Lang } from './i18n';
import { Inbox } from './Inbox';
import { Knowledge } from './Knowledge';
import { Mentions } from './Mentions';
import { Overview } from './Overview';
import { Presence } from './Presence';
import { startLive, stopLive, useLiveConnected } from './live';
import { SignIn } from './SignIn';

function useHashRoute(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#/, '') || '/';
}

export function App() {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('switchboard.lang') === 'zh' ? 'zh' : 'en'));
  const setLang = (next: Lang) => {
    localStorage.setItem('switchboard.lang', next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLangState(next);
  };
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = texts[lang].appName;
  }, [lang]);
  return (
    <MantineProvider theme={THEME} cssVariablesResolver={CONTRAST}>
      <LangContext.Provider value={{ lang, setLang }}>
        <Shell />
      </LangContext.Provider>
    </MantineProvider>
  );
}

/**
 * WCAG AA contrast (4.5:1 for small text) everywhere, checked by axe in the browser test: shade 8
 * for filled and outline colours (Mantine's default 6 gives blue text on white 3.6:1), black or
 * white text picked by luminance on filled badges and buttons, a darker "dimmed" grey (gray.6
 * is 3.3:1 on white) and a darker red for an input's error text (red.6 is about 4:1).
 */
const THEME = createTheme({ primaryShade: { light: 8, dark: 8 }, autoContrast: true });
const CONTRAST: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', '--mantine-color-error': 'var(--mantine-color-red-8)' },
  dark: {},
});

function Shell() {
  const [session, setSession] = useState<Session | undefined>(currentSession());
  const route = useHashRoute();
  useEffect(() => onSession(setSession), []);
  // The live channel follows who is signed in, not every refresh of their session's tokens.
  const userId = session?.user.id;
  useEffect(() => {
    if (userId) startLive();
    else stopLive();
  }, [userId]);
  if (!session) return <SignIn />;
  const ticketId = /^\/tickets\/([\w-]+)$/.exec(route)?.[1];
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <TopBar session={session} route={route} />
      </AppShell.Header>
      <AppShell.Main>
        {/* Admins run the bot (the desk answers them 403); agents, senior agents and supervisors work tickets. */}
        {route === '/canned' ? (
          <CannedResponses session={session} />
        ) : route === '/overview' && readsReports(session) ? (
          <Overview />
        ) : route.startsWith('/admin/') && session.user.role === 'admin' ? (
          <Admin route={route} />
        ) : session.user.role === 'admin' ? (
          <Knowledge />
        ) : ticketId ? (
          <Conversation key={ticketId} ticketId={ticketId} session={session} />
        ) : (
          <Inbox session={session} />
        )}
      </AppShell.Main>
    </AppShell>
  );
}

/** Who may read the KPIs (the gateway's `reports` access): supervisors and admins. */
const readsReports = (session: Session) => session.user.role === 'supervisor' || session.user.role === 'admin';

function TopBar({ session, route }: { session: Session; route: string }) {
  const t = useT();
  const connected = useLiveConnected();
  const isAdminRoute = route.startsWith('/admin/');
  const link = (href: string, label: string, current: boolean) => (
    <Button component="a" href={href} size="xs" variant={current ? 'filled' : 'subtle'} aria-current={current ? 'page' : undefined}>
      {label}
    </Button>
  );
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Title order={1} size="h4">
          <a href="#/" style={{ color: 'inherit', textDecoration: 'none' }}>
            {t('appName')}
          </a>
        </Title>
        <Badge color={connected ? SHADES.green : SHADES.grey} variant="filled" data-testid="live-state">
          {connected ? t('live') : t('offline')}
        </Badge>
        <Group gap={4} component="nav" aria-label={t('screens')} wrap="nowrap">
          {link(
            '#/',
            session.user.role === 'admin' ? t('knowledge') : t('inbox'),
            route !== '/canned' && route !== '/overview' && !isAdminRoute,
          )}
          {readsReports(session) && link('#/overview', t('overview'), route === '/overview')}
          {link('#/canned', t('canned'), route === '/canned')}
          {session.user.role === 'admin' && link('#/admin/users', t('admin'), isAdminRoute)}
        </Group>
      </Group>
      <Group gap="sm" wrap="nowrap">
        {session.user.role !== 'admin' && <Presence session={session} />}
        {session.user.role !== 'admin' && <Mentions />}
        <LanguageSwitch />
        <Text size="sm" data-testid="signed-in-as">
          {session.user.displayName || session.user.username} · {session.user.role}
        </Text>
        <Button variant="subtle" size="xs" onClick={() => void signOut()}>
          {t('signOut')}
        </Button>
      </Group>
    </Group>
  );
}

export function LanguageSwitch() {
  const t = useT();
  const { lang, setLang } = useLang();
  useHotkeys([['shift+L', () => setLang(lang === 'en' ? 'zh' : 'en')]]);
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language')}
      value={lang}
      onChange={(v) => setLang(v)}
      data={[
        { value: 'en', label: 'English' },
        { value: 'zh', label: '中文' },
      ]}
    />
  );
}

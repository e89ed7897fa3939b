// The keyboard shortcuts of the current screen, always on screen (keyboard first).
import { Group, Kbd, Paper, Text } from '@mantine/core';
import { useT, type TextKey } from './i18n';

export function Shortcuts({ items }: { items: Array<[string, TextKey]> }) {
  const t = useT();
  return (
    <Paper withBorder p="xs" component="aside" aria-label={t('shortcuts')}>
      <Group gap="md">
        <Text size="xs" fw={600}>
          {t('shortcuts')}
        </Text>
        {items.map(([keys, label]) => (
          <Group key={keys} gap={4} wrap="nowrap">
            {keys.split(' ').map((k) => (
              <Kbd key={k} size="xs">
                {k}
              </Kbd>
            ))}
            <Text size="xs">{t(label)}</Text>
          </Group>
        ))}
      </Group>
    </Paper>
  );
}

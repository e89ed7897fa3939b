// The verified customer's account as the gateway answers it: masked for roles without clearance,
// exactly as the API masks it (this component shows what it is given and never unmasks).
import { Badge, List, Paper, Stack, Text, Title } from '@mantine/core';
import type { CustomerAccount, Ticket } from './api';
import { useT } from './i18n';

type Account = {
  name?: { first_name?: string; last_name?: string };
  email?: string;
  address?: Record<string, string | undefined>;
  orders?: string[];
  payment_methods?: Record<string, { source?: string; brand?: string; last_four?: string }>;
};

export function CustomerSidebar({ customer, ticket }: { customer: CustomerAccount | 'unverified' | undefined; ticket: Ticket }) {
  const t = useT();
  const account = customer && customer !== 'unverified' ? (customer.account as Account) : undefined;
  return (
    <Paper withBorder p="sm" component="aside" aria-label={t('sidebar')} data-testid="customer-sidebar">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('sidebar')}
        </Title>
        <Text size="xs" c="dimmed">
          {ticket.customerId}
        </Text>
        {customer === 'unverified' && <Text size="sm">{t('notVerified')}</Text>}
        {customer && customer !== 'unverified' && account && (
          <>
            <Badge variant="light" color={customer.contactDetails === 'clear' ? 'orange' : 'gray'} data-testid="contact-details">
              {customer.contactDetails === 'clear' ? t('contactClear') : t('contactMasked')}
            </Badge>
            <Field label={t('name')} value={[account.name?.first_name, account.name?.last_name].filter(Boolean).join(' ')} />
            <Field label={t('email')} value={account.email} testId="customer-email" />
            <Field
              label={t('address')}
              value={
                account.address &&
                ['address1', 'city', 'state', 'zip', 'country']
                  .map((k) => account.address?.[k])
                  .filter(Boolean)
                  .join(', ')
              }
            />
            {account.orders && (
              <div>
                <Text size="xs" fw={600}>
                  {t('orders')}
                </Text>
                <List size="sm">
                  {account.orders.map((o) => (
                    <List.Item key={o}>{o}</List.Item>
                  ))}
                </List>
              </div>
            )}
            {account.payment_methods && (
              <div>
                <Text size="xs" fw={600}>
                  {t('payment')}
                </Text>
                <List size="sm">
                  {Object.entries(account.payment_methods).map(([id, m]) => (
                    <List.Item key={id}>{[m.source, m.brand, m.last_four].filter(Boolean).join(' · ')}</List.Item>
                  ))}
                </List>
              </div>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

function Field({ label, value, testId }: { label: string; value?: string; testId?: string }) {
  if (!value) return null;
  return (
    <div>
      <Text size="xs" fw={600}>
        {label}
      </Text>
      <Text size="sm" data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}
